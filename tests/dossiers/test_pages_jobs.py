"""Downloads of a nomination's papers (who may, PDF and Word), and the bulk ZIP jobs: one
member per item, inert Vietnamese names, progress to the end."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from docx import Document

from awards.council import services as council
from awards.dossiers.services import bulk
from awards.models import SessionItem
from emulation_portal.models import Job, Role
from tests.dossiers.conftest import decided, full_nomination, pdf_text
from tests.nominations import factories as f


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_office_downloads_dossier_report_and_letter(
    client, world, django_capture_on_commit_callbacks
):
    n = full_nomination(world)
    client.force_login(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("dossiers:dossier", args=[n.pk]))
    assert r.status_code == 302  # started; the page says to come back
    r = client.get(reverse("dossiers:dossier", args=[n.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert 'filename="ho-so-' in r["Content-Disposition"]
    assert "BÁO CÁO THÀNH TÍCH" in "\n".join(pdf_text(_body(r)))
    r = client.get(reverse("dossiers:report", args=[n.pk, "docx"]))
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "BÁO CÁO THÀNH TÍCH" in text and "Trần Thị Hoa" in text
    r = client.get(reverse("dossiers:letter", args=[n.pk, "docx"]))
    assert r.status_code == 200 and "TỜ TRÌNH" in "\n".join(
        p.text for p in Document(io.BytesIO(r.content)).paragraphs
    )
    assert client.get(reverse("dossiers:letter", args=[n.pk, "pdf"])).status_code == 200
    assert client.get(f"/nominations/{n.pk}/report.exe").status_code == 404


def test_papers_are_not_shown_to_whoever_may_not_view_the_nomination(client, world, make_user):
    n = full_nomination(world)
    client.force_login(make_user(Role.VIEWER, username="nguoixem"))
    assert client.get(reverse("dossiers:dossier", args=[n.pk])).status_code == 404
    assert client.get(reverse("dossiers:report", args=[n.pk, "pdf"])).status_code == 404
    client.logout()
    r = client.get(reverse("dossiers:dossier", args=[n.pk]))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_member_names_are_inert():
    assert bulk.member_name(3, "Trần Thị Hoa") == "003-Trần Thị Hoa.pdf"
    assert bulk.member_name(1, "../../etc/passwd") == "001-etc_passwd.pdf"
    assert bulk.member_name(2, 'a\\b:c*?"<>|\x00d') == "002-a_b_c_d.pdf"
    assert bulk.member_name(4, "...") == "004-tep.pdf"


def _zip_of(job) -> zipfile.ZipFile:
    job.refresh_from_db()
    assert job.state == Job.State.SUCCESS, job.message
    assert job.done == job.total
    return zipfile.ZipFile(io.BytesIO(job.result_file.read()))


def test_certificates_zip_one_file_per_line(client, world, django_capture_on_commit_callbacks):
    d = decided(world, world.people)
    client.force_login(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("dossiers:certificates-zip", args=[d.pk]))
    assert r.status_code == 302
    job = Job.objects.get(kind=bulk.CERTIFICATES_KIND)
    z = _zip_of(job)
    expected = [
        f"{item.order:03d}-{item.nomination.person.full_name}.pdf"
        for item in d.items.order_by("order")
    ]
    assert z.namelist() == expected and len(expected) == 3
    assert "Số sổ vàng: 02" in pdf_text(z.read(expected[1]))[0]


def test_session_zip_one_dossier_per_item(world, django_capture_on_commit_callbacks):
    council_ = council.create_council(
        world.office,
        name="Hội đồng Thi đua - Khen thưởng Bộ",
        level="ministry",
        unit=world.ministry,
    )
    term = council.create_term(
        world.office, council_, starts_on=dt.date(2025, 1, 1), decision_number="100/QĐ-BNNMT"
    )
    session = council.create_session(
        world.office,
        council_,
        title="Phiên họp",
        date=dt.date(2025, 12, 20),
        year=2025,
        place="Hà Nội",
    )
    assert session.term_id == term.pk
    noms = [full_nomination(world, p) for p in world.people[:2]]
    for i, n in enumerate(noms, 1):
        SessionItem.objects.create(session=session, nomination=n, award_type=n.award_type, order=i)
    with django_capture_on_commit_callbacks(execute=True):
        job = bulk.start_session_zip(world.office, session)
    z = _zip_of(job)
    assert z.namelist() == ["001-Trần Thị Hoa.pdf", "002-Nguyễn Văn Đức.pdf"]
    assert "Nguyễn Văn Đức" in "\n".join(pdf_text(z.read("002-Nguyễn Văn Đức.pdf")))


def test_bulk_jobs_refused_to_others_and_for_drafts(world, make_user):
    from django.core.exceptions import PermissionDenied, ValidationError

    d = decided(world, world.people[:1], publish=False)
    with pytest.raises(PermissionDenied):
        bulk.start_certificates_zip(make_user(Role.VIEWER, username="x1"), d)
    from awards.decisions import services

    draft = services.create_draft(
        world.office, issuer=world.issuer, award_type=d.award_type, year=2025
    )
    with pytest.raises(ValidationError):
        bulk.start_certificates_zip(world.office, draft)


def test_api_papers_status_render_and_bulk_job(client, world, django_capture_on_commit_callbacks):
    n = full_nomination(world)
    client.force_login(world.office)
    r = client.get(f"/api/v1/dossiers/{n.pk}/")
    assert r.status_code == 200
    kinds = {p["kind"]: p for p in r.json()}
    assert set(kinds) == {"dossier", "report", "letter"} and kinds["dossier"]["ready"] is False
    assert kinds["report"]["word_url"].endswith("report.docx")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/api/v1/dossiers/{n.pk}/render/")
    assert r.status_code == 202
    assert {p["kind"]: p for p in client.get(f"/api/v1/dossiers/{n.pk}/").json()}["dossier"][
        "ready"
    ]
    assert client.get("/api/v1/dossiers/999999/").status_code == 404
    d = decided(world, world.people[1:])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/api/v1/bulk-zips/certificates/{d.pk}/")
    assert r.status_code == 202
    job = client.get(r.json()["status_url"]).json()
    assert job["state"] == "success"


def test_api_refusals(client, world, make_user):
    n = full_nomination(world)
    client.force_login(make_user(Role.VIEWER, username="xem"))
    assert client.get(f"/api/v1/dossiers/{n.pk}/").status_code in (403, 404)
    client.force_login(f.officer(f.unit("KHAC", "Cục Khác")))  # staff, another unit
    assert client.get(f"/api/v1/dossiers/{n.pk}/").status_code == 404
    d = decided(world, world.people[1:2])
    assert client.post(f"/api/v1/bulk-zips/certificates/{d.pk}/").status_code == 403
    client.force_login(world.office)
    assert client.post("/api/v1/bulk-zips/certificates/999999/").status_code == 404
