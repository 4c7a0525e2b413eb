"""National lists (people, ratings, unit ratings) count up to a cap, not the whole table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.units.factories import make_person
from units import services


@pytest.fixture
def many(tree):
    """Ten more people in VP, each with a 2024 rating; units rated for 2024."""
    for _ in range(10):
        person = make_person(tree["vp"])
        services.set_person_year(None, person=person, year=2024, rating="HTNV")
    for unit in ("bo", "vp", "p1", "tccb"):
        services.set_unit_rating(None, unit=tree[unit], year=2024, rating="HTXSNV")
    return tree


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    "url", ["/api/v1/people/", "/api/v1/ratings/?year=2024", "/api/v1/unit-ratings/?year=2024"]
)
def test_count_stops_at_the_cap_and_says_so(client, viewer_user, many, settings, url):
    settings.API_COUNT_CAP = 3
    client.force_login(viewer_user)
    data = _page(client, url + ("&" if "?" in url else "?") + "page_size=2")
    assert data["count"] == 3
    assert data["count_capped"] is True
    assert len(data["results"]) == 2
    assert data["next"] is not None


def test_under_the_cap_the_count_is_exact(client, viewer_user, many, settings):
    settings.API_COUNT_CAP = 1000
    client.force_login(viewer_user)
    data = _page(client, "/api/v1/people/")
    assert (data["count"], data["count_capped"]) == (13, False)
    assert data["next"] is None


def test_pages_past_the_cap_are_served_and_end_where_the_rows_end(
    client, viewer_user, many, settings
):
    settings.API_COUNT_CAP = 3
    client.force_login(viewer_user)
    seen = []
    url = "/api/v1/people/?page_size=4"
    while url:
        data = _page(client, url)
        seen += [p["code"] for p in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == 13
    assert client.get("/api/v1/people/?page_size=4&page=5").status_code == 404
    assert client.get("/api/v1/people/?page=0").status_code == 404
    assert client.get("/api/v1/people/?page=x").status_code == 404


def test_empty_list_is_one_empty_page(client, viewer_user, tree, settings):
    settings.API_COUNT_CAP = 3
    client.force_login(viewer_user)
    data = _page(client, "/api/v1/unit-ratings/?year=2030")
    assert data == {
        "count": 0,
        "count_capped": False,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_query_count_does_not_grow_with_rows(client, viewer_user, tree, settings):
    settings.API_COUNT_CAP = 5
    client.force_login(viewer_user)
    url = "/api/v1/ratings/?year=2024&page_size=3"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _page(client, url)
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1 and "LIMIT 6" in counts[0]  # cap + 1, in a subquery
        assert "ORDER BY" not in counts[0].upper()  # no sort of every matching row
        return len(ctx.captured_queries)

    for _ in range(4):
        services.set_person_year(None, person=make_person(tree["vp"]), year=2024, rating="HTNV")
    few = queries()
    for _ in range(12):
        services.set_person_year(None, person=make_person(tree["vp"]), year=2024, rating="HTNV")
    assert queries() == few


def test_schema_documents_the_flag(client, viewer_user, db):
    client.force_login(viewer_user)
    schema = client.get("/api/schema/?format=json").json()
    paged = schema["components"]["schemas"]["PaginatedPersonList"]
    assert paged["properties"]["count_capped"]["type"] == "boolean"
    assert "count_capped" in paged["required"]
    plain = schema["components"]["schemas"]["PaginatedUnitList"]
    assert "count_capped" not in plain["properties"]
