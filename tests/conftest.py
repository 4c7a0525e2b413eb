"""Test set-up shared by every app: eager Celery, private media, users by role, and a real
Celery worker for tests marked ``worker`` (only when CELERY_BROKER_URL is set)."""

import os
import subprocess
import sys
import time
import uuid
from importlib import import_module
from pathlib import Path

import pytest
from celery._state import _set_task_join_will_block
from django.conf import settings as django_settings

from emulation_portal.celery import app as celery_app
from emulation_portal.models import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CELERY_BROKER_URL"):
        return
    skip = pytest.mark.skip(reason="needs CELERY_BROKER_URL and a real worker (see .ci/run)")
    for item in items:
        if "worker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process in tests, unless the test asks for the real worker."""
    eager = "worker" not in request.keywords
    # Celery keeps "a join would block" in one process-wide flag that each eager run sets
    # and restores; eager runs in the race tests' threads interleave and can leave it set,
    # which makes a later worker test's result.get() refuse to wait.
    _set_task_join_will_block(False)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


# Data the migrations seed: a transactional test's closing flush empties these tables.
DATA_MIGRATIONS = [
    ("emulation_portal.migrations.0002_audit_head", "create_head"),
    ("awards.migrations.0002_catalogue_and_ltdkt_2022", "seed"),
    ("awards.migrations.0004_rule_sets_by_decree_period", "seed"),
    ("awards.migrations.0007_council_vote_rules", "seed"),
    ("awards.migrations.0009_gk_needs_an_achievement", "seed"),
    ("awards.migrations.0011_prize_multiples_and_base_salary_2026", "seed"),
    ("awards.migrations.0014_report_layouts_tt02_2023", "seed"),
]


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Before a transactional test, put back what the data migrations seeded (the audit
    chain head, the award catalogue, LTDKT-2022), which an earlier transactional test's
    flush removed. Each seed function is idempotent."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    from django.apps import apps

    request.getfixturevalue("_django_db_helper")
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttles count requests per user id and per address in the cache; ids come back
    after a test's rollback, so one test's requests must not count against the next's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """A strong hasher costs about a second per user created; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def make_user(db):
    def make(role=Role.VIEWER, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def office_user(make_user):
    return make_user(Role.OFFICE, username="office")


@pytest.fixture
def admin_account(make_user):
    return make_user(Role.ADMIN, username="root")


@pytest.fixture
def viewer_user(make_user):
    return make_user(Role.VIEWER, username="viewer")


@pytest.fixture
def council_user(make_user):
    return make_user(Role.COUNCIL, username="council")


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client


def _database_url(db: dict) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _flush_routes() -> None:
    """Celery caches the route table and the router: rebuild them from the conf."""
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process on the test database, on a queue of its own."""
    from django.db import connection

    queue = f"test-{uuid.uuid4().hex[:8]}"
    pdf_queue = f"{queue}-pdf"
    media = tmp_path_factory.getbasetemp() / "media"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PORTAL_PDF_QUEUE": pdf_queue,
        "DJANGO_MEDIA_ROOT": str(media),
    }
    log = open(tmp_path_factory.mktemp("worker") / "worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "emulation_portal",
            "worker",
            "--pool=solo",
            "-Q",
            f"{queue},{pdf_queue}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous_queue = celery_app.conf.task_default_queue
    previous_routes = celery_app.conf.task_routes
    celery_app.conf.task_default_queue = queue
    celery_app.conf.task_routes = {
        name: {"queue": pdf_queue} for name in django_settings.PORTAL_PDF_TASKS
    }
    _flush_routes()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"celery worker exited early, see {log.name}")
            replies = celery_app.control.ping(timeout=1)
            if replies:
                break
        else:
            raise RuntimeError(f"celery worker did not answer within 60 s, see {log.name}")
        yield {
            "process": proc,
            "queue": queue,
            "pdf_queue": pdf_queue,
            "media": media,
            "log": log.name,
        }
    finally:
        celery_app.conf.task_default_queue = previous_queue
        celery_app.conf.task_routes = previous_routes
        _flush_routes()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
