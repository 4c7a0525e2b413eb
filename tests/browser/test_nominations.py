"""The office accepts a nomination from its queue with the bulk action (the confirm dialog
comes from portal.js, no inline script), and a unit officer's refused upload keeps them on
the dossier with the reason in Vietnamese."""

import pytest

from awards.nominations import services
from tests.nominations import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _submitted(make_user):
    from emulation_portal.models import Role

    ministry = f.unit("BO_T", "Bộ thử", kind="BO")
    vp = f.unit("VP_T", "Văn phòng thử", parent=ministry)
    officer = f.officer(vp, "cb_vp_t")
    office = make_user(Role.OFFICE, username="thidua_t")
    p = f.person(vp, "PT01", "Đỗ Thị Mai")
    f.rate(p, {2024: "HTXSNV", 2025: "HTXSNV"})
    f.award(p, "CSTD_CS", 2024)
    n = services.create_nomination(
        officer,
        award_type=f.award_type("BK_BO"),
        year=2025,
        proposing_unit=vp,
        person=p,
        background="Chuyên viên",
        achievements="Xuất sắc",
        **f.deliberation(),
    )
    return n, officer, office


def test_office_accepts_from_the_queue(page, login, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    n, officer, office = _submitted(make_user)
    for kind in ("submission_letter", "minutes"):
        services.add_attachment(officer, n, SimpleUploadedFile("a.pdf", f.PDF), kind=kind)
    services.transition(officer, n, "submit")
    login(office)
    page.goto("/nominations/")
    assert page.locator("h1").inner_text() == "Đề nghị khen thưởng"
    page.check(f"tr[data-id='{n.pk}'] input[name=ids]")
    page.select_option("#bulk-move", "accept")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Áp dụng cho mục đã chọn").click()
    page.wait_for_load_state()
    assert (
        page.locator(f"tr[data-id='{n.pk}'] [data-state]").get_attribute("data-state") == "accepted"
    )


def test_refused_upload_shows_the_reason(page, login, make_user, tmp_path):
    n, officer, _office = _submitted(make_user)
    bad = tmp_path / "tai-lieu.pdf"
    bad.write_bytes(b"not really a pdf")
    login(officer)
    page.goto(f"/nominations/{n.pk}/")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Đính kèm").click()
    page.wait_for_load_state()
    assert (
        "Chỉ chấp nhận tệp PDF, JPEG, PNG và Word (DOCX)." in page.locator(".messages").inner_text()
    )
    assert page.locator("h1").inner_text().startswith("Bằng khen của Bộ trưởng 2025")
