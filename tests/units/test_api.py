"""API filters: unit subtree, year (+ rating), bloc + year, accent-free search; blocs with
their members by year."""

from tests.units.factories import make_bloc
from units import services


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(item["code"] for item in response.json()["results"])


def test_people_filters(client, viewer_user, tree):
    people = tree["people"]
    services.set_person_year(None, person=people["vp"], year=2024, rating="HTXSNV")
    services.set_person_year(None, person=people["p1"], year=2024, rating="HTNV")
    services.set_person_year(None, person=people["tccb"], year=2023, rating="HTXSNV")
    bloc = make_bloc("K2")
    services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["vp"])
    client.force_login(viewer_user)
    assert codes(client.get("/api/v1/people/?unit=VP")) == ["NV1", "NV2"]
    assert codes(client.get("/api/v1/people/?year=2024")) == ["NV1", "NV2"]
    assert codes(client.get("/api/v1/people/?year=2024&rating=HTXSNV")) == ["NV1"]
    assert codes(client.get("/api/v1/people/?bloc=K2&year=2024")) == ["NV1"]
    assert client.get("/api/v1/people/?bloc=K2").status_code == 400
    assert codes(client.get("/api/v1/people/?search=tran minh hoa")) == ["NV3"]
    assert codes(client.get("/api/v1/people/?search=Đức")) == ["NV2"]
    detail = client.get("/api/v1/people/NV1/").json()
    assert detail["years"] == [
        {"year": 2024, "unit": "VP", "rating": "HTXSNV", "position_level": ""}
    ]
    assert codes(client.get("/api/v1/units/?unit=VP")) == ["P1", "VP"]
    assert codes(client.get("/api/v1/units/?search=van phong")) == ["VP"]
    ratings = client.get("/api/v1/ratings/?unit=BO&year=2024").json()["results"]
    assert sorted(r["person"] for r in ratings) == ["NV1", "NV2"]


def test_blocs_with_members_by_year(client, viewer_user, tree):
    bloc = make_bloc("K2", name="Khối thi đua số II")
    services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["vp"], role="leader")
    services.add_bloc_member(None, bloc=bloc, year=2025, unit=tree["tccb"], role="leader")
    client.force_login(viewer_user)
    data = client.get("/api/v1/blocs/?year=2024").json()["results"]
    assert data[0]["code"] == "K2"
    assert [(m["unit"], m["role"]) for m in data[0]["memberships"]] == [("VP", "leader")]
    rows = client.get("/api/v1/bloc-memberships/?bloc=K2&year=2025").json()["results"]
    assert [(m["unit"], m["role"]) for m in rows] == [("TCCB", "leader")]


def test_office_changes_role_through_the_api(client, office_user, tree):
    bloc = make_bloc("K2")
    services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["vp"], role="leader")
    m = services.add_bloc_member(None, bloc=bloc, year=2024, unit=tree["tccb"])
    client.force_login(office_user)
    response = client.patch(
        f"/api/v1/bloc-memberships/{m.pk}/", {"role": "leader"}, content_type="application/json"
    )
    assert response.status_code == 400  # VP leads already
    response = client.patch(
        f"/api/v1/bloc-memberships/{m.pk}/", {"role": "deputy"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["role"] == "deputy"
