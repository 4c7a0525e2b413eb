"""Casting, closing and the agenda do their council-side work in sets: a cast's queries do
not grow with the agenda (the choices are one INSERT), closing stores every item's result
in bulk, and building the agenda runs in one transaction with one agenda event that names
the count. Query counts at 1 and N items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.council import services
from emulation_portal.models import AuditEvent
from tests.council.conftest import accepted
from tests.nominations import factories as f

pytestmark = pytest.mark.django_db


def _noms(world, n, tag="QS"):
    people = [f.person(world.vp, f"{tag}{i:03d}", f"Trần Văn {i}") for i in range(n)]
    return [accepted(person=p, proposing_unit=world.vp) for p in people]


def _cast_queries(session, member):
    choices = {i.pk: "approve" for i in session.items.all()}
    with CaptureQueriesContext(connection) as ctx:
        services.cast(member.user, session, choices)
    return len(ctx)


def _close_queries(world, session):
    with CaptureQueriesContext(connection) as ctx:
        services.transition(world.office, session, "close")
    return len(ctx)


def test_cast_and_close_queries_do_not_grow_with_the_agenda(world, make_session):
    small = make_session(_noms(world, 1))
    large = make_session(_noms(world, 6, "QL"))
    assert large.items.count() == 6
    one, many = _cast_queries(small, world.members[0]), _cast_queries(large, world.members[0])
    assert one == many
    assert many <= 16, many  # was 23 with a session row lock, exists checks and a savepoint
    assert _close_queries(world, small) == _close_queries(world, large)


def test_agenda_in_one_event_with_its_count(world):
    noms = _noms(world, 4)
    s = services.create_session(
        world.office,
        world.council,
        title="Phiên xét",
        date=__import__("datetime").date(2026, 1, 20),
        year=2025,
    )
    noms[2].state = "draft"
    noms[2].save(update_fields=["state"])
    result = services.build_agenda(world.office, s, noms)
    assert sorted(result.added) == sorted(n.pk for n in noms if n.pk != noms[2].pk)
    assert list(result.refused) == [noms[2].pk]
    assert list(s.items.order_by("order").values_list("order", flat=True)) == [1, 2, 3]
    events = AuditEvent.objects.filter(action="council_session.agenda", object_id=str(s.pk))
    assert events.count() == 1
    assert events.get().after["count"] == 3
    # each nomination's own history keeps its move
    assert AuditEvent.objects.filter(action="nomination.schedule").count() == 3
    for n in noms:
        n.refresh_from_db()
    assert [n.state for n in noms] == ["in_session", "in_session", "draft", "in_session"]
