"""Work enqueued after commit goes through the outbox: a request never waits on a broker
that is down, the work is kept and sent by a sweep once the broker is back, once.

The broker is a closed port (nothing listens on 127.0.0.1:1) or kombu's in-memory transport;
the real outage, with a Redis server and a worker, is in ``test_outbox_worker.py``."""

import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from emulation_portal import outbox, tasks
from emulation_portal.celery import PortalTask
from emulation_portal.celery import app as celery_app
from emulation_portal.jobs import enqueue, start_job
from emulation_portal.models import Job, OutboxMessage

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"
MEMORY = "memory://localhost/"
WAITING_VI = "Đang chờ dịch vụ xử lý nền"


@pytest.fixture
def broker(monkeypatch, settings):
    """Point the app at ``url`` as a configured (not eager) broker; returns the setter."""
    monkeypatch.setattr(outbox, "_paused_until", 0.0)

    def use(url):
        celery_app.conf.task_always_eager = False  # the autouse fixture restores it
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        monkeypatch.setattr(outbox, "_paused_until", 0.0)

    return use


@pytest.fixture
def connects(monkeypatch):
    """Every broker connection attempt the outbox makes, with its options."""
    calls = []
    original = Connection.ensure_connection

    def spy(self, *args, **kwargs):
        calls.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "ensure_connection", spy)
    return calls


@pytest.fixture
def publishes(monkeypatch):
    """Every publish (``send_task``) with its options; the real publish still happens."""
    calls = []
    original = celery_app.send_task

    def spy(name, *args, **kwargs):
        calls.append({"name": name, **kwargs})
        return original(name, *args, **kwargs)

    monkeypatch.setattr(celery_app, "send_task", spy)
    return calls


def _queued_task_ids() -> list[str]:
    """Drain the in-memory broker's queue; the task ids of the messages it held."""
    ids = []
    with Connection(MEMORY) as conn:
        queue = conn.SimpleQueue(celery_app.conf.task_default_queue)
        while True:
            try:
                message = queue.get_nowait()
            except queue.Empty:
                break
            ids.append(message.headers["id"])
            message.ack()
        queue.close()
    return ids


def _start_audit_export(client, capture):
    today = timezone.localdate().isoformat()
    with capture(execute=True):
        return client.post(reverse("audit-export"), {"start": today, "end": today})


def test_starting_a_job_with_the_broker_down_answers_at_once_and_keeps_the_job(
    broker, connects, publishes, office_client, django_capture_on_commit_callbacks
):
    broker(CLOSED_PORT)
    response = _start_audit_export(office_client, django_capture_on_commit_callbacks)

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == Job.State.PENDING
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.job_id) == (
        "portal.export_audit_pdf",
        [job.pk],
        job.pk,
    )
    assert message.sent_at is None and message.attempts == 1
    assert "Connection refused" in message.last_error
    # No long wait: one connection attempt, never retried, and nothing published to a
    # broker that refused it (no result-backend reconnect loop either).
    assert connects == [
        {
            "max_retries": 0,
            "interval_start": 0,
            "interval_step": 0,
            "timeout": celery_app.conf.broker_connection_timeout,
        }
    ]
    assert publishes == []
    page = office_client.get(response["Location"]).content.decode()
    assert WAITING_VI in page
    fragment = office_client.get(reverse("job-status", args=[job.pk])).content.decode()
    assert WAITING_VI in fragment and "hx-get" in fragment  # still polling


def test_a_failed_publish_is_tried_once_without_retry_then_the_process_waits(
    broker, connects, monkeypatch, office_user, django_capture_on_commit_callbacks
):
    broker(MEMORY)
    calls = []

    def refusing_send_task(name, *args, **kwargs):
        calls.append(kwargs)
        raise OperationalError("broker gone while publishing")

    monkeypatch.setattr(celery_app, "send_task", refusing_send_task)
    with django_capture_on_commit_callbacks(execute=True):
        first = start_job(office_user, "audit_pdf", tasks.export_audit_pdf, {})
    assert len(calls) == 1
    assert calls[0]["retry"] is False and calls[0]["ignore_result"] is True
    message = OutboxMessage.objects.get(job=first)
    assert message.sent_at is None and message.claimed_until is None
    assert message.attempts == 1 and "broker gone while publishing" in message.last_error
    assert message.next_attempt_at > timezone.now()

    # Right after a failure this process does not try again for each new request.
    with django_capture_on_commit_callbacks(execute=True):
        second = start_job(office_user, "audit_pdf", tasks.export_audit_pdf, {})
    assert len(calls) == 1 and len(connects) == 1
    waiting = OutboxMessage.objects.get(job=second)
    assert waiting.sent_at is None and waiting.attempts == 0 and waiting.last_error
    assert Job.objects.filter(state=Job.State.PENDING).count() == 2

    # A sweep that gets through ends the pause: the next job goes out at once.
    monkeypatch.undo()
    broker(MEMORY)
    monkeypatch.setattr(outbox, "_paused_until", time.monotonic() + 60)
    assert outbox.sweep(due_only=False, respect_pause=False) == 2
    with django_capture_on_commit_callbacks(execute=True):
        third = start_job(office_user, "audit_pdf", tasks.export_audit_pdf, {})
    assert OutboxMessage.objects.get(job=third).sent_at is not None
    assert len(_queued_task_ids()) == 3


def test_a_sweep_sends_each_waiting_row_exactly_once(
    broker, publishes, office_user, django_capture_on_commit_callbacks
):
    broker(CLOSED_PORT)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(office_user, "audit_pdf", tasks.export_audit_pdf, {})
        enqueue(tasks.ping, "xin chào")
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2

    broker(MEMORY)
    _queued_task_ids()  # an empty queue to start with
    call_command("sweep_outbox", "--all", stdout=(out := _Out()))
    assert "sent 2, waiting 0" in out.text
    call_command("sweep_outbox", "--all", stdout=(again := _Out()))
    assert "sent 0, waiting 0" in again.text

    rows = list(OutboxMessage.objects.order_by("id"))
    assert all(r.sent_at and not r.last_error and r.claimed_until is None for r in rows)
    assert [(p["name"], p["args"]) for p in publishes] == [
        ("portal.export_audit_pdf", [job.pk]),
        ("portal.ping", ["xin chào"]),
    ]
    queued = _queued_task_ids()
    assert len(queued) == 2
    assert [outbox.message_pk(task_id) for task_id in queued] == [r.pk for r in rows]


def test_a_sweep_leaves_rows_whose_next_attempt_has_not_come(broker, office_user):
    broker(MEMORY)
    later = OutboxMessage.objects.create(
        task="portal.ping", args=["x"], next_attempt_at=timezone.now() + timedelta(minutes=1)
    )
    assert outbox.sweep() == 0
    assert outbox.sweep(due_only=False) == 1
    later.refresh_from_db()
    assert later.sent_at is not None
    _queued_task_ids()


def test_a_row_another_sweeper_has_claimed_is_not_sent_twice(broker, publishes):
    broker(MEMORY)
    row = OutboxMessage.objects.create(
        task="portal.ping", args=["x"], next_attempt_at=timezone.now()
    )
    # Another sweeper claimed it a moment ago and is publishing it.
    OutboxMessage.objects.filter(pk=row.pk).update(
        claimed_until=timezone.now() + timedelta(seconds=30), attempts=1
    )
    assert outbox.sweep() == 0 and outbox.send([row.pk]) == 0
    assert publishes == []
    # That sweeper died before marking it sent: once its claim expires the row goes out.
    OutboxMessage.objects.filter(pk=row.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox.sweep() == 1 and outbox.sweep() == 0
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and len(publishes) == 1
    _queued_task_ids()


def test_an_enqueue_that_gets_through_also_sends_the_older_waiting_rows(
    broker, office_user, django_capture_on_commit_callbacks
):
    broker(CLOSED_PORT)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(tasks.ping, "cũ")
    OutboxMessage.objects.update(next_attempt_at=timezone.now())  # its retry delay is over

    broker(MEMORY)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(tasks.ping, "mới")
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert len(_queued_task_ids()) == 2


def test_healthz_sends_waiting_rows_once_the_broker_answers(broker, client):
    broker(CLOSED_PORT)
    row = OutboxMessage.objects.create(
        task="portal.ping", args=["x"], next_attempt_at=timezone.now()
    )
    down = client.get("/healthz")
    assert down.status_code == 503
    row.refresh_from_db()
    assert row.sent_at is None

    broker(MEMORY)
    up = client.get("/healthz")
    assert up.status_code == 200 and up.json()["broker"] == "ok"
    row.refresh_from_db()
    assert row.sent_at is not None
    assert len(_queued_task_ids()) == 1


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(
    broker, publishes, office_user, django_capture_on_commit_callbacks
):
    broker(MEMORY)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        start_job(office_user, "audit_pdf", tasks.export_audit_pdf, {})
        raise RuntimeError("rolled back")
    assert callbacks == [] and publishes == []
    assert not OutboxMessage.objects.exists() and not Job.objects.exists()


def test_eager_mode_runs_the_job_in_process_without_an_outbox_row(
    office_client, django_capture_on_commit_callbacks
):
    assert celery_app.conf.task_always_eager
    response = _start_audit_export(office_client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Job.objects.get().state == Job.State.SUCCESS
    assert not OutboxMessage.objects.exists()


def test_a_second_delivery_of_one_row_is_ignored_by_the_worker(office_user, monkeypatch):
    # A task acknowledged on receipt (not late) is the one a second delivery would run twice.
    monkeypatch.setattr(tasks.ping, "acks_late", False)
    row = OutboxMessage.objects.create(
        task="portal.ping", args=["x"], next_attempt_at=timezone.now()
    )
    first = tasks.ping.apply(args=["x"], task_id=outbox.task_id_for(row.pk))
    assert first.state == "SUCCESS" and first.result == "pong:x"
    row.refresh_from_db()
    assert row.started_at is not None

    # A sender that died after publishing made a sweep publish the row again.
    again = tasks.ping.apply(args=["x"], task_id=outbox.task_id_for(row.pk))
    assert again.state == "IGNORED"
    # A retry of the same run is not a duplicate; other task ids are never checked.
    retry = tasks.ping.apply(args=["x"], task_id=outbox.task_id_for(row.pk), retries=1)
    assert retry.result == "pong:x"
    assert tasks.ping.apply(args=["y"]).result == "pong:y"


def test_a_late_acknowledged_task_delivered_again_runs(office_user):
    """Its worker was killed after stamping the row: the redelivery must run, or the work
    is lost (late-acknowledged tasks are idempotent by the project's rule)."""
    assert tasks.ping.acks_late
    row = OutboxMessage.objects.create(
        task="portal.ping", args=["x"], next_attempt_at=timezone.now()
    )
    assert tasks.ping.apply(args=["x"], task_id=outbox.task_id_for(row.pk)).result == "pong:x"
    again = tasks.ping.apply(args=["x"], task_id=outbox.task_id_for(row.pk))
    assert again.state == "SUCCESS" and again.result == "pong:x"


def test_every_portal_task_deduplicates_outbox_deliveries():
    celery_app.loader.import_default_modules()
    ours = {n: t for n, t in celery_app.tasks.items() if not n.startswith("celery.")}
    assert {"portal.export_audit_pdf", "nominations.notify", "units.import_upload"} <= set(ours)
    assert all(isinstance(t, PortalTask) for t in ours.values())


def test_enqueue_with_a_broker_writes_the_row_in_the_callers_transaction(
    broker, django_capture_on_commit_callbacks
):
    broker(CLOSED_PORT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        enqueue(tasks.ping, "x", 2)
        row = OutboxMessage.objects.get()
        assert (row.task, row.args, row.kwargs, row.attempts) == (
            "portal.ping",
            ["x", 2],
            {},
            0,
        )
    assert len(callbacks) == 1  # the send itself waits for the commit


def test_old_sent_rows_are_pruned_and_bad_options_refused(broker):
    broker(MEMORY)
    old = OutboxMessage.objects.create(
        task="portal.ping", sent_at=timezone.now() - timedelta(days=40)
    )
    recent = OutboxMessage.objects.create(task="portal.ping", sent_at=timezone.now())
    waiting = OutboxMessage.objects.create(
        task="portal.ping", next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    call_command("sweep_outbox", stdout=(out := _Out()))
    assert "sent 0, waiting 1, pruned 1" in out.text
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    with pytest.raises(CommandError):
        call_command("sweep_outbox", "--batch", "0")


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_admin_shows_waiting_rows_read_only(client, admin_account):
    admin_account.is_staff = admin_account.is_superuser = True
    admin_account.save()
    row = OutboxMessage.objects.create(
        task="portal.ping", args=["x"], last_error="OperationalError: Connection refused"
    )
    client.force_login(admin_account)
    listing = client.get("/admin/emulation_portal/outboxmessage/?sent_at__isempty=1")
    assert listing.status_code == 200 and "Connection refused" in listing.content.decode()
    detail = client.get(f"/admin/emulation_portal/outboxmessage/{row.pk}/change/")
    assert detail.status_code == 200
    assert client.get("/admin/emulation_portal/outboxmessage/add/").status_code == 403


def test_several_enqueues_in_one_transaction_share_one_connection(
    broker, connects, publishes, django_capture_on_commit_callbacks
):
    broker(MEMORY)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(3):
            enqueue(tasks.ping, f"thư {n}")
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    # The first dispatch sends its row and the other two; theirs find nothing left to do.
    assert len(connects) == 1 and len(publishes) == 3
    assert len(_queued_task_ids()) == 3
