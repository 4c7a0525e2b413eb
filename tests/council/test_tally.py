"""The tally: approvals over ALL members against the threshold (exact arithmetic), written
opinions, absent members, quorum, the quota ranking and the chair's casting decision, and
publishing with the figures."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.council import services
from awards.models import Nomination, SessionRule
from emulation_portal.models import AuditEvent
from tests.council.conftest import accepted, vote_all


@pytest.mark.parametrize(
    "approvals, threshold, passed",
    [(12, "0.800", True), (11, "0.800", False), (13, "0.900", False), (14, "0.900", True)],
)
def test_threshold_edges_exact(approvals, threshold, passed):
    """12/15 = 80.0% passes 80%; 13/15 = 86.7% fails 90%; 14/15 = 93.3% passes 90%."""
    assert services.passes(approvals, 15, Decimal(threshold)) is passed


@pytest.mark.parametrize(
    "code, approvals, passed",
    [
        ("CO_BO", 12, True),
        ("CO_BO", 11, False),
        ("CSTD_BO", 13, False),
        ("CSTD_BO", 14, True),
    ],
)
def test_threshold_edges_end_to_end(world, make_session, code, approvals, passed):
    n = (
        accepted(unit=world.units[0], code=code, proposing_unit=world.ministry)
        if code == "CO_BO"
        else accepted(person=world.people[0], code=code, proposing_unit=world.vp)
    )
    s = make_session([n])
    vote_all(s, world.members, lambda i, it: "approve" if i < approvals else "disapprove")
    services.transition(world.office, s, "close")
    item = s.items.get()
    assert (item.approvals, item.passed, item.approved) == (approvals, passed, passed)
    assert services.verify(s) == []


def test_rule_numbers_are_stored_with_the_session(world, make_session):
    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n])
    rule = SessionRule.objects.get(session=s)
    assert rule.threshold == Decimal("0.900")
    assert "152/2025" in rule.legal_reference and rule.rule_set_code == "ND152-2025-TT62"
    assert (s.quorum_numerator, s.quorum_denominator, s.members_count) == (2, 3, 15)


def test_written_opinion_counts(world, make_session):
    """13 present approve and one written opinion approves: 14/15 passes 90%."""
    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n], present=13, written=1)
    vote_all(s, world.members[:13], lambda i, it: "approve")
    absent_writer = world.members[13]
    with pytest.raises(PermissionDenied, match="written opinion"):
        services.cast(absent_writer.user, s, {s.items.get().pk: "approve"})
    receipt = services.enter_written_opinion(
        world.secretary.user, s, absent_writer, {s.items.get().pk: "approve"}
    )
    assert s.ballots.get(receipt=receipt).written
    services.transition(world.office, s, "close")
    item = s.items.get()
    assert (item.approvals, item.approved) == (14, True)


def test_absent_without_written_opinion_counts_as_not_approving(world, make_session):
    """13 of 13 present approve, 2 absent send nothing: 13/15 = 86.7% fails 90%."""
    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n], present=13)
    vote_all(s, world.members[:13], lambda i, it: "approve")
    services.transition(world.office, s, "close")
    item = s.items.get()
    assert (item.approvals, item.passed, item.approved) == (13, False, False)


def test_quorum_short_by_one_refuses_to_open(world, make_session):
    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n], present=9, open_it=False)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.transition(world.office, s, "open")
    assert "9" in exc.value.messages[0] and "10" in exc.value.messages[0]
    s.refresh_from_db()
    assert s.state == "draft" and AuditEvent.objects.count() == events
    services.set_attendance(world.office, s, world.members[9], "present")
    assert services.transition(world.office, s, "open").state == "open"


def test_recusal_counts_as_not_approving_and_base_stays(world, make_session):
    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n])
    item = s.items.get()
    services.recuse(world.members[14].user, s, item, reason="Cùng đơn vị")
    vote_all(s, world.members[:14], lambda i, it: "approve")
    services.cast(world.members[14].user, s, {})
    services.transition(world.office, s, "close")
    item.refresh_from_db()
    assert (item.approvals, item.recusals, item.abstentions, item.approved) == (14, 1, 0, True)


def test_quota_tie_needs_the_chairs_casting_decision(world, make_session):
    a = accepted(person=world.people[0], proposing_unit=world.vp)
    b = accepted(person=world.people[1], proposing_unit=world.vp)
    c = accepted(person=world.people[2], proposing_unit=world.vp)
    s = make_session([a, b, c], open_it=False)
    services.set_places(world.office, s, a.award_type, 1)
    services.transition(world.office, s, "open")
    items = {i.nomination_id: i for i in s.items.all()}
    vote_all(
        s,
        world.members,
        lambda i, it: "approve" if it.nomination_id != c.pk or i < 5 else "disapprove",
    )
    services.transition(world.office, s, "close")
    ia, ib, ic = (items[x.pk] for x in (a, b, c))
    for i in (ia, ib, ic):
        i.refresh_from_db()
    assert ia.tied and ib.tied and ia.approved is None and ia.rank == 1 and ib.rank == 1
    assert not ic.passed and ic.approved is False and ic.rank == 3
    with pytest.raises(ValidationError, match="tie"):
        services.transition(world.office, s, "publish")
    with pytest.raises(PermissionDenied):
        services.settle_tie(world.office, s, [ia.pk])  # only the chair decides
    with pytest.raises(ValidationError):
        services.settle_tie(world.chair.user, s, [ia.pk, ib.pk])
    services.settle_tie(world.chair.user, s, [ib.pk])
    assert services.verify(s) == []
    services.transition(world.office, s, "publish")
    states = dict(Nomination.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "state"))
    assert states == {a.pk: "rejected", b.pk: "approved", c.pk: "rejected"}
    event = AuditEvent.objects.filter(action="nomination.approve", object_id=str(b.pk)).get()
    assert "15/15" in event.after["note"] and "90" in event.after["note"]
    assert services.verify(s) == []


def test_office_cannot_approve_by_hand_what_the_ballot_rejected(world, make_session):
    from awards.nominations import services as nomination_services

    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n])
    with pytest.raises(ValidationError):
        nomination_services.transition(world.office, n, "approve")
    vote_all(s, world.members, lambda i, it: "disapprove")
    services.transition(world.office, s, "close")
    with pytest.raises(ValidationError):
        nomination_services.transition(world.office, n, "approve")
    services.transition(world.office, s, "publish")
    n.refresh_from_db()
    assert n.state == "rejected"


def test_closing_starts_the_minutes_job(world, make_session, django_capture_on_commit_callbacks):
    n = accepted(person=world.people[0], proposing_unit=world.vp)
    s = make_session([n])
    vote_all(s, world.members, lambda i, it: "approve")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(world.office, s, "close")
    s.refresh_from_db()
    job = s.minutes_job
    assert job is not None and job.kind == "council.minutes"
    job.refresh_from_db()
    assert job.state == "success" and job.result_file.name.endswith(".pdf")
