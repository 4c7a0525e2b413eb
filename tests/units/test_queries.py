"""List pages and list endpoints run a fixed number of queries, at 1 row and at 50."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation_portal.models import Role
from tests.units.factories import make_bloc, make_person, make_unit
from units import services
from units.models import Bloc, UnitKind

URLS = [
    "/people/",
    "/people/?q=nguyen",
    "/units/",
    "/units/VP/",
    "/blocs/?year=2024",
    "/blocs/KHOI/?year=2024",
    "/api/v1/people/",
    "/api/v1/people/?unit=BO&year=2024",
    "/api/v1/units/",
    "/api/v1/ratings/?year=2024",
    "/api/v1/initiatives/",
    "/api/v1/disciplines/",
    "/api/v1/unit-ratings/",
    "/api/v1/blocs/?year=2024",
    "/api/v1/bloc-memberships/?year=2024",
]


def build(n: int):
    bo = make_unit("BO", "Bộ", UnitKind.BO)
    vp = make_unit("VP", "Văn phòng Bộ", UnitKind.VAN_PHONG, parent=bo)
    bloc = make_bloc("KHOI", name="Khối")
    for i in range(n):
        unit = make_unit(f"U{i}", f"Phòng {i}", UnitKind.PHONG, parent=vp)
        person = make_person(unit, f"NV{i}", f"Nguyễn Văn {i}")
        services.set_person_year(None, person=person, year=2024, rating="HTTNV")
        services.set_unit_rating(None, unit=unit, year=2024, rating="HTTNV")
        services.add_initiative(None, person=person, year=2024, title=f"S{i}", scope="BO")
        services.add_discipline(
            None, person=person, level="KHIEN_TRACH", start_date=dt.date(2024, 1, 1)
        )
        services.add_bloc_member(
            None, bloc=bloc, year=2024, unit=unit, role="leader" if i == 0 else "member"
        )
        if i < 2:
            make_bloc(f"CUM{i}", kind="CUM")
    return vp


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


@pytest.mark.parametrize("role", [Role.OFFICE, Role.UNIT_OFFICER])
def test_fixed_number_of_queries_at_1_and_50_rows(
    client, make_user, django_assert_num_queries, role
):
    vp = build(1)
    user = make_user(role)
    if role == Role.UNIT_OFFICER:
        services.assign_officer(None, user=user, unit=vp)
    client.force_login(user)
    at_one = {url: count(client, url) for url in URLS}
    bloc = Bloc.objects.get(code="KHOI")
    for i in range(1, 50):
        unit = make_unit(f"X{i}", f"Ban {i}", UnitKind.PHONG, parent=vp)
        person = make_person(unit, f"NX{i}", f"Nguyễn Thị {i}")
        services.set_person_year(None, person=person, year=2024, rating="HTXSNV")
        services.set_unit_rating(None, unit=unit, year=2024, rating="HTTNV")
        services.add_initiative(None, person=person, year=2024, title=f"T{i}", scope="BO")
        services.add_discipline(
            None, person=person, level="CANH_CAO", start_date=dt.date(2023, 1, 1)
        )
        services.add_bloc_member(None, bloc=bloc, year=2024, unit=unit)
    for url in URLS:
        with django_assert_num_queries(at_one[url]):
            response = client.get(url)
        assert response.status_code == 200
    assert client.get("/api/v1/people/").json()["count"] == 50
    # lists stay small; the unit page also runs the panels other apps register
    assert max(v for url, v in at_one.items() if url != "/units/VP/") <= 12, at_one
