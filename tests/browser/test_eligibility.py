"""The office asks “who is eligible for CSTD_CS in 2024”, opens the reasons of a verdict,
then changes the year of the "why / why not" panel on the person's page (data-autosubmit
from portal.js, no inline script)."""

import pytest

from emulation_portal.models import Role
from tests.awards.factories import PersonFactory, UnitFactory, award, rate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_office_finds_the_eligible_and_reads_why(page, login, make_user):
    unit = UnitFactory(code="VP_E", name="Văn phòng thử")
    hoa = PersonFactory(code="PE01", full_name="Trần Thị Hoa", unit=unit)
    rate(hoa, {2024: "HTXSNV", 2025: "HTNV"})
    award(hoa, "LDTT", 2023)
    login(make_user(Role.OFFICE, username="thidua_e"))

    page.goto("/awards/eligibility/")
    page.select_option("#id_year", "2024")
    page.select_option("#id_award", "CSTD_CS")
    page.click("#eligibility-query button[type=submit]")
    row = page.locator("#eligibility-table tbody tr", has_text="Trần Thị Hoa")
    assert row.locator(".badge.ok").inner_text() == "đủ điều kiện"
    row.locator("summary").click()
    assert row.locator("li", has_text="Căn cứ pháp lý").is_visible()

    page.goto("/people/PE01/?eligibility_year=2024")
    panel = page.locator("#panel-eligibility")
    assert "2024" in panel.locator("h2").inner_text()
    with page.expect_navigation():
        page.select_option("#eligibility-year", "2025")
    panel = page.locator("#panel-eligibility")
    assert "2025" in panel.locator("h2").inner_text()
    ldtt = panel.locator("li", has=page.locator("code", has_text="LDTT")).first
    assert "chưa đủ điều kiện" in ldtt.inner_text()
