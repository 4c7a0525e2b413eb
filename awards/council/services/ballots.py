"""Casting a ballot: by the member present, by an authorised substitute in a member's
place, or by the secretary entering an absent member's written opinion.

One ballot per member and session: the voter roll's unique constraint refuses a second one
even when two tabs cast at once. Casts take the session row under a shared lock
(``share_lock_session``), so they run side by side; closing takes it exclusively, so it
waits for the casts in flight and any later cast finds the session closed. In a secret session the roll row and the ballot share nothing: no voter
on the ballot, no time, random keys; the audit event names the voter, never the receipt.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from awards.models import (
    Attendance,
    AttendanceStatus,
    Ballot,
    BallotChoice,
    Choice,
    CouncilMember,
    CouncilSession,
    Recusal,
    SessionState,
    VoterRoll,
)
from emulation_portal import audit

from .common import require, share_lock_session

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand


def new_receipt() -> str:
    """A random receipt code, e.g. ``K7QX-M2PA-9RBT`` (60 bits)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _already():
    return ValidationError(
        _(
            "A ballot has already been cast for this member in this session; a cast ballot "
            "cannot be changed."
        ),
        code="already_voted",
    )


def _check_open(s: CouncilSession) -> None:
    if s.state == SessionState.DRAFT:
        raise ValidationError(_("Voting has not opened yet."), code="not_open")
    if s.state != SessionState.OPEN:
        raise ValidationError(_("Voting is closed: no more ballots are accepted."), code="closed")


def principal_for(s: CouncilSession, user) -> tuple[CouncilMember, bool]:
    """The member whose vote ``user`` casts, and whether as a substitute. Refuses with
    the reason when the user may not vote in this session."""
    own = None
    if user and getattr(user, "pk", None):
        # the membership and its attendance in one query
        own = (
            CouncilMember.objects.filter(term_id=s.term_id, user_id=user.pk)
            .annotate(
                attendance_status=Subquery(
                    Attendance.objects.filter(session_id=s.pk, member=OuterRef("pk")).values(
                        "status"
                    )[:1]
                )
            )
            .first()
        )
    if own is not None:
        status = own.attendance_status or AttendanceStatus.ABSENT
        if not own.votes:
            raise PermissionDenied(_("You keep the minutes of this council but have no vote."))
        if status == AttendanceStatus.PRESENT:
            return own, False
        if status == AttendanceStatus.SUBSTITUTE:
            raise PermissionDenied(
                _("Your authorised substitute votes in your place in this session.")
            )
        if status == AttendanceStatus.WRITTEN:
            raise PermissionDenied(
                _("You are recorded absent with a written opinion; the secretary enters it.")
            )
        raise PermissionDenied(_("You are recorded absent from this session."))
    row = (
        Attendance.objects.filter(session=s, substitute=user, status=AttendanceStatus.SUBSTITUTE)
        .select_related("member")
        .first()
    )
    if row is not None:
        return row.member, True
    raise PermissionDenied(_("You are not a member of this council and may not vote here."))


def _clean_choices(s: CouncilSession, member: CouncilMember, choices: dict) -> dict[int, str]:
    items = {
        i.pk: i
        for i in s.items.annotate(
            recused=Exists(Recusal.objects.filter(item=OuterRef("pk"), member=member))
        )
    }
    recused = {pk for pk, i in items.items() if i.recused}
    clean: dict[int, str] = {}
    for key, value in (choices or {}).items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Item %(item)s is not on this session's agenda.") % {"item": key},
                code="unknown_item",
            ) from None
        if item_id not in items:
            raise ValidationError(
                _("Item %(item)s is not on this session's agenda.") % {"item": key},
                code="unknown_item",
            )
        value = (value or "").strip() if isinstance(value, str) else value
        if item_id in recused:
            if value not in (None, "", Choice.ABSTAIN, "recused"):
                raise ValidationError(
                    _("You recused yourself from “%(item)s”; you cannot vote on it.")
                    % {"item": items[item_id]},
                    code="recused",
                )
            continue
        if value not in Choice.values:
            raise ValidationError(
                _("Choose approve, disapprove or abstain for “%(item)s”.")
                % {"item": items[item_id]},
                code="bad_choice",
            )
        clean[item_id] = value
    missing = [i for i in items if i not in clean and i not in recused]
    if missing:
        raise ValidationError(
            _("Choose approve, disapprove or abstain for every item: %(n)s left.")
            % {"n": len(missing)},
            code="missing",
        )
    # A recusal is stored as an abstention: the declared recusal must not mark the ballot.
    for item_id in recused:
        clean[item_id] = Choice.ABSTAIN
    return clean


def _enrol(s: CouncilSession, member: CouncilMember, *, by_substitute: bool = False) -> None:
    """Put ``member`` on the session's voter roll: the unique (session, member) refuses a
    second ballot, also one racing from another tab (the insert waits for the other
    transaction and fails if it commits). Called inside the caller's transaction, which a
    refusal rolls back whole, so no savepoint is spent on it."""
    try:
        VoterRoll.objects.create(session=s, member=member)
    except IntegrityError:
        if by_substitute:
            raise ValidationError(
                _("The member you stand in for has already voted; you cannot vote for them."),
                code="principal_voted",
            ) from None
        raise _already() from None


def _store(
    actor,
    s: CouncilSession,
    member: CouncilMember,
    clean: dict,
    *,
    written: bool,
    action: str,
    by_substitute: bool = False,
) -> str:
    """Store the ballot and its choices (one INSERT each) of a member already on the roll,
    then the audit event: last, because appending to the audit chain is the one step casts
    still take one at a time."""
    receipt = new_receipt()
    ballot = Ballot.objects.create(
        session=s,
        receipt=receipt,
        secret=s.secret,
        written=written,
        voter=None if s.secret else member,
    )
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, item_id=i, choice=c) for i, c in sorted(clean.items())]
    )
    after = {"member": member.pk, "written": written, "by_substitute": by_substitute}
    if not s.secret:
        after["choices"] = {str(i): c for i, c in sorted(clean.items())}
    audit.record(actor, action, s, after=after)
    return receipt


@transaction.atomic
def cast(actor, session: CouncilSession | int, choices: dict, *, recuse=()) -> str:
    """Cast the actor's ballot (or, for an authorised substitute, the principal's):
    ``choices`` maps each agenda item id to approve / disapprove / abstain (a recused item
    may be left out). ``recuse``: item ids the member stands aside from, declared with the
    ballot in the same transaction (so a refused ballot leaves no recusal behind). Returns
    the receipt code. Refused: before opening, after closing, a non-member, an absent
    member, a second ballot, an item outside the session, a vote on an item the member
    recused from, a substitute whose principal already voted."""
    s = share_lock_session(session)
    _check_open(s)
    member, by_substitute = principal_for(s, actor)
    _enrol(s, member, by_substitute=by_substitute)
    if recuse:
        _declare_recusals(actor, s, member, recuse)
    clean = _clean_choices(s, member, choices)
    return _store(
        actor,
        s,
        member,
        clean,
        written=False,
        action="council.ballot.cast",
        by_substitute=by_substitute,
    )


def _declare_recusals(actor, s: CouncilSession, member: CouncilMember, item_ids) -> None:
    on_agenda = set(s.items.values_list("pk", flat=True))
    for key in item_ids:
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            item_id = None
        if item_id not in on_agenda:
            raise ValidationError(
                _("Item %(item)s is not on this session's agenda.") % {"item": key},
                code="unknown_item",
            )
        _recusal, created = Recusal.objects.get_or_create(item_id=item_id, member=member)
        if created:
            audit.record(
                actor,
                "council_session.recuse",
                s,
                after={"item": item_id, "member": member.pk, "reason": ""},
            )


@transaction.atomic
def enter_written_opinion(
    actor, session: CouncilSession | int, member: CouncilMember, choices: dict
) -> str:
    """The secretary enters an absent member's written opinion (phiếu ý kiến bằng văn
    bản) as that member's ballot, marked written. It counts like any other ballot."""
    s = share_lock_session(session)
    require(actor, "council.enter_written", s)
    _check_open(s)
    if member.term_id != s.term_id:
        raise ValidationError(_("This person is not a member of the session's council term."))
    row = Attendance.objects.filter(session=s, member=member).first()
    if row is None or row.status != AttendanceStatus.WRITTEN:
        raise ValidationError(
            _("Record the member as absent with a written opinion first."), code="not_written"
        )
    _enrol(s, member)
    clean = _clean_choices(s, member, choices)
    return _store(actor, s, member, clean, written=True, action="council.ballot.written")


def has_voted(session: CouncilSession, member: CouncilMember) -> bool:
    return VoterRoll.objects.filter(session=session, member=member).exists()
