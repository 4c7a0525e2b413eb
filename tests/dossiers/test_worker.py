"""A worker killed mid-render: the task is delivered again and yields exactly one file.

The first test needs no broker: a late-acknowledged (idempotent) task delivered again from
the same outbox row is not ignored as a duplicate, which the once-per-row guard did before.
The second runs a worker of its own (prefork, one child) on PostgreSQL and Redis (marker
``worker``: the PostgreSQL pass of .ci/run), kills the child while it renders, and waits
for the redelivery."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery.exceptions import Ignore
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from awards.dossiers import tasks
from awards.models import DecisionDocument, DocumentKind
from emulation_portal import jobs, outbox
from emulation_portal.celery import app as celery_app
from emulation_portal.models import OutboxMessage
from tests.dossiers.conftest import full_nomination


def _redeliver(task, pk):
    task.push_request(id=f"{outbox.TASK_ID_PREFIX}{pk}-x", retries=0)
    try:
        task.before_start(f"{outbox.TASK_ID_PREFIX}{pk}-x", (), {})
    finally:
        task.pop_request()


def test_a_late_acked_task_delivered_again_runs(db):
    row = outbox.add(tasks.render_dossier.name, [1], {})
    row.started_at = timezone.now()  # the run a killed worker had begun
    row.save()
    _redeliver(tasks.render_dossier, row.pk)  # no Ignore: it runs again
    plain = outbox.add(tasks.session_zip.name, [1], {})
    plain.started_at = timezone.now()
    plain.save()
    with pytest.raises(Ignore):
        _redeliver(tasks.session_zip, plain.pk)  # other tasks still run once per row


def _use_routes(routes) -> None:
    """Route by ``routes`` from now on (Celery caches the route table and the router)."""
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_render_redelivered_one_file(world, tmp_path):
    from django.db import connection

    from tests.conftest import ROOT, _database_url

    n = full_nomination(world)
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PORTAL_PDF_QUEUE": queue,
        "DJANGO_MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "emulation_portal",
                "worker",
                "--pool=prefork",
                "-c",
                "1",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
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
    try:
        deadline = time.monotonic() + 60
        while not _children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        child = _children(proc.pid)[0]
        # sent the way the pages send it: an outbox row, dispatched after commit
        previous_routes = celery_app.conf.task_routes
        _use_routes({"dossiers.*": {"queue": queue}})
        try:
            with transaction.atomic():
                jobs.enqueue(tasks.render_dossier, n.pk)
        finally:
            _use_routes(previous_routes)
        # kill the child as soon as it has started the task (its outbox row stamped): the
        # render takes a second or more in a fresh child, so it dies mid-render
        row = OutboxMessage.objects.get(task=tasks.render_dossier.name)
        deadline = time.monotonic() + 60
        while not OutboxMessage.objects.filter(pk=row.pk, started_at__isnull=False).exists():
            assert time.monotonic() < deadline, log_path.read_text()[-2000:]
            time.sleep(0.02)
        assert not DecisionDocument.objects.filter(kind=DocumentKind.DOSSIER).exists()
        os.kill(child, signal.SIGKILL)
        deadline = time.monotonic() + 120
        while not DecisionDocument.objects.filter(kind=DocumentKind.DOSSIER, nomination=n).exists():
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.5)
        time.sleep(1)
        text = log_path.read_text()
        assert "WorkerLostError" in text or "signal 9" in text, text[-3000:]  # it died mid-task
        assert DecisionDocument.objects.filter(kind=DocumentKind.DOSSIER).count() == 1
        folder = Path(settings.MEDIA_ROOT) / "dossiers" / str(n.pk)
        dossiers = sorted(p.name for p in folder.iterdir() if p.name.startswith("dossier-"))
        assert len(dossiers) == 1 and dossiers[0].endswith(".pdf"), dossiers
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
