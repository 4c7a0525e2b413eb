"""A task really travels through the broker to a separate worker process and back.

Runs only when CELERY_BROKER_URL is set (the PostgreSQL + Redis pass of .ci/run)."""

import time

import pytest
from django.utils import timezone

from emulation_portal import audit, tasks
from emulation_portal.models import Job

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_ping_round_trip_through_the_worker(celery_worker_process):
    result = tasks.ping.delay("xin chào")
    assert result.get(timeout=30) == "pong:xin chào"
    assert celery_worker_process["process"].poll() is None


def test_worker_renders_a_pdf_job_on_the_test_database(celery_worker_process, office_user):
    audit.record(
        office_user, "unit.create", object_type="unit", object_id=1, object_label="Thanh tra Bộ"
    )
    today = timezone.localdate().isoformat()
    job = Job.objects.create(
        owner=office_user, kind="audit_pdf", params={"start": today, "end": today}
    )
    async_result = tasks.export_audit_pdf.delay(job.pk)
    assert async_result.get(timeout=60) == Job.State.SUCCESS
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.state == Job.State.SUCCESS
    assert (celery_worker_process["media"] / job.result_file.name).read_bytes().startswith(b"%PDF")
