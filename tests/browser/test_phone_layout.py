"""Phone layouts (issue 15, item 6): below 600 px a table's rows are stacked blocks whose
cells carry their column's heading; nothing scrolls sideways; a detail page's side-by-side
layout is one column. At a desktop width the tables stay tables."""

import pytest

from emulation_portal.models import Role
from tests.units.factories import make_person, make_unit
from units.models import UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(db):
    unit = make_unit("VP", "Văn phòng Bộ Nông nghiệp và Môi trường", UnitKind.VAN_PHONG)
    return [make_person(unit, f"NV{i}", f"Nguyễn Thị Phương Thảo {i}") for i in range(1, 6)]


def _table_state(page):
    return page.evaluate(
        """() => {
        const table = document.querySelector('.table-wrap > table');
        const cell = table.tBodies[0].rows[0].cells[0];
        return {
            theadShown: table.tHead.getBoundingClientRect().height > 2,
            label: cell.getAttribute('data-label'),
            cellDisplay: getComputedStyle(cell).display,
            pageWidth: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
        };
    }"""
    )


def test_people_list_stacks_on_a_phone(page, login, make_user, people):
    login(make_user(Role.OFFICE, username="thidua_phone"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/people/")
    state = _table_state(page)
    assert not state["theadShown"]
    assert state["label"]  # the column's heading, printed before the value by the CSS
    assert state["cellDisplay"] != "table-cell"
    assert state["pageWidth"] <= state["viewport"]
    assert page.get_by_text("Nguyễn Thị Phương Thảo 1").is_visible()


def test_people_list_stays_a_table_on_a_desktop(page, login, make_user, people):
    login(make_user(Role.OFFICE, username="thidua_desk"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/people/")
    state = _table_state(page)
    assert state["theadShown"]
    assert state["cellDisplay"] == "table-cell"
