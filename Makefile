# Two commands: `make run` (set up everything and serve) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: install run serve setup test test-fast lint format bench messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py seed_demo

run: setup
	@echo ""
	@echo "Cổng Thi đua - Khen thưởng: http://$(HOST):$(PORT)/"
	@echo "Demo logins (role, username, name):"
	@$(PY) manage.py demo_accounts
	@echo ""
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) -m bench

# Run from the top: strings of an app with a locale/ folder land in that app's catalogue,
# the layout's and the portal's in locale/.
messages: install
	$(PY) manage.py makemessages -l vi -l en --no-obsolete -v0 -i .venv -i var -i bench -i tests
	$(PY) manage.py compilemessages --ignore=.venv -v0

clean:
	rm -rf $(VENV) var *.egg-info
