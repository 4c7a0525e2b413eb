"""Navigation in a few menus (issue 15): one current entry, grouped by URL prefix, only
pages the user may open."""

import pytest
from django.test import RequestFactory

from emulation_portal import nav
from emulation_portal.models import Role

pytestmark = pytest.mark.django_db


def _menus(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return nav.navigation(request)["nav_menus"]


def _active(menus):
    return [i["key"] for m in menus for i in m["items"] if i["active"]]


def test_one_active_entry_the_longest_prefix(make_user):
    office = make_user(Role.OFFICE)
    # "Đề nghị" (/nominations/) and "Công khai" (/nominations/disclosures/) both matched
    assert _active(_menus(office, "/nominations/disclosures/")) == ["disclosures"]
    assert _active(_menus(office, "/nominations/12/")) == ["nominations"]
    # "Điều kiện" (/awards/eligibility/) and "Danh mục" (/awards/)
    assert _active(_menus(office, "/awards/eligibility/")) == ["awards.eligibility"]
    assert _active(_menus(office, "/awards/")) == ["awards.catalogue"]
    assert _active(_menus(office, "/")) == []


def test_entries_grouped_by_prefix_into_few_menus(make_user):
    office = make_user(Role.OFFICE)
    menus = {m["key"]: [i["key"] for i in m["items"]] for m in _menus(office, "/")}
    assert len(menus) <= 6
    assert {"units", "people"} <= set(menus["registry"])
    assert {"campaigns", "blocs"} <= set(menus["emulation"])
    assert {"nominations", "disclosures"} <= set(menus["nominations"])
    assert {"awards.catalogue", "awards.eligibility"} <= set(menus["catalogue"])
    assert {"audit", "django-admin"} <= set(menus["admin"])


def test_group_by_url_prefix_and_explicit_group():
    item = nav.NavItem("x", "X", "home")
    assert nav.group_of(item, "/council/sessions/") == "nominations"
    assert nav.group_of(item, "/decisions/") == "nominations"
    assert nav.group_of(item, "/somewhere/") == nav.DEFAULT_GROUP
    assert nav.group_of(nav.NavItem("y", "Y", "home", group="catalogue"), "/x/") == "catalogue"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.UNIT_OFFICER, Role.COUNCIL, Role.OFFICE])
def test_every_menu_link_opens(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    for menu in _menus(user, "/"):
        for item in menu["items"]:
            assert client.get(item["url"]).status_code == 200, (role, item["url"])


def test_layout_menus_are_keyboard_details_with_one_current(client, make_user):
    client.force_login(make_user(Role.OFFICE))
    html = client.get("/nominations/disclosures/").content.decode()
    assert html.count('aria-current="page"') == 1
    assert "<details" in html and "<summary>" in html and "<script>" not in html
    assert 'href="/jobs/"' in html  # "my jobs" in the user menu
