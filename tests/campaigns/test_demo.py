"""The demo seeder runs through the services on a registry like the units seeder's."""

import random

import pytest

from campaigns import demo
from campaigns.models import (
    AcclamationProposal,
    Campaign,
    MeetingPhoto,
    Pledge,
    PledgeState,
    Ranking,
)
from emulation_portal.demo import SeedContext
from tests.campaigns.factories import BlocFactory, UnitFactory, membership
from units.models import BlocMembership, BlocRole

pytestmark = pytest.mark.django_db


def test_demo_seeds_history_and_a_year_in_progress():
    bloc = BlocFactory(code="KHOI_II", name="Khối thi đua số II")
    BlocFactory(code="KHOI_I", name="Khối thi đua số I")
    units = [UnitFactory() for _ in range(3)]
    for i, unit in enumerate(units):
        membership(bloc, 2021, unit, [BlocRole.LEADER, BlocRole.DEPUTY, "member"][i])
    ctx = SeedContext(rng=random.Random(1), seed=1, scale=None, actor=None, log=lambda m: None)
    demo.seed(ctx)
    assert Campaign.objects.filter(kind="annual").count() == 6
    assert Campaign.objects.get(year=2026, kind="annual").state == "launched"
    assert Ranking.objects.filter(published_at__isnull=False).count() == 5
    assert AcclamationProposal.objects.filter(award_code="CO_BO").count() == 5
    # each year-end meeting created the next year's bloc with a leader
    for year in range(2022, 2027):
        roles = set(
            BlocMembership.objects.filter(bloc=bloc, year=year).values_list("role", flat=True)
        )
        assert BlocRole.LEADER in roles and BlocRole.DEPUTY in roles, year
    assert Pledge.objects.get(bloc=bloc, year=2026).state == PledgeState.SIGNING
    assert MeetingPhoto.objects.count() == 1
    demo.seed(ctx)  # a second run changes nothing
    assert Campaign.objects.filter(kind="annual").count() == 6


def test_blocs_without_a_demo_meeting_are_carried_into_the_year_in_progress():
    other = BlocFactory(code="KHOI_V", name="Khối thi đua số V")
    units = [UnitFactory() for _ in range(3)]
    for i, unit in enumerate(units):
        membership(other, 2025, unit, [BlocRole.LEADER, BlocRole.DEPUTY, "member"][i])
    ctx = SeedContext(rng=random.Random(1), seed=1, scale=None, actor=None, log=lambda m: None)
    demo.seed(ctx)
    carried = dict(BlocMembership.objects.filter(bloc=other, year=2026).values_list("unit", "role"))
    assert carried == {
        units[0].pk: BlocRole.LEADER,
        units[1].pk: BlocRole.DEPUTY,
        units[2].pk: BlocRole.MEMBER,
    }
