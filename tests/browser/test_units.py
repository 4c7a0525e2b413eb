"""A unit officer finds a colleague without typing accents, then rates the unit's people
for a year in one go on the rating grid."""

import pytest

from emulation_portal.models import Role
from tests.factories import UserFactory
from tests.units.factories import make_person, make_unit
from units import services
from units.models import PersonYear, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_searches_and_rates_own_unit(page, login):
    vp = make_unit("VP_B", "Văn phòng Bộ", UnitKind.VAN_PHONG)
    other = make_unit("VU_B", "Vụ Pháp chế", UnitKind.VU)
    duc = make_person(vp, "B1", "Đặng Văn Đức", gender="M")
    make_person(vp, "B2", "Nguyễn Thị Ánh")
    make_person(other, "B3", "Đỗ Minh Đức", gender="M")
    officer = UserFactory(role=Role.UNIT_OFFICER, username="cb_vp")
    services.assign_officer(None, user=officer, unit=vp)

    login(officer)
    page.goto("/people/")
    page.fill("#q", "dang duc")
    page.get_by_role("button", name="Tìm kiếm").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Đặng Văn Đức" in rows.inner_text()
    page.fill("#q", "duc")
    page.get_by_role("button", name="Tìm kiếm").click()
    assert "Đỗ Minh Đức" not in page.locator("tbody").inner_text()  # another unit

    page.goto("/units/VP_B/rate/2025/")
    page.get_by_label("Đặng Văn Đức", exact=True).select_option("HTXSNV")
    page.get_by_role("button", name="Lưu xếp loại").click()
    page.get_by_text("Đã lưu 1 xếp loại").wait_for()
    assert PersonYear.objects.get(person=duc, year=2025).rating == "HTXSNV"
    assert page.get_by_label("Đặng Văn Đức", exact=True).input_value() == "HTXSNV"


def test_office_imports_a_file_through_the_preview_job(page, login, tmp_path):
    """Upload, the job page (the HTML page, polled), its link to the preview, confirm, and
    the import job's page: the path an office takes to bring past years in."""
    from units.models import Person

    make_unit("VP_B", "Văn phòng Bộ", UnitKind.VAN_PHONG)
    office = UserFactory(role=Role.OFFICE, username="thidua_b")
    people = tmp_path / "people.csv"
    people.write_text("code,full_name,gender,unit_code\nB9,Lê Thị Hồng,F,VP_B\n", encoding="utf-8")

    login(office)
    page.goto("/exchange/import/")
    page.set_input_files("input[type=file]", str(people))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_role("link", name="Xem trước kết quả nhập").click()
    assert "people" in page.locator("table").first.inner_text()
    assert not Person.objects.filter(code="B9").exists()
    page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    page.locator("[data-state=success]").wait_for()
    assert Person.objects.get(code="B9").full_name == "Lê Thị Hồng"
