import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from emulation_portal import audit, tasks
from emulation_portal.jobs import run_job, start_job
from emulation_portal.models import Job

pytestmark = pytest.mark.django_db


def test_audit_export_job_runs_and_can_be_downloaded(
    office_client, office_user, django_capture_on_commit_callbacks
):
    audit.record(
        office_user, "unit.create", object_type="unit", object_id=1, object_label="Văn phòng Bộ"
    )
    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(reverse("audit-export"), {"start": today, "end": today})
    job = Job.objects.get()
    # The job's page, not the API's JSON of the job (the two once shared a URL name).
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    page = office_client.get(response["Location"])
    assert page["Content-Type"].startswith("text/html") and "job-status" in page.content.decode()
    assert job.state == Job.State.SUCCESS and job.percent == 100
    status = office_client.get(reverse("job-status", args=[job.pk])).content.decode()
    assert "hx-get" not in status  # finished: the fragment stops polling
    download = office_client.get(reverse("job-download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_bad_export_dates_are_refused_in_vietnamese(office_client):
    response = office_client.post(
        reverse("audit-export"), {"start": "2026-02-01", "end": "2026-01-01"}, follow=True
    )
    assert "Ngày bắt đầu không được sau ngày kết thúc" in response.content.decode()
    assert not Job.objects.exists()


def test_job_is_not_enqueued_when_the_transaction_rolls_back(
    office_user, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                start_job(
                    office_user,
                    "audit_pdf",
                    tasks.export_audit_pdf,
                    {"start": "2026-01-01", "end": "2026-01-02"},
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and not Job.objects.exists()


def test_run_job_is_idempotent(office_user):
    job = Job.objects.create(owner=office_user, kind="x")
    calls = []
    assert run_job(job.pk, lambda j, r: calls.append(1)) == Job.State.SUCCESS
    assert run_job(job.pk, lambda j, r: calls.append(1)) == Job.State.SUCCESS
    assert calls == [1]


def test_failed_job_records_the_error(office_user):
    from django.core.exceptions import ValidationError

    job = Job.objects.create(owner=office_user, kind="x")

    def boom(j, r):
        raise ValidationError("hỏng")

    # the job's row is the outcome: the error is recorded, not raised at whoever ran it
    assert run_job(job.pk, boom) == Job.State.FAILURE
    job.refresh_from_db()
    assert job.state == Job.State.FAILURE and job.message == "hỏng"


def test_other_users_cannot_see_a_job(client, office_user, viewer_user):
    job = Job.objects.create(owner=office_user, kind="x")
    client.force_login(viewer_user)
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_eager_mode_enqueues_without_touching_a_broker(tmp_path):
    """With no broker configured a task still borrows a producer; it must be the in-memory
    transport, not a default amqp://localhost that logs a warning on every enqueue."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/eager.sqlite3"
    script = (
        "import logging, django; logging.basicConfig(level=logging.WARNING); django.setup()\n"
        "from emulation_portal.tasks import ping\n"
        'print(ping.apply_async(args=["x"]).get())\n'
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "WARNING" not in out.stderr, out.stderr
    assert out.stdout.strip() == "pong:x"
