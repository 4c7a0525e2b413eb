"""The broker stops for a while: jobs started meanwhile answer at once, wait in the outbox,
and run once the broker is back and a sweep sends them: none lost, none run twice.

A Redis server of the test's own (stopped and started again) and a real worker bound to
it. Runs only when CELERY_BROKER_URL is set (the PostgreSQL + Redis pass of .ci/run)."""

import os
import socket
import subprocess
import sys
import time
import uuid
from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from campaigns import tasks as campaign_tasks
from emulation_portal import audit, outbox, tasks
from emulation_portal.celery import app as celery_app
from emulation_portal.jobs import enqueue
from emulation_portal.models import Job, OutboxMessage
from tests.campaigns.factories import CampaignFactory, UnitFactory, officer
from tests.conftest import ROOT, _database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JOBS_DURING_OUTAGE = 3
OFFICER_EMAIL = "can-bo-hop-thu-di@example.test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


class RedisServer:
    """A private redis-server on ``port``, started and stopped by the test."""

    def __init__(self, port: int, workdir):
        self.port, self.workdir, self.proc = port, workdir, None

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(self._answers, f"redis-server on port {self.port}", 30)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        assert not self._answers()


@pytest.fixture
def private_broker(tmp_path, monkeypatch, settings):
    """Its own Redis (databases 12 and 13), a worker on it, and this process sending there."""
    server = RedisServer(_free_port(), tmp_path)
    server.start()
    broker_url = f"redis://127.0.0.1:{server.port}/12"
    queue = f"outbox-{uuid.uuid4().hex[:8]}"
    media = tmp_path / "worker-media"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{server.port}/13",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_MEDIA_ROOT": str(media),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", env["CELERY_RESULT_BACKEND"])
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    monkeypatch.setattr(outbox, "_paused_until", 0.0)
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    log = open(log_path, "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "emulation_portal", "worker", "--pool=solo"]
        + ["-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        + ["-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def worker_ready():
        # Not control.ping: its mailbox publishes through the app's producer pool, which
        # may be bound to the session's broker rather than this one.
        assert worker.poll() is None, f"celery worker exited early, see {log_path}"
        return " ready." in log_path.read_text()

    try:
        _wait_for(worker_ready, "the worker", 60)
        yield {"redis": server, "media": media, "log": log_path}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        celery_app.conf.task_default_queue = previous_queue
        if server.proc.poll() is None:
            server.stop()


def _finished(pks):
    return lambda: all(Job.objects.get(pk=pk).finished for pk in pks)


def test_jobs_started_while_the_broker_is_down_run_once_when_it_is_back(
    private_broker, client, office_user
):
    audit.record(
        office_user, "unit.create", object_type="unit", object_id=1, object_label="Văn phòng Bộ"
    )
    client.force_login(office_user)
    today = timezone.localdate().isoformat()

    def start_export():
        response = client.post(reverse("audit-export"), {"start": today, "end": today})
        assert response.status_code == 302
        return int(response["Location"].strip("/").split("/")[-1])

    # The broker up: a job goes straight through.
    before = start_export()
    _wait_for(_finished([before]), "the job started with the broker up")

    # The broker down: every start answers at once, the work waits in the outbox.
    private_broker["redis"].stop()
    during = [start_export() for _ in range(JOBS_DURING_OUTAGE)]
    unit = UnitFactory()
    user = officer(unit)
    user.email = OFFICER_EMAIL
    user.save(update_fields=["email"])
    campaign = CampaignFactory()
    enqueue(campaign_tasks.send_registration_reminders, campaign.pk, [unit.pk])
    assert client.get("/healthz").status_code == 503
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == JOBS_DURING_OUTAGE + 1
    assert all(m.last_error for m in waiting)
    assert all(Job.objects.get(pk=pk).state == Job.State.PENDING for pk in during)
    page = client.get(reverse("job-detail", args=[during[0]])).content.decode()
    assert "Đang chờ dịch vụ xử lý nền" in page

    # The broker back: the worker reconnects by itself, a sweep sends what waited.
    private_broker["redis"].start()
    out = StringIO()
    call_command("sweep_outbox", "--all", stdout=out)
    assert f"sent {JOBS_DURING_OUTAGE + 1}, waiting 0" in out.getvalue()
    _wait_for(_finished(during), "the jobs started during the outage", 120)

    jobs = Job.objects.filter(pk__in=[before, *during])
    assert {j.state for j in jobs} == {Job.State.SUCCESS}
    # Each job's work ran once: one PDF each in the worker's media, nothing more.
    pdfs = sorted(p for p in private_broker["media"].rglob("*.pdf"))
    assert len(pdfs) == 1 + JOBS_DURING_OUTAGE
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    reminder = OutboxMessage.objects.get(task="campaigns.send_registration_reminders")
    _wait_for(lambda: OutboxMessage.objects.get(pk=reminder.pk).started_at, "the reminder")

    # A sender that died after publishing but before marking the row sent: the row goes out
    # again, and the worker ignores the second delivery (the e-mail is not sent twice).
    OutboxMessage.objects.filter(pk=reminder.pk).update(sent_at=None)
    assert outbox.sweep(due_only=False, respect_pause=False) == 1
    enqueue(tasks.ping, "last")  # one queue, one worker, in order: after the duplicate
    sentinel = OutboxMessage.objects.get(task="portal.ping")
    assert sentinel.sent_at is not None
    _wait_for(lambda: OutboxMessage.objects.get(pk=sentinel.pk).started_at, "the last task")
    worker_log = private_broker["log"].read_text()
    assert worker_log.count(f"To: {OFFICER_EMAIL}") == 1, worker_log[-3000:]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
