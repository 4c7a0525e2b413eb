"""List pages and list endpoints run a fixed number of queries, at 1 row and at 50."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation_portal.models import Role
from tests.units.factories import make_bloc, make_person, make_unit
from units import services
from units.bulk import insert_rows
from units.models import (
    Bloc,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitKind,
    UnitRating,
)
from units.services import segment

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


def add_rows(vp, bloc, n: int) -> None:
    """``n`` more sub-units of ``vp``, each with a person and the same records as build()."""
    rows = [
        (1_000_000 + i, f"X{i}", f"Ban {i}", "", UnitKind.PHONG, vp.pk,
         vp.path + segment(1_000_000 + i), vp.depth + 1, f"x{i} ban {i}")
        for i in range(n)
    ]  # fmt: skip
    insert_rows(Unit, ["id", "code", "name", "short_name", "kind", "parent_id", "path",
                       "depth", "search_text"], rows)  # fmt: skip
    insert_rows(Person, ["id", "code", "full_name", "gender", "birth_date", "position",
                         "is_manager", "unit_id", "search_text"],
                [(1_000_000 + i, f"NX{i}", f"Nguyễn Thị {i}", "F", None, "", False,
                  1_000_000 + i, f"nguyen thi {i} nx{i}") for i in range(n)])  # fmt: skip
    pid = [1_000_000 + i for i in range(n)]
    PersonYear.objects.bulk_create(
        [PersonYear(person_id=p, year=2024, unit_id=p, rating="HTXSNV") for p in pid]
    )
    UnitRating.objects.bulk_create([UnitRating(unit_id=p, year=2024, rating="HTTNV") for p in pid])
    Initiative.objects.bulk_create(
        [Initiative(person_id=p, year=2024, title=f"T{p}", scope="BO") for p in pid]
    )
    Discipline.objects.bulk_create(
        [Discipline(person_id=p, level="CANH_CAO", start_date=dt.date(2023, 1, 1)) for p in pid]
    )
    BlocMembership.objects.bulk_create(
        [BlocMembership(bloc=bloc, year=2024, unit_id=p, bloc_kind=bloc.kind) for p in pid]
    )


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
    add_rows(vp, bloc, 49)  # written in bulk: this test is about reads
    for url in URLS:
        with django_assert_num_queries(at_one[url]):
            response = client.get(url)
        assert response.status_code == 200
    assert client.get("/api/v1/people/").json()["count"] == 50
    # lists stay small; the unit page also runs the panels other apps register
    assert max(v for url, v in at_one.items() if url != "/units/VP/") <= 12, at_one


@pytest.mark.django_db
def test_search_has_trigram_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["units_%_search_trgm"]
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"units_person_search_trgm", "units_unit_search_trgm"}
