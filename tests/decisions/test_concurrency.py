"""Real threads on PostgreSQL: several offices signing decisions of one issuer at the same
instant get distinct, gap-free numbers."""

import datetime as dt

import pytest

from awards.decisions import services
from awards.models import AwardType, Decision
from emulation_portal.models import Role
from tests.concurrency import POSTGRES_ONLY, run_at_once
from tests.decisions.conftest import approved, make_world
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRES_ONLY]


def test_concurrent_signings_get_distinct_gap_free_numbers(make_user):
    world = make_world(make_user, n_people=4)
    bk = AwardType.objects.get(code="BK_BO")
    offices = [world.office] + [
        UserFactory(role=Role.OFFICE, username=f"thidua{i}") for i in range(1, 4)
    ]
    drafts = [
        services.create_draft(
            world.office,
            issuer=world.issuer,
            award_type=bk,
            year=2025,
            nomination_ids=[approved(p, "BK_BO").pk],
        )
        for p in world.people
    ]
    day = dt.date(2026, 3, 2)
    results = run_at_once(
        [
            (lambda o=o, d=d: services.sign(o, d, date=day).number)
            for o, d in zip(offices, drafts, strict=True)
        ]
    )
    assert all(kind == "ok" for kind, _ in results), results
    assert sorted(n for _, n in results) == [1, 2, 3, 4]
    assert sorted(Decision.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
