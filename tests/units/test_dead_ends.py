"""Dead ends of issue 15 on the registry pages: a unit officer is shown no link to a unit
page that would answer 404 for them."""

import pytest
from django.urls import reverse

from units import services
from units.models import BlocKind

pytestmark = pytest.mark.django_db


def _unit_url(unit):
    return reverse("units:unit-detail", args=[unit.code])


def test_unit_page_names_a_parent_outside_scope_without_linking_it(client, officer, tree):
    client.force_login(officer)
    page = client.get(_unit_url(tree["vp"])).content.decode()
    assert tree["bo"].name in page and _unit_url(tree["bo"]) not in page
    assert client.get(_unit_url(tree["bo"])).status_code == 404
    # inside the scope the parent is a link
    page = client.get(_unit_url(tree["p1"])).content.decode()
    assert _unit_url(tree["vp"]) in page


def test_unit_page_links_the_parent_for_readers(client, tree, viewer_user):
    client.force_login(viewer_user)
    page = client.get(_unit_url(tree["vp"])).content.decode()
    assert _unit_url(tree["bo"]) in page


def test_bloc_page_links_only_member_units_in_the_officers_scope(client, officer, tree):
    bloc = services.create_bloc(None, code="KHOI_T", name="Khối thử", kind=BlocKind.KHOI)
    services.add_bloc_member(None, bloc=bloc, year=2025, unit=tree["vp"], role="leader")
    services.add_bloc_member(None, bloc=bloc, year=2025, unit=tree["tccb"], role="member")
    client.force_login(officer)
    r = client.get(reverse("units:bloc-detail", args=[bloc.code]) + "?year=2025")
    page = r.content.decode()
    assert r.status_code == 200
    assert _unit_url(tree["vp"]) in page
    assert tree["tccb"].name in page and _unit_url(tree["tccb"]) not in page
