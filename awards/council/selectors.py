"""Reads of councils and sessions scoped to the user, for the pages and the API: the
agenda grouped by award type, the ballot a member fills in, the progress (x of y cast,
never contents), the results with the receipts after closing, conflicts of interest, and a
nomination's council result."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from awards.models import (
    Attendance,
    AttendanceStatus,
    Ballot,
    BallotChoice,
    Council,
    CouncilMember,
    CouncilSession,
    Recusal,
    SessionItem,
    SessionState,
    VoterRoll,
)
from awards.nominations.conflicts import conflicted_members
from emulation_portal.permissions import is_office

from .services.common import percent


def visible_councils(user) -> QuerySet[Council]:
    if not (user and user.is_authenticated and user.is_active):
        return Council.objects.none()
    qs = Council.objects.select_related("unit")
    if is_office(user):
        return qs
    return qs.filter(
        Q(terms__members__user=user)
        | Q(
            sessions__attendance__substitute=user,
            sessions__attendance__status=AttendanceStatus.SUBSTITUTE,
        )
    ).distinct()


def visible_sessions(user) -> QuerySet[CouncilSession]:
    """The office sees every session; a member the sessions of the terms they sit on; a
    substitute the session they stand in at."""
    if not (user and user.is_authenticated and user.is_active):
        return CouncilSession.objects.none()
    qs = CouncilSession.objects.select_related("council", "term")
    if is_office(user):
        return qs
    return qs.filter(
        Q(term__members__user=user)
        | Q(attendance__substitute=user, attendance__status=AttendanceStatus.SUBSTITUTE)
    ).distinct()


def agenda_people(user) -> QuerySet | None:
    """Ids of the people nominated on the agenda of a session ``user`` sits on (as a member
    of its term or a substitute): the people whose discipline a council member needs to
    know (``units.privacy``). None for a user on no council."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    sessions = CouncilSession.objects.filter(
        Q(term__members__user=user) | Q(attendance__substitute=user)
    )
    return (
        SessionItem.objects.filter(session__in=sessions, nomination__person__isnull=False)
        .values_list("nomination__person_id", flat=True)
        .distinct()
    )


def to_vote(user) -> QuerySet[CouncilSession]:
    """Open sessions in which ``user`` holds a vote (a voting member of the term, or the
    substitute authorised for one) and it has not yet been cast."""
    if not (user and user.is_authenticated and user.is_active):
        return CouncilSession.objects.none()
    mine = CouncilMember.objects.filter(term=OuterRef("term"), user=user, votes=True)
    cast = VoterRoll.objects.filter(session=OuterRef("pk"), member__user=user)
    standing_in = Attendance.objects.filter(
        session=OuterRef("pk"), substitute=user, status=AttendanceStatus.SUBSTITUTE
    )
    principal_cast = VoterRoll.objects.filter(
        session=OuterRef("pk"),
        member__in=Attendance.objects.filter(
            session=OuterRef(OuterRef("pk")), substitute=user, status=AttendanceStatus.SUBSTITUTE
        ).values("member"),
    )
    return CouncilSession.objects.filter(
        Q(Exists(mine)) & ~Q(Exists(cast)) | Q(Exists(standing_in)) & ~Q(Exists(principal_cast)),
        state=SessionState.OPEN,
    )


def agenda(session: CouncilSession) -> list[tuple[object, list[SessionItem]]]:
    """The agenda grouped by award type: [(award type, [items])], two queries."""
    items = list(
        session.items.select_related(
            "award_type", "nomination__person", "nomination__unit", "nomination__proposing_unit"
        ).order_by("order", "id")
    )
    return [(award, list(group)) for award, group in groupby(items, key=lambda i: i.award_type)]


def ballot_for(session: CouncilSession, member: CouncilMember | None) -> dict:
    """What a member's ballot page needs: the agenda and the items they recused from."""
    recused = set()
    if member is not None:
        recused = set(
            Recusal.objects.filter(item__session=session, member=member).values_list(
                "item_id", flat=True
            )
        )
    return {"agenda": agenda(session), "recused": recused}


def progress(session: CouncilSession) -> dict:
    """x of y cast, written opinions entered, those present: never a ballot's contents."""
    members = CouncilMember.objects.filter(term_id=session.term_id, votes=True).count()
    cast = VoterRoll.objects.filter(session=session).count()
    present = Attendance.objects.filter(
        session=session, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE]
    ).count()
    written = Attendance.objects.filter(session=session, status=AttendanceStatus.WRITTEN).count()
    return {
        "cast": cast,
        "members": session.members_count or members,
        "present": present,
        "written_expected": written,
    }


def roll_members(session: CouncilSession) -> set[int]:
    """Ids of the members who have voted (who, never what)."""
    return set(VoterRoll.objects.filter(session=session).values_list("member_id", flat=True))


def results(session: CouncilSession) -> dict:
    """After closing: each item's figures and result, and the list of receipts with each
    ballot's choices (so every member can check their ballot was counted as cast). A fixed
    number of queries."""
    if session.state not in (SessionState.CLOSED, SessionState.PUBLISHED):
        return {"items": [], "receipts": []}
    rules = {r.award_type_id: r for r in session.rules.all()}
    items = []
    for item in session.items.select_related(
        "award_type", "nomination__person", "nomination__unit"
    ).order_by("order"):
        items.append(
            {
                "item": item,
                "members": session.members_count,
                "percent": percent(item.approvals or 0, session.members_count or 0),
                "threshold": rules[item.award_type_id].threshold,
            }
        )
    choices = defaultdict(dict)
    for ballot_id, item_id, choice in BallotChoice.objects.filter(
        ballot__session=session
    ).values_list("ballot_id", "item_id", "choice"):
        choices[ballot_id][item_id] = choice
    receipts = [
        {"receipt": b.receipt, "written": b.written, "choices": choices[b.pk]}
        for b in Ballot.objects.filter(session=session).order_by("receipt")
    ]
    return {"items": items, "receipts": receipts}


def conflicts(session: CouncilSession) -> dict[int, list[tuple[CouncilMember, str]]]:
    """For the chair: item id -> [(member, reason)] of the members linked to its nominee
    (``nominations.conflicts``)."""
    members = list(session.term.members.select_related("user", "unit"))
    by_user = {m.user_id: m for m in members}
    users = [m.user for m in members]
    out = {}
    for item in session.items.select_related(
        "nomination__person", "nomination__unit__parent", "nomination__award_type"
    ):
        found = conflicted_members(item.nomination, users)
        if found:
            out[item.pk] = [(by_user[u.pk], reason) for u, reason in found]
    return out


def council_result(nomination) -> SessionItem | None:
    """The nomination's latest counted agenda item (its council result), if any."""
    return (
        SessionItem.objects.filter(
            nomination=nomination,
            session__state__in=[SessionState.CLOSED, SessionState.PUBLISHED],
        )
        .select_related("session", "award_type")
        .order_by("-session__date", "-id")
        .first()
    )


def terms_with_members(council: Council):
    return council.terms.prefetch_related(
        Prefetch("members", queryset=CouncilMember.objects.select_related("user", "unit"))
    )
