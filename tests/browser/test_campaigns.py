"""A member unit's officer scores its unit on the bloc page; the cell is saved in place
(htmx, no inline script), and a score above the maximum is refused with the input kept."""

import pytest

from campaigns import services
from campaigns.models import Score
from tests.campaigns.factories import BlocFactory, UnitFactory, membership, officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_scores_its_unit_in_place(page, login):
    bloc = BlocFactory(code="KHOI_B", name="Khối thi đua thử")
    lead_unit, unit = UnitFactory(name="Đơn vị dẫn đầu"), UnitFactory(name="Đơn vị thành viên")
    membership(bloc, 2025, lead_unit, "leader")
    membership(bloc, 2025, unit, "member")
    lead, member = officer(lead_unit, "cb_lead"), officer(unit, "cb_member")
    pledge = services.start_pledge(lead, bloc, 2025)
    services.set_criteria(lead, pledge, [{"name": "Chuyên môn", "max_points": 60}])
    services.open_signing(lead, pledge)
    services.sign_pledge(lead, pledge, lead_unit)
    services.sign_pledge(member, pledge, unit)
    crit = pledge.criteria.get()

    login(member)
    page.goto(f"/campaigns/blocs/{bloc.pk}/2025/")
    assert page.locator("h1").inner_text().startswith("Khối thi đua thử")
    cell = page.locator(f"#cell-{crit.pk}-{unit.pk}")
    cell.get_by_role("link", name="chấm điểm").click()
    cell.locator("input[name=points]").fill("75")
    cell.get_by_role("button", name="Lưu").click()
    cell.locator(".errorlist").wait_for()
    assert "60" in cell.locator(".errorlist").inner_text()
    assert cell.locator("input[name=points]").input_value() == "75"  # input kept
    cell.locator("input[name=points]").fill("55.5")
    cell.get_by_role("button", name="Lưu").click()
    cell.get_by_text("đã lưu").wait_for()
    assert page.url.endswith("/2025/")  # swapped in place, no navigation
    assert Score.objects.get().self_points == 55.5
