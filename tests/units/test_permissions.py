"""A unit officer reads and writes only their unit and its sub-units; staff viewers read;
the office does all. Every denied read and write, on pages and API, changes nothing."""

import pytest
from django.urls import reverse

from emulation_portal.models import AuditEvent, Role
from tests.units.factories import make_bloc
from units import services
from units.models import (
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitRating,
)
from units.rules import can_manage_person, can_manage_unit, officer_units


def state():
    return (
        list(Unit.objects.order_by("pk").values_list("code", "name", "parent_id", "path")),
        list(Person.objects.order_by("pk").values_list("code", "full_name", "unit_id")),
        list(PersonYear.objects.order_by("pk").values_list("person_id", "year", "rating")),
        UnitRating.objects.count(),
        Initiative.objects.count(),
        Discipline.objects.count(),
        BlocMembership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_scope_is_cached_on_the_user_object(officer, tree, django_assert_num_queries):
    officer_units(officer)
    with django_assert_num_queries(0):
        assert can_manage_unit(officer, tree["p1"])
        assert not can_manage_person(officer, tree["people"]["tccb"])


def test_scope_predicates(officer, tree):
    assert officer_units(officer) == {tree["vp"].pk, tree["p1"].pk}
    assert can_manage_unit(officer, tree["p1"]) and not can_manage_unit(officer, tree["tccb"])
    assert can_manage_person(officer, tree["people"]["p1"])
    assert not can_manage_person(officer, tree["people"]["tccb"])


def test_officer_sees_only_own_subtree_on_pages(client, officer, tree):
    client.force_login(officer)
    text = client.get(reverse("units:person-list")).content.decode()
    assert "Nguyễn Thị Ánh" in text and "Đặng Văn Đức" in text
    assert "Trần Minh Hoà" not in text
    text = client.get(reverse("units:unit-tree")).content.decode()
    assert "Văn phòng Bộ" in text and "Vụ Tổ chức cán bộ" not in text
    assert client.get(reverse("units:person-detail", args=["NV3"])).status_code == 404
    assert client.get(reverse("units:unit-detail", args=["TCCB"])).status_code == 404
    assert client.get(reverse("units:person-detail", args=["NV2"])).status_code == 200


OUTSIDE_PAGE_WRITES = [
    ("units:person-edit", ["NV3"], {"code": "NV3", "full_name": "X", "gender": "M", "unit": 0}),
    (
        "units:initiative-create",
        ["NV3"],
        {"year": 2024, "title": "X", "kind": "initiative", "scope": "BO"},
    ),
    ("units:discipline-create", ["NV3"], {"level": "CANH_CAO", "start_date": "2024-01-01"}),
    ("units:rating-grid", ["TCCB", 2024], {}),
    ("units:unit-edit", ["VP"], {"code": "VP", "name": "X", "kind": "VU"}),
    ("units:unit-rating", ["VP"], {"year": 2024, "rating": "HTXSNV"}),
    ("units:unit-create", [], {"code": "NEW", "name": "X", "kind": "VU"}),
    ("units:bloc-member-add", ["K1"], {"year": 2024, "unit": 0, "role": "member"}),
    ("units:bloc-carry-forward", ["K1"], {"year": 2024}),
    ("units:import", [], {}),
    ("units:export", [], {}),
]


@pytest.mark.parametrize(("name", "args", "data"), OUTSIDE_PAGE_WRITES)
def test_officer_denied_page_writes_change_nothing(client, officer, tree, name, args, data):
    bloc = make_bloc("K1")
    services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["vp"])
    data = {k: (tree["vp"].pk if v == 0 else v) for k, v in data.items()}
    if name == "units:rating-grid":
        data = {f"p{tree['people']['tccb'].pk}": "HTXSNV"}
    before = state()
    client.force_login(officer)
    response = client.post(reverse(name, args=args), data)
    assert response.status_code in (403, 404)
    assert state() == before


def test_officer_cannot_move_own_person_out_of_scope(client, officer, tree):
    client.force_login(officer)
    before = state()
    data = {"code": "NV1", "full_name": "Nguyễn Thị Ánh", "gender": "F", "unit": tree["tccb"].pk}
    response = client.post(reverse("units:person-edit", args=["NV1"]), data)
    assert response.status_code in (200, 403)  # TCCB is not even offered
    assert state() == before


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COUNCIL])
def test_readers_read_everything_and_write_nothing(client, make_user, tree, role):
    user = make_user(role)
    client.force_login(user)
    assert client.get(reverse("units:person-detail", args=["NV3"])).status_code == 200
    assert client.get(reverse("units:unit-detail", args=["TCCB"])).status_code == 200
    before = state()
    response = client.post(
        reverse("units:rating-grid", args=["VP", 2024]), {f"p{tree['people']['vp'].pk}": "HTXSNV"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("units:person-create"),
        {"code": "Z1", "full_name": "Z", "gender": "F", "unit": tree["vp"].pk},
    )
    assert response.status_code == 403
    assert client.get(reverse("units:import")).status_code == 403
    assert state() == before


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(reverse("units:person-list"))
    assert response.status_code == 302 and "login" in response.url
    assert client.get("/api/v1/people/").status_code in (401, 403)


# -- API -------------------------------------------------------------------------------------
def test_api_officer_reads_only_own_scope(client, officer, tree):
    client.force_login(officer)
    codes = {p["code"] for p in client.get("/api/v1/people/").json()["results"]}
    assert codes == {"NV1", "NV2"}
    assert client.get("/api/v1/people/NV3/").status_code == 404
    assert client.get("/api/v1/units/TCCB/").status_code == 404
    codes = {u["code"] for u in client.get("/api/v1/units/").json()["results"]}
    assert codes == {"VP", "P1"}
    services.set_person_year(None, person=tree["people"]["tccb"], year=2024, rating="HTNV")
    assert client.get("/api/v1/ratings/").json()["results"] == []


API_DENIED = [
    ("post", "/api/v1/people/", {"code": "Z1", "full_name": "Z", "gender": "F", "unit": "TCCB"}),
    ("patch", "/api/v1/people/NV3/", {"position": "X"}),
    ("patch", "/api/v1/people/NV1/", {"unit": "TCCB"}),
    ("post", "/api/v1/ratings/", {"person": "NV3", "year": 2024, "rating": "HTXSNV"}),
    ("post", "/api/v1/initiatives/", {"person": "NV3", "year": 2024, "title": "X", "scope": "BO"}),
    (
        "post",
        "/api/v1/disciplines/",
        {"person": "NV3", "level": "CANH_CAO", "start_date": "2024-01-01"},
    ),
    ("post", "/api/v1/units/", {"code": "NEW", "name": "X", "kind": "VU"}),
    ("patch", "/api/v1/units/VP/", {"name": "X"}),
    ("post", "/api/v1/unit-ratings/", {"unit": "VP", "year": 2024, "rating": "HTXSNV"}),
    (
        "post",
        "/api/v1/bloc-memberships/",
        {"bloc": "K1", "year": 2024, "unit": "VP", "role": "member"},
    ),
]


@pytest.mark.parametrize(("method", "url", "data"), API_DENIED)
def test_api_officer_denied_writes_change_nothing(client, officer, tree, method, url, data):
    make_bloc("K1")
    before = state()
    client.force_login(officer)
    response = getattr(client, method)(url, data, content_type="application/json")
    assert response.status_code in (400, 403, 404), response.content
    assert state() == before


@pytest.mark.parametrize(("method", "url", "data"), API_DENIED)
def test_api_viewer_denied_writes_change_nothing(client, viewer_user, tree, method, url, data):
    make_bloc("K1")
    before = state()
    client.force_login(viewer_user)
    response = getattr(client, method)(url, data, content_type="application/json")
    assert response.status_code in (403, 404), response.content
    assert state() == before


def test_api_officer_writes_in_scope(client, officer, tree):
    client.force_login(officer)
    response = client.post(
        "/api/v1/ratings/",
        {"person": "NV2", "year": 2024, "rating": "HTTNV"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.patch(
        "/api/v1/people/NV2/", {"position": "Phó phòng"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Person.objects.get(code="NV2").position == "Phó phòng"
    response = client.post(
        "/api/v1/initiatives/",
        {"person": "NV2", "year": 2024, "title": "Sổ tay", "scope": "CO_SO"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.delete(f"/api/v1/initiatives/{pk}/").status_code == 204


def test_api_bad_input_is_400_with_message(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(
        "/api/v1/ratings/",
        {"person": "NV1", "year": 2999, "rating": "HTTNV"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "year" in response.json()
    response = client.patch("/api/v1/units/BO/", {"parent": "P1"}, content_type="application/json")
    assert response.status_code == 400 and "parent" in response.json()
    bloc = make_bloc("K1")
    services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["vp"], role="leader")
    response = client.post(
        "/api/v1/bloc-memberships/",
        {"bloc": "K1", "year": 2024, "unit": "TCCB", "role": "leader"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert BlocMembership.objects.count() == 1


def test_api_officer_cannot_move_or_rewrite_another_units_year(client, officer, tree):
    """NV1 works in Văn phòng Bộ (the officer's scope) but spent 2022 in Vụ TCCB."""
    nv1 = tree["people"]["vp"]
    services.set_person_year(None, person=nv1, year=2022, rating="HTTNV", unit=tree["tccb"])
    before = state()
    client.force_login(officer)
    into_other = client.post(
        "/api/v1/ratings/",
        {"person": "NV1", "year": 2024, "rating": "HTXSNV", "unit": "TCCB"},
        content_type="application/json",
    )
    rewrite = client.post(
        "/api/v1/ratings/",
        {"person": "NV1", "year": 2022, "rating": "HTXSNV"},
        content_type="application/json",
    )
    row = PersonYear.objects.get(person=nv1, year=2022)
    pull_in = client.patch(
        f"/api/v1/ratings/{row.pk}/", {"unit": "VP"}, content_type="application/json"
    )
    assert [into_other.status_code, rewrite.status_code, pull_in.status_code] == [403] * 3
    assert state() == before
    row.refresh_from_db()
    assert (row.unit_id, row.rating) == (tree["tccb"].pk, "HTTNV")
    own = client.post(
        "/api/v1/ratings/",
        {"person": "NV1", "year": 2024, "rating": "HTXSNV"},
        content_type="application/json",
    )
    assert own.status_code == 201, own.content
