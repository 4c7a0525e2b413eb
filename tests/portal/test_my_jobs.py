""" "Tác vụ của tôi": a user's own jobs with state, progress and download, paginated."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from emulation_portal.models import Job, Role

pytestmark = pytest.mark.django_db


def _jobs(owner, n, **kw):
    return [Job.objects.create(owner=owner, kind="audit_pdf", **kw) for _ in range(n)]


def test_lists_only_my_jobs_with_labels_and_downloads(client, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    me, other = make_user(Role.OFFICE), make_user(Role.OFFICE)
    done = Job.objects.create(owner=me, kind="audit_pdf", state="success", total=3, done=3)
    done.result_file.save("audit.pdf", ContentFile(b"%PDF-1.7"), save=True)
    running = Job.objects.create(
        owner=me, kind="eligibility_xlsx", state="running", total=4, done=1
    )
    theirs = Job.objects.create(owner=other, kind="audit_pdf")
    client.force_login(me)
    html = client.get(reverse("my-jobs")).content.decode()
    assert f'data-job="{done.pk}"' in html and f'data-job="{running.pk}"' in html
    assert f'data-job="{theirs.pk}"' not in html
    assert reverse("job-download", args=[done.pk]) in html
    assert "Trích xuất nhật ký nghiệp vụ (PDF)" in html and "audit_pdf" not in html
    assert 'value="25"' in html  # 1 of 4 steps


def test_paginated_with_constant_queries(client, make_user, django_assert_max_num_queries):
    me = make_user(Role.VIEWER)
    client.force_login(me)
    _jobs(me, 2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("my-jobs")).status_code == 200
    _jobs(me, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("my-jobs")).content.decode()
    assert html.count("data-job=") == 25 and "?page=2" in html
    assert client.get(reverse("my-jobs") + "?page=2").content.decode().count("data-job=") == 17
    assert client.get(reverse("my-jobs") + "?page=abc").status_code == 200


def test_audit_pdf_reports_its_steps(make_user, settings, tmp_path):
    from emulation_portal import services
    from emulation_portal.jobs import JobReporter

    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(
        owner=make_user(Role.OFFICE),
        kind="audit_pdf",
        state="running",
        params={"start": "2020-01-01", "end": "2030-01-01"},
    )
    seen = []
    reporter = JobReporter(job)
    original = reporter.progress

    def progress(done, total=None, message=None):
        seen.append((done, total, str(message) if message else None))
        original(done, total, message)

    reporter.progress = progress
    name, pdf = services.render_audit_extract(job, reporter)
    assert pdf.startswith(b"%PDF") and [s[0] for s in seen] == [1, 2, 3]
    assert seen[0][1] == 3 and "pages" in seen[1][2] or "trang" in seen[1][2]
