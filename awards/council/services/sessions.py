"""Sessions: creating one, its agenda and the vote rules it applies, attendance and
substitutes, recusals, and the one transition function (draft -> open -> closed ->
published) with its table."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Attendance,
    AttendanceStatus,
    CouncilMember,
    CouncilSession,
    Nomination,
    NominationState,
    Recusal,
    SessionItem,
    SessionRule,
    SessionState,
    VoterRoll,
)
from awards.nominations import uploads
from emulation_portal import audit
from emulation_portal.text import nfc

from . import tally as tally_service
from .common import (
    council_for,
    lock_session,
    member_of,
    quorum_met,
    require,
    rule_set_on,
    vote_rule,
    voting_members,
)

S = SessionState


@transaction.atomic
def create_session(
    actor, council, *, title: str, date: dt.date, year: int, place: str = "", secret=True
) -> CouncilSession:
    """Create a draft session of ``council`` in the term that covers ``date``."""
    require(actor, "council.create_session", council)
    title = nfc(title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the session a title.")})
    term = (
        council.terms.filter(starts_on__lte=date).exclude(ends_on__lt=date).order_by("-starts_on")
    ).first()
    if term is None:
        raise ValidationError(
            {"date": _("No term of this council covers %(date)s.") % {"date": f"{date:%d/%m/%Y}"}}
        )
    session = CouncilSession.objects.create(
        council=council,
        term=term,
        title=title,
        date=date,
        year=year,
        place=nfc(place or "").strip(),
        secret=bool(secret),
        created_by=actor,
    )
    audit.record(actor, "council_session.create", session, after=audit.snapshot(session))
    return session


def _require_state(session: CouncilSession, *states: str) -> None:
    if session.state not in states:
        raise ValidationError(
            _("This is not possible while the session is “%(state)s”.")
            % {"state": session.get_state_display()},
            code="bad_state",
        )


@dataclass
class AgendaResult:
    added: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def candidates(session: CouncilSession):
    """Nominations accepted for this session's council, of its year, whose award needs a
    ballot under the rule set in force on the session's date."""
    rule_set = rule_set_on(session.date)
    out = []
    for n in (
        Nomination.objects.filter(state=NominationState.ACCEPTED, year=session.year)
        .select_related("award_type", "proposing_unit", "person", "unit")
        .order_by("award_type__order", "id")
    ):
        council = council_for(n)
        if council and council.pk == session.council_id and vote_rule(rule_set, n):
            out.append(n)
    return out


@transaction.atomic
def build_agenda(actor, session: CouncilSession, nominations=None) -> AgendaResult:
    """Put ``nominations`` (default: every candidate) on the draft session's agenda,
    grouped by award type; store each award type's vote rule as applied; move each
    nomination to "in a council session" (the nominations' own ``schedule`` move, which
    records each nomination's event in its history). A nomination refused is reported with
    its reason and the others go on.

    One transaction under the session lock: the council and the vote rule are looked up
    once per proposing unit and award, the items and the rules applied are inserted in
    bulk, and the agenda is renumbered in one bulk update; one ``council_session.agenda``
    event names what was added (with the count) and what was refused."""
    from awards.nominations import services as nomination_services

    result = AgendaResult()
    s = lock_session(session)
    require(actor, "council.run_session", s)
    _require_state(s, S.DRAFT)
    rule_set = rule_set_on(s.date)
    todo = list(nominations) if nominations is not None else candidates(s)
    todo = list(
        Nomination.objects.filter(pk__in=[n.pk for n in todo])
        .select_related("award_type", "proposing_unit")
        .order_by("award_type__order", "id")
    )
    on_agenda = set(s.items.values_list("nomination_id", flat=True))
    councils: dict = {}
    rules: dict = {}
    applied = {r.award_type_id: r for r in s.rules.all()}
    new_rules: list[SessionRule] = []
    quorum = Fraction(s.quorum_numerator, s.quorum_denominator) if applied else None
    items: list[SessionItem] = []
    for n in todo:
        key = (n.award_type.conferred_by, n.proposing_unit_id)
        if key not in councils:
            councils[key] = council_for(n)
        rule_key = (n.award_type_id, n.subject_type)
        if rule_key not in rules:
            rules[rule_key] = vote_rule(rule_set, n)
        council, rule = councils[key], rules[rule_key]
        try:
            if council is None or council.pk != s.council_id:
                raise ValidationError(_("This nomination goes to another council."))
            if n.year != s.year:
                raise ValidationError(_("This nomination is for another year than the session's."))
            if rule is None:
                raise ValidationError(
                    _("This award needs no council ballot under the rules in force.")
                )
            if n.pk in on_agenda:
                raise ValidationError(_("This nomination is already on the agenda."))
            with transaction.atomic():  # a savepoint: a refused move leaves the others
                nomination_services.transition(actor, n, "schedule", note=str(s))
        except (ValidationError, PermissionDenied) as exc:
            result.refused[n.pk] = " ".join(getattr(exc, "messages", None) or [str(exc)])
            continue
        on_agenda.add(n.pk)
        result.added.append(n.pk)
        items.append(SessionItem(session=s, nomination=n, award_type_id=n.award_type_id))
        if n.award_type_id not in applied:
            applied[n.award_type_id] = SessionRule(
                session=s,
                award_type_id=n.award_type_id,
                rule_set_code=rule_set.code,
                threshold=rule.vote_threshold,
                base=rule.vote_base,
                secret=rule.ballot_secret,
                tie_rule=rule.tie_rule,
                legal_reference=rule.vote_legal_reference or rule.legal_reference,
            )
            new_rules.append(applied[n.award_type_id])
            wanted = Fraction(rule.quorum_numerator, rule.quorum_denominator)
            if quorum is None or wanted > quorum:
                quorum = wanted
                s.quorum_numerator = rule.quorum_numerator
                s.quorum_denominator = rule.quorum_denominator
    SessionRule.objects.bulk_create(new_rules)
    SessionItem.objects.bulk_create(items, batch_size=500)
    if new_rules:
        CouncilSession.objects.filter(pk=s.pk).update(
            quorum_numerator=s.quorum_numerator, quorum_denominator=s.quorum_denominator
        )
    _renumber(s)
    audit.record(
        actor,
        "council_session.agenda",
        s,
        after={
            "count": len(result.added),
            "added": result.added,
            "refused": {str(k): v for k, v in result.refused.items()},
        },
    )
    return result


def _renumber(s: CouncilSession) -> None:
    items = list(
        s.items.select_related("award_type", "nomination__person", "nomination__unit").order_by(
            "award_type__order", "id"
        )
    )
    items.sort(key=lambda i: (i.award_type.order, str(i.nomination.nominee), i.pk))
    changed = []
    for order, item in enumerate(items, 1):
        if item.order != order:
            item.order = order
            changed.append(item)
    SessionItem.objects.bulk_update(changed, ["order"], batch_size=500)


@transaction.atomic
def set_places(actor, session: CouncilSession, award_type, places: int | None) -> SessionRule:
    """How many of ``award_type`` this session may approve at most (empty: no limit)."""
    s = lock_session(session)
    require(actor, "council.run_session", s)
    _require_state(s, S.DRAFT)
    rule = s.rules.filter(award_type=award_type).first()
    if rule is None:
        raise ValidationError(_("This award is not on the agenda."))
    if places is not None and int(places) < 1:
        raise ValidationError({"places": _("At least one place, or leave it empty.")})
    before = {"places": rule.places}
    SessionRule.objects.filter(pk=rule.pk).update(places=places)
    rule.places = places
    audit.record(
        actor,
        "council_session.places",
        s,
        before=before,
        after={"award": award_type.code, "places": places},
    )
    return rule


def _voted(s: CouncilSession, member: CouncilMember) -> bool:
    return VoterRoll.objects.filter(session=s, member=member).exists()


def _check_member(s: CouncilSession, member: CouncilMember) -> None:
    if member.term_id != s.term_id:
        raise ValidationError(_("This person is not a member of the session's council term."))


@transaction.atomic
def set_attendance(
    actor, session: CouncilSession, member: CouncilMember, status: str, *, note: str = ""
) -> Attendance:
    """Record whether ``member`` is present, absent with a written opinion, or absent.
    (A substitute is authorised with ``authorise_substitute``.) Not for a member who has
    already voted."""
    s = lock_session(session)
    require(actor, "council.run_session", s)
    _require_state(s, S.DRAFT, S.OPEN)
    _check_member(s, member)
    if status not in (AttendanceStatus.PRESENT, AttendanceStatus.WRITTEN, AttendanceStatus.ABSENT):
        raise ValidationError(
            {"status": _("Choose present, absent with a written opinion, or absent.")}
        )
    if _voted(s, member):
        raise ValidationError(_("This member has already voted; the attendance stays as it was."))
    row = Attendance.objects.filter(session=s, member=member).first()
    before = {"status": row.status} if row else None
    if row is None:
        row = Attendance(session=s, member=member)
    row.status = status
    row.substitute = None
    row.authorisation = ""
    row.authorisation_name = ""
    row.authorisation_sha256 = ""
    row.note = nfc(note or "").strip()[:500]
    row.save()
    audit.record(
        actor,
        "council_session.attendance",
        s,
        before=before,
        after={"member": member.pk, "status": status},
    )
    return row


@transaction.atomic
def authorise_substitute(
    actor, session: CouncilSession, member: CouncilMember, *, substitute, authorisation
) -> Attendance:
    """Record that ``substitute`` votes in ``member``'s place for this session, on the
    uploaded written authorisation (checked like a dossier file: PDF, JPEG, PNG, DOCX)."""
    s = lock_session(session)
    require(actor, "council.run_session", s)
    _require_state(s, S.DRAFT, S.OPEN)
    _check_member(s, member)
    if not member.votes:
        raise ValidationError(_("This member has no vote to hand over."))
    if substitute is None or not substitute.is_active:
        raise ValidationError({"substitute": _("Choose an active account for the substitute.")})
    if CouncilMember.objects.filter(term_id=s.term_id, user=substitute).exists():
        raise ValidationError(
            {"substitute": _("A member of the council cannot stand in for another member.")}
        )
    if Attendance.objects.filter(session=s, substitute=substitute).exclude(member=member).exists():
        raise ValidationError(
            {"substitute": _("This person already stands in for another member.")}
        )
    if _voted(s, member):
        raise ValidationError(_("This member has already voted; no substitute can vote now."))
    checked = uploads.check_upload(authorisation)
    row = Attendance.objects.filter(session=s, member=member).first() or Attendance(
        session=s, member=member
    )
    row.status = AttendanceStatus.SUBSTITUTE
    row.substitute = substitute
    row.authorisation.save(
        f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content), save=False
    )
    row.authorisation_name = checked.display_name
    row.authorisation_sha256 = checked.sha256
    row.save()
    audit.record(
        actor,
        "council_session.substitute",
        s,
        after={"member": member.pk, "substitute": substitute.pk, "sha256": checked.sha256},
    )
    return row


@transaction.atomic
def recuse(actor, session: CouncilSession, item: SessionItem, *, member=None, reason=""):
    """``member`` (default: the actor's own membership) stands aside from ``item``. It
    counts as not approving; the base stays all members. Only before their ballot."""
    s = lock_session(session)
    _require_state(s, S.DRAFT, S.OPEN)
    own = member_of(s, actor)
    if member is None:
        member = own
    if member is None:
        raise PermissionDenied(_("You are not a member of this council and may not vote here."))
    if own is None or own.pk != member.pk:
        require(actor, "council.run_session", s)
    _check_member(s, member)
    if item.session_id != s.pk:
        raise ValidationError(_("This item is not on the session's agenda."))
    if _voted(s, member):
        raise ValidationError(_("The ballot is already cast; a recusal must come before it."))
    recusal, created = Recusal.objects.get_or_create(
        item=item, member=member, defaults={"reason": nfc(reason or "").strip()[:500]}
    )
    if created:
        audit.record(
            actor,
            "council_session.recuse",
            s,
            after={"item": item.pk, "member": member.pk, "reason": recusal.reason},
        )
    return recusal


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Move:
    sources: frozenset
    target: str
    perm: str


MOVES: dict[str, Move] = {
    "open": Move(frozenset({S.DRAFT}), S.OPEN, "council.run_session"),
    "close": Move(frozenset({S.OPEN}), S.CLOSED, "council.run_session"),
    "publish": Move(frozenset({S.CLOSED}), S.PUBLISHED, "council.publish"),
}


def quorum_needed(members: int, numerator: int, denominator: int) -> int:
    return math.ceil(members * numerator / denominator) if members else 0


def transition(actor, session: CouncilSession, move: str, *, version: int | None = None):
    """The one way a session changes state. Looks ``move`` up in ``MOVES``, locks the
    session row, checks the permission on it and the move's own conditions, writes the new
    state with ``version + 1`` and records ``council_session.<move>``.

    - open: an agenda, the quorum of present members (substitutes count) reached; stores
      the members (the base) and those present.
    - close: counts the ballots into the items' figures and results, rewrites the roll and
      the ballots in an order that carries nothing, and starts the minutes job.
    - publish: every tie settled by the chair; moves each nomination to approved or
      rejected (not approved) with its figures.
    """
    spec = MOVES.get(move)
    if spec is None:
        raise ValidationError(_("Unknown step: %(move)s.") % {"move": move}, code="unknown_move")
    with transaction.atomic():
        s = lock_session(session)
        require(actor, spec.perm, s)
        if version is not None and int(version) != s.version:
            raise ValidationError(
                _("Someone else changed this session meanwhile. Reload it and try again."),
                code="stale",
            )
        _require_state(s, *spec.sources)
        before = {"state": s.state, "version": s.version}
        now = timezone.now()
        updates: dict = {"state": spec.target, "version": s.version + 1}
        extra: dict = {}
        if move == "open":
            extra = _open(s)
            updates.update(
                opened_at=now, members_count=extra["members"], present_count=extra["present"]
            )
        elif move == "close":
            extra = tally_service.close_and_count(s)
            updates["closed_at"] = now
        elif move == "publish":
            extra = tally_service.check_publishable(s)
            updates["published_at"] = now
        CouncilSession.objects.filter(pk=s.pk).update(**updates)
        for key, value in updates.items():
            setattr(s, key, value)
        audit.record(
            actor,
            f"council_session.{move}",
            s,
            before=before,
            after={"state": s.state, "version": s.version, **extra},
        )
        if move == "close":
            tally_service.start_minutes(actor, s)
        if move == "publish":
            tally_service.move_nominations(actor, s)
    return s


def _open(s: CouncilSession) -> dict:
    if not s.items.exists():
        raise ValidationError(_("The agenda is empty: add the nominations first."))
    if s.rules.filter(secret=True).exists() and not s.secret:
        raise ValidationError(
            _("The rules in force require a secret ballot for an award on this agenda.")
        )
    members = voting_members(s).count()
    present = Attendance.objects.filter(
        session=s,
        member__votes=True,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE],
    ).count()
    if not quorum_met(present, members, s.quorum_numerator, s.quorum_denominator):
        raise ValidationError(
            _(
                "Quorum not reached: %(present)s of %(members)s members present, at least "
                "%(needed)s needed (%(num)s/%(den)s). Voting cannot open."
            )
            % {
                "present": present,
                "members": members,
                "needed": quorum_needed(members, s.quorum_numerator, s.quorum_denominator),
                "num": s.quorum_numerator,
                "den": s.quorum_denominator,
            },
            code="quorum",
        )
    return {"members": members, "present": present}
