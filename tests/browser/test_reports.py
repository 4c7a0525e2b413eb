"""The office filters the figures dashboard by bloc and award, follows a number to the award
records behind it, opens a unit's ten years, and downloads the year's summary."""

import io

import openpyxl
import pytest

from awards.models import AwardKind
from emulation_portal.models import Role
from tests.awards.factories import PersonFactory, UnitFactory, award, bloc_member, rate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_filters_follows_a_number_and_downloads_the_summary(page, login):
    bo = UnitFactory(code="BO", name="Bộ", kind="BO")
    vp = UnitFactory(code="VP", name="Văn phòng", kind="VAN_PHONG", parent=bo)
    vu = UnitFactory(code="VU", name="Vụ Pháp chế", kind="VU", parent=bo)
    for code, unit, gender in (("A", vp, "F"), ("B", vp, "M"), ("C", vu, "F")):
        p = PersonFactory(code=code, full_name=f"Người {code}", unit=unit, gender=gender)
        rate(p, {2025: "HTTNV"})
        award(p, "LDTT", 2025)
        if code == "A":
            award(p, "BK_BO", 2025, kind=AwardKind.DOT_XUAT)
    award(vu, "TTLDTT", 2025)
    bloc_member(vp, 2025, code="KHOI_VP")
    bloc_member(vu, 2025, code="KHOI_VU")
    login(UserFactory(role=Role.OFFICE, username="thidua_r"))

    page.goto("/reports/dashboard/?year=2025")
    page.select_option("select[name=bloc]", "KHOI_VP")
    page.select_option("select[name=award]", "LDTT")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "bloc=KHOI_VP" in page.url and "award=LDTT" in page.url
    units = page.locator("#numbers-by-unit tbody tr")
    assert units.count() == 1 and "VP" in units.first.inner_text()

    # VP's LDTT individuals: 2, the link lists A and B
    link = page.locator('#numbers-by-unit tr[data-unit="VP"] a').nth(0)
    assert link.inner_text() == "2"
    link.click()
    page.wait_for_load_state()
    rows = page.locator("#records tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)} == {
        "Người A",
        "Người B",
    }

    page.goto("/reports/dashboard/?year=2025&unit=VU")
    page.locator('a[href="/reports/units/VU/years/?year=2025"]').first.click()
    page.wait_for_load_state()
    assert page.locator("#chart-unit-years").count() == 1
    assert page.locator("#unit-years tbody tr").count() == 10

    page.goto("/reports/")
    page.fill("#id_year", "2025")
    page.get_by_role("button", name="Lập báo cáo tổng kết").click()
    page.wait_for_load_state()
    download_link = page.locator("#job-status a.button")
    download_link.wait_for()
    with page.expect_download() as info:
        download_link.click()
    with open(info.value.path(), "rb") as handle:  # a download has no file extension
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert "by_award" in book.sheetnames
    ldtt = next(r for r in book["by_award"].iter_rows(values_only=True) if r[0] == "LDTT")
    assert ldtt[3:6] == (3, 0, 3)
