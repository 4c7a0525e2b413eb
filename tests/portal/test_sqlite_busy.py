"""SQLite under concurrent writes: transactions queue for the write lock instead of failing
with "database is locked", and what is still busy after the timeout answers 503.

The concurrency tests run real threads, each with its own Django connection, on a file
SQLite database made with the settings' ``SQLITE_OPTIONS`` (the test database is in
memory, and not SQLite at all in the PostgreSQL pass)."""

import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

THREADS = 4
INCREMENTS = 10


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A file database with one counter row; connections to it opened as settings say."""
    db = tmp_path / "busy.sqlite3"
    with sqlite3.connect(db) as setup:
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
    setup.close()
    with django_db_blocker.unblock():
        yield db


def _use(db, alias):
    """Open ``alias`` (in this thread) on ``db`` with the portal's SQLite options."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(db),
        "OPTIONS": dict(settings.SQLITE_OPTIONS),
    }
    # Django's defaults for the other keys (it fills them only for a "default" entry).
    config = connections.configure_settings({"default": config})["default"]
    connections[alias] = DatabaseWrapper(config, alias)
    return connections[alias]


def _increment(alias):
    """A read, then a write, in one transaction: the shape of every service."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        (n,) = cursor.fetchone()
        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])


def test_the_settings_ask_for_a_busy_timeout_and_immediate_transactions():
    assert settings.SQLITE_OPTIONS["timeout"] >= 5
    assert settings.SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.SQLITE_OPTIONS["init_command"]
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"


def test_a_transaction_holds_the_write_lock_from_its_start(sqlite_file):
    conn = _use(sqlite_file, "busy_a")
    other = sqlite3.connect(sqlite_file, timeout=0, isolation_level=None)
    try:
        with transaction.atomic(using="busy_a"):
            conn.cursor().execute("SELECT n FROM counter")
            # Only read so far, and the lock is already ours: a writer that would have
            # slipped in between (and made our write fail at once) has to wait.
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()
        conn.close()


def test_concurrent_read_then_write_transactions_all_succeed(sqlite_file):
    errors = []
    start = threading.Barrier(THREADS)

    def writer(i):
        alias = f"busy_{i}"
        conn = _use(sqlite_file, alias)
        try:
            start.wait()
            for _ in range(INCREMENTS):
                _increment(alias)
        except Exception as exc:  # noqa: BLE001 - reported below, with the thread's number
            errors.append((i, exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(sqlite_file) as check:
        assert check.execute("SELECT n FROM counter").fetchone() == (THREADS * INCREMENTS,)
    check.close()


# --- The answer when the database is still busy ---------------------------------------


def _locked(request):
    raise OperationalError("database is locked")


def _broken(request):
    raise OperationalError("no such table: nowhere")


def _saves_session(request):
    request.session["touched"] = True
    return HttpResponse("ok")


class _LockedApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        raise OperationalError("database is locked")


urlpatterns = [
    path("locked/", _locked),
    path("broken/", _broken),
    path("session/", _saves_session),
    path("api/v1/locked/", _LockedApi.as_view()),
    path("", include("emulation_portal.urls")),  # the layout names the site's pages
]


@pytest.fixture
def busy_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_a_page_on_a_busy_database_answers_503_in_vietnamese(client, busy_urls):
    response = client.post("/locked/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "Hệ thống đang bận. Vui lòng thử lại sau giây lát." in html
    assert '<html lang="vi">' in html


@pytest.mark.django_db
def test_the_api_on_a_busy_database_answers_503_in_json(client, busy_urls):
    response = client.post("/api/v1/locked/")
    assert response.status_code == 503
    assert response.json() == {"detail": "Hệ thống đang bận. Vui lòng thử lại sau giây lát."}


@pytest.mark.django_db
def test_the_session_saved_on_a_busy_database_answers_503(busy_urls, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    monkeypatch.setattr(SessionStore, "save", _locked)
    response = Client(raise_request_exception=False).get("/session/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(busy_urls):
    assert Client(raise_request_exception=False).get("/broken/").status_code == 500
