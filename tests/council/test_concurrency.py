"""Real threads on PostgreSQL: fifty members casting at once, one member from two tabs."""

import threading

import pytest
from django.db import connection, connections

from awards.council import services
from awards.models import Ballot, BallotChoice, VoterRoll
from emulation_portal.models import Role
from tests.council.conftest import accepted
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL (set DATABASE_URL)",
    ),
]


def _run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = ("ok", job())
        except Exception as exc:  # the outcome is what the test asserts
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def big_session(world):
    for i in range(35):
        user = UserFactory(role=Role.COUNCIL, username=f"hdx{i:02d}")
        world.members.append(services.add_member(world.office, world.term, user=user))
    s = services.create_session(
        world.office,
        world.council,
        title="Phiên 50 thành viên",
        date=__import__("datetime").date(2026, 1, 20),
        year=2025,
    )
    services.build_agenda(
        world.office,
        s,
        [
            accepted(person=world.people[0], proposing_unit=world.vp),
            accepted(person=world.people[1], proposing_unit=world.vp),
        ],
    )
    for m in world.members:
        services.set_attendance(world.office, s, m, "present")
    return services.transition(world.office, s, "open")


def test_fifty_members_cast_at_once(world, big_session):
    s = big_session
    items = list(s.items.values_list("pk", flat=True))
    assert len(world.members) == 50
    results = _run_at_once(
        [
            lambda m=m: services.cast(m.user, s.pk, dict.fromkeys(items, "approve"))
            for m in world.members
        ]
    )
    assert [r[0] for r in results] == ["ok"] * 50, [r for r in results if r[0] != "ok"]
    assert len({r[1] for r in results}) == 50  # 50 distinct receipts
    assert VoterRoll.objects.filter(session=s).count() == 50
    assert Ballot.objects.filter(session=s).count() == 50
    assert BallotChoice.objects.filter(ballot__session=s).count() == 100
    services.transition(world.office, s, "close")
    assert list(s.items.values_list("approvals", flat=True)) == [50, 50]
    assert services.verify(s) == []


def test_one_member_from_two_tabs_gets_one_ballot(world, big_session):
    s = big_session
    member = world.members[3]
    items = list(s.items.values_list("pk", flat=True))
    results = _run_at_once(
        [
            lambda c=c: services.cast(member.user, s.pk, dict.fromkeys(items, c))
            for c in ("approve", "disapprove")
        ]
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"]
    error = next(r[1] for r in results if r[0] == "error")
    assert error.code == "already_voted"  # the thread runs in the default language
    assert VoterRoll.objects.filter(session=s, member=member).count() == 1
    assert Ballot.objects.filter(session=s).count() == 1
