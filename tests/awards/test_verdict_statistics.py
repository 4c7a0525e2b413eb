"""A finished pass refreshes the planner's statistics of the verdict table (PostgreSQL): with
the statistics of before the pass, the list page sorted the whole year instead of reading
one page in index order, and its time grew with people."""

import pytest
from django.db import connection

from awards.models import StoredVerdict, VerdictPass
from tests.awards.test_standing_verdicts import YEAR, run, world  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's"
    ),
]


def _estimated_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s",
            [StoredVerdict._meta.db_table],
        )
        return cursor.fetchone()[0]


def test_finished_pass_leaves_fresh_statistics(world, run):  # noqa: F811
    p = run()
    assert p.state == VerdictPass.State.DONE
    assert _estimated_rows() == StoredVerdict.objects.filter(year=YEAR).count() > 0
