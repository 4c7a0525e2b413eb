"""The council demo, on top of the whole demo as `make run` builds it: a ministry council
of 15, a past published session that verifies, an open one in which ``hoidong`` can vote."""

import io

import pytest
from django.core.management import call_command

from awards.council import services
from awards.models import Council, CouncilSession
from emulation_portal.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_council_sessions():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    council = Council.objects.get(level="ministry")
    term = council.terms.get()
    assert term.members.count() == 15
    past = CouncilSession.objects.get(state="published")
    assert services.verify(past) == [] and past.ballots.filter(written=True).count() == 1
    assert past.items.filter(approved__isnull=False).count() == past.items.count() > 0
    session = CouncilSession.objects.get(state="open")
    hoidong = User.objects.get(username="hoidong")
    items = {i.pk: "approve" for i in session.items.all()}
    receipt = services.cast(hoidong, session, items)
    assert session.ballots.filter(receipt=receipt).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert Council.objects.count() == 1 and CouncilSession.objects.count() == 2
