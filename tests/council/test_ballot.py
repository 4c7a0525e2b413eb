"""Casting: every refusal the issue names, with its message, changing nothing; the
substitute; a cast ballot that never changes; conflicts of interest."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.council import selectors, services
from awards.models import Ballot, BallotChoice, VoterRoll
from awards.models.council import BallotError
from emulation_portal.models import Role
from tests.council.conftest import accepted
from tests.factories import UserFactory
from tests.nominations import factories as f


@pytest.fixture
def session(world, make_session):
    return make_session(
        [
            accepted(person=world.people[0], proposing_unit=world.vp),
            accepted(person=world.people[1], proposing_unit=world.vp),
        ]
    )


def _all(session, choice="approve"):
    return {i.pk: choice for i in session.items.all()}


def _counts(session):
    return (
        VoterRoll.objects.filter(session=session).count(),
        Ballot.objects.filter(session=session).count(),
        BallotChoice.objects.filter(ballot__session=session).count(),
    )


def test_cast_returns_a_receipt_and_records_who_not_what(world, session):
    receipt = services.cast(world.members[1].user, session, _all(session))
    assert len(receipt) == 14 and receipt.count("-") == 2
    ballot = Ballot.objects.get(receipt=receipt)
    assert ballot.voter is None and ballot.secret and not ballot.written
    assert selectors.roll_members(session) == {world.members[1].pk}
    assert selectors.progress(session)["cast"] == 1


def test_casting_twice_is_refused(world, session):
    services.cast(world.members[1].user, session, _all(session))
    with pytest.raises(ValidationError, match="already been cast"):
        services.cast(world.members[1].user, session, _all(session, "disapprove"))
    assert _counts(session) == (1, 1, 2)


def test_before_opening_is_refused(world, make_session):
    s = make_session([accepted(person=world.people[0], proposing_unit=world.vp)], open_it=False)
    with pytest.raises(ValidationError, match="not opened yet"):
        services.cast(world.members[1].user, s, _all(s))
    assert _counts(s) == (0, 0, 0)


def test_after_closing_is_refused(world, session):
    services.transition(world.office, session, "close")
    with pytest.raises(ValidationError, match="Voting is closed"):
        services.cast(world.members[1].user, session, _all(session))
    assert _counts(session) == (0, 0, 0)


def test_item_outside_the_session_is_refused(world, session, make_session):
    other = make_session([accepted(person=world.people[2], proposing_unit=world.vp)])
    choices = _all(session)
    choices[other.items.get().pk] = "approve"
    with pytest.raises(ValidationError, match="not on this session's agenda"):
        services.cast(world.members[1].user, session, choices)
    with pytest.raises(ValidationError, match="every item"):
        services.cast(world.members[1].user, session, {session.items.first().pk: "approve"})
    with pytest.raises(ValidationError, match="Choose approve"):
        services.cast(world.members[1].user, session, _all(session, "maybe"))
    assert _counts(session) == (0, 0, 0)


def test_non_member_is_refused(world, session):
    outsider = UserFactory(role=Role.COUNCIL, username="ngoai")
    with pytest.raises(PermissionDenied, match="not a member of this council"):
        services.cast(outsider, session, _all(session))
    with pytest.raises(PermissionDenied, match="recorded absent"):
        services.set_attendance(world.office, session, world.members[3], "absent")
        services.cast(world.members[3].user, session, _all(session))
    assert _counts(session) == (0, 0, 0)


def test_recused_member_cannot_vote_on_the_item(world, session):
    item = session.items.order_by("order").first()
    member = world.members[2]
    services.recuse(member.user, session, item, reason="Cùng đơn vị công tác")
    with pytest.raises(ValidationError, match="recused yourself"):
        services.cast(member.user, session, _all(session))
    assert _counts(session) == (0, 0, 0)
    rest = {i.pk: "approve" for i in session.items.exclude(pk=item.pk)}
    receipt = services.cast(member.user, session, rest)
    stored = dict(Ballot.objects.get(receipt=receipt).choices.values_list("item_id", "choice"))
    assert stored[item.pk] == "abstain"  # the recusal does not mark the ballot
    with pytest.raises(ValidationError, match="before it"):
        services.recuse(member.user, session, item)


def _pdf():
    return SimpleUploadedFile("uy-quyen.pdf", f.PDF, content_type="application/pdf")


def test_substitute_votes_once_in_the_principals_place(world, make_session):
    s = make_session([accepted(person=world.people[0], proposing_unit=world.vp)], open_it=False)
    principal = world.members[4]
    sub = UserFactory(role=Role.VIEWER, username="thaythe")
    with pytest.raises(ValidationError):
        services.authorise_substitute(
            world.office,
            s,
            principal,
            substitute=sub,
            authorisation=SimpleUploadedFile("x.exe", b"MZ..."),
        )
    services.authorise_substitute(world.office, s, principal, substitute=sub, authorisation=_pdf())
    services.transition(world.office, s, "open")
    with pytest.raises(PermissionDenied, match="substitute votes in your place"):
        services.cast(principal.user, s, _all(s))
    services.cast(sub, s, _all(s))
    assert selectors.roll_members(s) == {principal.pk}
    with pytest.raises(ValidationError, match="already"):
        services.cast(sub, s, _all(s))


def test_substitute_whose_principal_already_voted_is_refused(world, session):
    principal = world.members[5]
    services.cast(principal.user, session, _all(session))
    sub = UserFactory(role=Role.VIEWER, username="thaythe2")
    with pytest.raises(ValidationError, match="already voted"):
        services.authorise_substitute(
            world.office, session, principal, substitute=sub, authorisation=_pdf()
        )
    # The same refusal at casting, should the principal's ballot land first (a race).
    other = world.members[6]
    services.authorise_substitute(
        world.office, session, other, substitute=sub, authorisation=_pdf()
    )
    VoterRoll.objects.create(session=session, member=other)
    with pytest.raises(ValidationError, match="member you stand in for has already voted"):
        services.cast(sub, session, _all(session))


def test_a_cast_ballot_never_changes(world, session):
    receipt = services.cast(world.members[1].user, session, _all(session))
    ballot = Ballot.objects.get(receipt=receipt)
    ballot.written = True
    with pytest.raises(BallotError):
        ballot.save()
    with pytest.raises(BallotError):
        Ballot.objects.filter(pk=ballot.pk).update(written=True)
    with pytest.raises(BallotError):
        BallotChoice.objects.filter(ballot=ballot).update(choice="disapprove")
    choice = ballot.choices.first()
    choice.choice = "disapprove"
    with pytest.raises(BallotError):
        choice.save()


def test_the_database_refuses_a_second_roll_entry(world, session):
    from django.db import IntegrityError, transaction

    VoterRoll.objects.create(session=session, member=world.members[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRoll.objects.create(session=session, member=world.members[1])


def test_conflicts_name_members_of_the_nominees_unit(world, session):
    member = world.members[7]
    member.unit = world.vp
    member.save()
    found = selectors.conflicts(session)
    assert found and all(m.pk == member.pk for rows in found.values() for m, _r in rows)


def test_named_session_links_voter_and_ballot(world, make_session):
    from awards.models import Rule

    Rule.objects.filter(award_type__code="CSTD_BO").update(ballot_secret=False)
    s = make_session([accepted(person=world.people[0], proposing_unit=world.vp)], secret=False)
    receipt = services.cast(world.members[1].user, s, _all(s))
    assert Ballot.objects.get(receipt=receipt).voter == world.members[1]
