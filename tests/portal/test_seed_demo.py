"""The whole demo, as `make run` builds it: every seeder through the services, in order, on
an empty database; a second run adds nothing; the audit chain it wrote verifies."""

import io

import pytest
from django.core.management import call_command

from awards.models import AwardRecord, Disclosure, Nomination, NominationState
from campaigns.models import Campaign, Ranking
from emulation_portal.audit import verify_chain
from emulation_portal.models import AuditEvent, Role, User
from units.models import Bloc, BlocMembership, Person, Unit

pytestmark = pytest.mark.django_db(transaction=True)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Unit, Person, Bloc, Campaign, Ranking, AwardRecord, Nomination)
    }


def test_seed_demo_builds_every_part_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data ready." in out.getvalue()
    counts = _counts()
    assert set(User.objects.values_list("role", flat=True)) >= set(Role.values)
    assert counts["Unit"] > 50 and counts["Person"] > 500 and counts["Bloc"] == 10
    # every bloc and cluster has the year in progress, with a leader
    for bloc in Bloc.objects.all():
        assert BlocMembership.objects.filter(bloc=bloc, year=2026, role="leader").exists(), bloc
    assert Ranking.objects.filter(published_at__isnull=False).exists()
    assert Campaign.objects.filter(year=2026, state="launched").exists()
    assert AwardRecord.objects.exists()
    assert Nomination.objects.filter(level="unit", state=NominationState.ACCEPTED).exists()
    assert Disclosure.objects.filter(objections__answered_at__isnull=False).exists()
    assert verify_chain() == []

    events = AuditEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts and AuditEvent.objects.count() == events
