"""The API contract, fuzzed: Schemathesis reads ``/api/schema/`` through Django's WSGI app (as
a logged-in caller: the schema is not public) and sends each operation a bounded number of
generated requests, as the office and as a unit officer. Every answer must be other than 5xx
and match the schema's response for its status code.

Runs in CI's PostgreSQL pass (marker ``fuzz``; skipped on SQLite, where the generated
requests' concurrency-free writes add nothing the PostgreSQL run does not cover and the
SQLite pass is kept short). Run it alone with::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_x .venv/bin/python -m pytest -m fuzz
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api_fuzz.conftest import SUMMARY
from tests.portal.test_every_route import _build_world

pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the API fuzzing runs in the PostgreSQL pass (see .ci/run)",
    ),
]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _no_throttle(monkeypatch):
    """Throttling has its own test; here every generated request must reach its view."""
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.fixture
def _keep_connection():
    """Requests go straight to the WSGI app, which closes the database connection when a
    request ends; the test's transaction lives on it. Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _strategy(operation, world):
    """Generated requests; for an operation on one object, half of them on an object that
    exists (random ids alone would mostly test the 404)."""
    generated = operation.as_strategy()
    names = [p.name for p in operation.path_parameters] if operation.path_parameters else []
    prefix = operation.path.removeprefix("/api/v1/").split("/")[0]
    obj = world.objects.get(f"api:{prefix}")
    if not names or obj is None:
        return generated
    known = {name: getattr(obj, "code", None) or obj.pk for name in names}
    return st.one_of(generated, operation.as_strategy(path_parameters=known))


def _fuzz(role: str) -> None:
    """Every operation of the schema, MAX_EXAMPLES generated requests each, as ``role``.

    Driven through Schemathesis' Python API rather than its pytest plugin: the plugin's lazy
    (fixture-loaded) schemas need pytest internals that pytest 9 no longer has, and an eager
    schema would have to be fetched at collection time, before there is a database to log in
    with."""
    world = _build_world()
    token = Token.objects.create(user=world.users[role])
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    failures, operations, calls, statuses = [], 0, 0, Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @FUZZ
        @given(case=_strategy(operation, world))
        def run(case):
            nonlocal calls
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            calls += 1
            statuses[response.status_code] += 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # one failure must not hide the others
            failures.append(f"{operation.label}: {exc}")
    summary = (
        f"schemathesis as {role}: {operations} operations, {calls} calls "
        f"(at most {MAX_EXAMPLES} examples each), statuses {dict(sorted(statuses.items()))}, "
        f"{len(failures)} failing operations"
    )
    SUMMARY.append(summary)
    assert operations > 40 and calls > operations
    assert not failures, summary + "\n" + "\n\n".join(failures)


def test_api_as_the_office(db, _no_throttle, _keep_connection):
    _fuzz("office")


def test_api_as_a_unit_officer(db, _no_throttle, _keep_connection):
    _fuzz("officer")
