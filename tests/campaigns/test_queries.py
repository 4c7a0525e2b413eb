"""Ranking a bloc and the office's all-bloc view cost a fixed number of queries, whatever
the number of blocs and units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from tests.campaigns.factories import build_scored_bloc

pytestmark = pytest.mark.django_db
YEAR = 2025


def _count(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_ranking_a_bloc_is_constant_in_units(django_assert_num_queries):
    small, _u, small_leader = build_scored_bloc(YEAR, 1)
    big, _u2, big_leader = build_scored_bloc(YEAR, 25)
    n = _count(lambda: services.compute_ranking(small_leader, small, YEAR))
    with django_assert_num_queries(n):
        ranking = services.compute_ranking(big_leader, big, YEAR)
    assert ranking.entries.count() == 25


def test_bloc_page_is_constant_in_units(client, django_assert_num_queries):
    small, _u, small_leader = build_scored_bloc(YEAR, 1, ranked=True)
    big, _u2, big_leader = build_scored_bloc(YEAR, 20, ranked=True)
    client.force_login(small_leader)
    page = reverse("campaigns:bloc-year", args=[small.pk, YEAR])
    n = _count(lambda: client.get(page))
    client.force_login(big_leader)
    with django_assert_num_queries(n):
        r = client.get(reverse("campaigns:bloc-year", args=[big.pk, YEAR]))
    assert r.status_code == 200 and r.content.decode().count('id="cell-') == 60


def test_all_blocs_view_is_constant_in_blocs_and_units(
    client, office_user, django_assert_num_queries
):
    build_scored_bloc(YEAR, 1, ranked=True)
    client.force_login(office_user)
    url = reverse("campaigns:all-blocs") + f"?year={YEAR}"
    n = _count(lambda: client.get(url))
    for _ in range(5):
        build_scored_bloc(YEAR, 12, ranked=True)
    with django_assert_num_queries(n):
        r = client.get(url)
    assert (
        r.status_code == 200
        and r.content.decode().count("12 of 12") + r.content.decode().count("12 trên 12") >= 5
    )
