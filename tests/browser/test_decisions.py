"""The office signs a decision in the browser, downloads all its certificates as one ZIP
(the bulk job's page ends in the download) and a nominee's dossier PDF; the texts of the
PDFs are read."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from awards.decisions import services
from awards.models import AwardType, DecisionState, Nomination
from tests.decisions.conftest import approved, make_world
from tests.dossiers.conftest import full_nomination

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords_and_own_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def test_office_signs_downloads_certificates_zip_and_a_dossier(page, login, make_user):
    world = make_world(make_user)
    first = full_nomination(world)  # evidence PDF, letter and texts: a full dossier
    second = approved(world.people[1], "BK_BO")
    draft = services.create_draft(
        world.office,
        issuer=world.issuer,
        award_type=AwardType.objects.get(code="BK_BO"),
        year=2025,
        nomination_ids=[first.pk, second.pk],
        signer_name="Nguyễn Văn Hưng",
    )

    login(world.office)
    page.goto(f"/decisions/{draft.pk}/")
    assert page.locator("h1 [data-state]").get_attribute("data-state") == "draft"
    page.fill("#id_date", timezone.localdate().isoformat())
    page.click("text=Ghi nhận việc ký và cấp số")
    page.wait_for_load_state()
    assert page.locator("h1 [data-state]").get_attribute("data-state") == "signed"
    draft.refresh_from_db()
    assert draft.state == DecisionState.SIGNED and draft.number == 1
    assert "01/QĐ-BNNMT" in page.locator("h1").inner_text()
    assert Nomination.objects.get(pk=first.pk).state == "decided"

    # all certificates: the job runs (eager here) and its page offers the ZIP
    page.click("button[data-action=certificates-zip]")
    page.wait_for_load_state()
    assert re.search(r"/jobs/\d+/$", page.url), page.url
    assert page.locator("#job-status [data-state]").get_attribute("data-state") == "success"
    with page.expect_download() as info:
        page.click("#job-status a.button")
    z = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    names = z.namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names), names
    certificate = _text(z.read(names[0]))
    d = draft.date
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "01/QĐ-BNNMT",
        f"ngày {d:%d} tháng {d:%m} năm {d:%Y}",
        "Số sổ vàng: 01",
    ):
        assert expected in certificate, (expected, certificate)

    # the first nominee's dossier from the nomination's page
    page.goto(f"/nominations/{first.pk}/")
    with page.expect_download() as info:
        page.click("a[data-action=dossier]")
    dossier = _text(Path(info.value.path()).read_bytes())
    for expected in (
        world.people[0].full_name,
        "Hoàn thành xuất sắc nhiệm vụ được giao",
        "Chứng nhận sáng kiến",  # the uploaded evidence PDF follows the generated papers
    ):
        assert expected in dossier, (expected, dossier)
