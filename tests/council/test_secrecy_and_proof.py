"""Nothing ties a voter to a ballot of a secret session (columns, keys, row order), the
receipts are published after closing, and ``verify_tally`` catches a tampered ballot."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models

from awards.council import selectors, services
from awards.models import Ballot, BallotChoice, CouncilMember, VoterRoll
from tests.council.conftest import accepted, vote_all


def _links_to_member_or_time(model):
    out = []
    for field in model._meta.get_fields():
        if isinstance(field, models.DateTimeField | models.DateField | models.TimeField):
            out.append(field.name)
        related = getattr(field, "related_model", None)
        if related is not None and (
            related is CouncilMember or related._meta.label_lower == "emulation_portal.user"
        ):
            out.append(field.name)
        if model is VoterRoll and related in (Ballot, BallotChoice):
            out.append(field.name)
    return out


def test_no_column_ties_a_voter_to_a_ballot():
    # The roll names the member, and nothing else but the session; the ballot has no time,
    # and its voter column exists only for named sessions (a check constraint).
    assert _links_to_member_or_time(VoterRoll) == ["member"]
    assert _links_to_member_or_time(BallotChoice) == []
    assert _links_to_member_or_time(Ballot) == ["voter"]
    names = {c.name for c in Ballot._meta.constraints}
    assert "ballot_secret_no_voter" in names
    for model in (VoterRoll, Ballot, BallotChoice):
        assert model._meta.pk.get_internal_type() == "UUIDField"


def _physical(table, column, session_id):
    """Rows as the database stores them (no ORDER BY)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE session_id = %s", [session_id])
        return [r[0] for r in cursor.fetchall()]


def test_no_row_order_ties_a_voter_to_a_ballot(world, make_session):
    s = make_session(
        [
            accepted(person=world.people[0], proposing_unit=world.vp),
            accepted(person=world.people[1], proposing_unit=world.vp),
        ]
    )
    # Cast in the reverse of the members' order, each with a different pattern.
    order = list(reversed(world.members))
    receipts = vote_all(s, order, lambda i, it: "approve" if (i + it.order) % 3 else "abstain")
    services.transition(world.office, s, "close")
    # After closing the roll is stored in member order and the ballots in receipt order:
    # both orders are functions of things that do not depend on when anyone voted.
    assert _physical("awards_voterroll", "member_id", s.pk) == sorted(m.pk for m in order)
    stored_receipts = _physical("awards_ballot", "receipt", s.pk)
    assert stored_receipts == sorted(receipts)
    assert stored_receipts != receipts  # cast order (random codes: 1 in 15! to collide)
    assert sorted(str(b) for b in Ballot.objects.filter(session=s)) == sorted(receipts)
    assert not Ballot.objects.filter(session=s, voter__isnull=False).exists()
    # ...and they still count exactly as cast.
    assert services.verify(s) == []


def test_receipts_are_published_with_their_choices_after_closing(world, make_session):
    s = make_session([accepted(person=world.people[0], proposing_unit=world.vp)])
    item = s.items.get()
    mine = services.cast(world.members[0].user, s, {item.pk: "disapprove"})
    vote_all(s, world.members[1:], lambda i, it: "approve")
    assert selectors.results(s) == {"items": [], "receipts": []}
    s = services.transition(world.office, s, "close")
    published = {r["receipt"]: r["choices"] for r in selectors.results(s)["receipts"]}
    assert len(published) == 15 and published[mine] == {item.pk: "disapprove"}


def test_tampered_ballot_makes_verify_tally_fail(world, make_session):
    s = make_session([accepted(person=world.people[0], proposing_unit=world.vp)])
    vote_all(s, world.members, lambda i, it: "approve" if i < 14 else "disapprove")
    services.transition(world.office, s, "close")
    out = io.StringIO()
    call_command("verify_tally", str(s.pk), stdout=out)
    assert "agrees" in out.getvalue()
    item = s.items.get()
    # Someone with database access turns one approval into a disapproval.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE awards_ballotchoice SET choice = 'disapprove' WHERE id = "
            "(SELECT id FROM awards_ballotchoice WHERE item_id = %s AND choice = 'approve' "
            "LIMIT 1)",
            [item.pk],
        )
    err = io.StringIO()
    with pytest.raises(CommandError, match="difference"):
        call_command("verify_tally", str(s.pk), stderr=err)
    text = err.getvalue()
    assert f"item {item.pk}" in text and "approvals stored 14, recounted 13" in text
    assert "approved stored True, recounted False" in text


def test_deleted_ballot_makes_verify_tally_fail(world, make_session):
    s = make_session([accepted(person=world.people[0], proposing_unit=world.vp)])
    vote_all(s, world.members, lambda i, it: "approve")
    services.transition(world.office, s, "close")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM awards_ballotchoice WHERE ballot_id = (SELECT id FROM awards_ballot "
            "WHERE session_id = %s LIMIT 1)",
            [s.pk],
        )
    problems = services.verify(s)
    assert any("0 choices" in p for p in problems)
    assert any("approvals stored 15, recounted 14" in p for p in problems)


def test_verify_tally_unknown_session(db):
    with pytest.raises(CommandError, match="no council session"):
        call_command("verify_tally", "999999")
