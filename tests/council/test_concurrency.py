"""Real threads on PostgreSQL: fifty members casting at once, one member from two tabs."""

import threading

import pytest
from django.db import connections

from awards.council import services
from awards.models import Ballot, BallotChoice, VoterRoll
from emulation_portal.models import Role
from tests.concurrency import POSTGRES_ONLY, run_at_once
from tests.council.conftest import accepted
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRES_ONLY]


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
    results = run_at_once(
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
    results = run_at_once(
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


def _wait_until_blocked(thread, box):
    """Poll PostgreSQL until the thread's backend waits on a lock, and say whether it did
    (False: the thread finished without ever waiting). No time is measured."""
    with connections["default"].cursor() as cur:
        while thread.is_alive():
            cur.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [box["pid"]])
            row = cur.fetchone()
            if row and row[0] == "Lock":
                return True
    return False


def _in_thread(fn):
    """Run ``fn(pid_box)`` in a thread with its own connection; its backend pid is put in
    ``pid_box`` before it starts working."""
    box = {"pid": None, "started": threading.Event(), "result": None}

    def run():
        try:
            with connections["default"].cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                box["pid"] = cur.fetchone()[0]
            box["started"].set()
            box["result"] = ("ok", fn())
        except Exception as exc:  # the outcome is what the test asserts
            box["result"] = ("error", exc)
        finally:
            box["started"].set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    box["started"].wait()
    return thread, box


def test_casts_run_side_by_side_and_close_waits_for_them(world, big_session, monkeypatch):
    """A cast in flight (its roll, ballot and choices written, not yet committed) does not
    hold back another member's cast; closing waits for it and counts it; a cast that comes
    while the close holds the session waits, then is refused: nothing is stored after
    closing."""
    from django.db import transaction

    from awards.council.services import ballots

    s = big_session
    items = list(s.items.values_list("pk", flat=True))
    in_flight = threading.Event()
    release_cast = threading.Event()
    release_close = threading.Event()
    record = ballots.audit.record

    def held_record(actor, action, *args, **kwargs):
        # the first member's cast stops just before its audit event, mid-transaction
        if action == "council.ballot.cast" and actor == world.members[1].user:
            in_flight.set()
            release_cast.wait()
        return record(actor, action, *args, **kwargs)

    monkeypatch.setattr(ballots.audit, "record", held_record)
    approve = dict.fromkeys(items, "approve")

    def close_and_hold():
        with transaction.atomic():
            services.transition(world.office, s.pk, "close")
            release_close.wait()

    threads = []
    try:
        first, first_box = _in_thread(lambda: services.cast(world.members[1].user, s.pk, approve))
        threads.append(first)
        in_flight.wait()
        # another member casts from start to commit, never waiting, while the first is
        # in flight
        second, second_box = _in_thread(lambda: services.cast(world.members[2].user, s.pk, approve))
        threads.append(second)
        assert not _wait_until_blocked(second, second_box)
        assert second_box["result"][0] == "ok", second_box["result"]

        closer, close_box = _in_thread(close_and_hold)
        threads.append(closer)
        assert _wait_until_blocked(closer, close_box)  # the close waits for the cast in flight
        release_cast.set()
        first.join()
        assert first_box["result"][0] == "ok", first_box["result"]

        late, late_box = _in_thread(lambda: services.cast(world.members[3].user, s.pk, approve))
        threads.append(late)
        assert _wait_until_blocked(late, late_box)  # the late cast waits for the close
    finally:
        release_cast.set()
        release_close.set()
        for thread in threads:
            thread.join()
    assert close_box["result"][0] == "ok", close_box["result"]
    outcome, error = late_box["result"]
    assert outcome == "error" and error.code == "closed"
    receipts = {first_box["result"][1], second_box["result"][1]}
    assert set(Ballot.objects.filter(session=s).values_list("receipt", flat=True)) == receipts
    assert VoterRoll.objects.filter(session=s).count() == 2
    assert list(s.items.values_list("approvals", flat=True)) == [2, 2]
    assert services.verify(s) == []


def test_a_cast_racing_the_close_is_counted_or_refused(world, big_session):
    """Twenty casts and the close released at once: each cast either answered with a
    receipt that the close counted, or was refused because voting had closed; no ballot
    is stored that the count does not include."""
    s = big_session
    items = list(s.items.values_list("pk", flat=True))
    casters = world.members[:20]
    jobs = [
        lambda m=m: services.cast(m.user, s.pk, dict.fromkeys(items, "approve")) for m in casters
    ]
    jobs.append(lambda: services.transition(world.office, s.pk, "close"))
    results = run_at_once(jobs)
    assert results[-1][0] == "ok", results[-1]
    casts = results[:-1]
    counted = {r[1] for r in casts if r[0] == "ok"}
    refused = [r[1] for r in casts if r[0] == "error"]
    assert all(getattr(e, "code", None) == "closed" for e in refused), refused
    assert len(counted) + len(refused) == 20
    assert set(Ballot.objects.filter(session=s).values_list("receipt", flat=True)) == counted
    assert VoterRoll.objects.filter(session=s).count() == len(counted)
    assert list(s.items.values_list("approvals", flat=True)) == [len(counted)] * 2
    assert services.verify(s) == []
