"""The home page's things to do in a phone-size browser (issue 15, item 1): the office
reads its count of dossiers to review, follows it and lands on the queue of exactly those."""

import pytest

from awards.models import AwardType, Nomination
from emulation_portal.models import Role
from tests.nominations import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_follows_dossiers_to_review_on_a_phone(page, login, make_user):
    vp = f.unit("VP", "Văn phòng Bộ")
    award = AwardType.objects.get(code="CSTD_BO")
    for i, state in enumerate(["submitted", "submitted", "draft"]):
        Nomination.objects.create(
            person=f.person(vp, f"CB{i}", f"Trần Thị Mai {i}"),
            award_type=award,
            year=2025,
            proposing_unit=vp,
            level="ministry",
            state=state,
        )
    page.set_viewport_size({"width": 390, "height": 844})
    login(make_user(Role.OFFICE, username="thidua_home_phone"))
    task = page.locator('[data-task="nominations.review"]')
    assert task.locator(".count").inner_text() == "2"
    assert "Hồ sơ chờ thẩm định" in task.inner_text()
    task.locator("a").click()
    page.wait_for_load_state()
    assert "state=submitted" in page.url
    rows = page.locator(".table-wrap tbody tr")
    assert rows.count() == 2
    text = page.locator(".table-wrap").inner_text()
    assert "Trần Thị Mai 0" in text and "Trần Thị Mai 1" in text and "Trần Thị Mai 2" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
