"""What the council workflows share: permission checks, row locks, which council votes on
an award, the vote rule in force on a date, the quorum and the threshold arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from awards.models import (
    ConferringAuthority,
    Council,
    CouncilLevel,
    CouncilMember,
    CouncilSession,
    Nomination,
    Rule,
    RuleSet,
)
from emulation_portal.permissions import require  # noqa: F401  (re-exported)
from units.models import Unit


def lock_session(session: CouncilSession | int) -> CouncilSession:
    """The session row, locked until the transaction ends (every session write takes it)."""
    pk = session.pk if isinstance(session, CouncilSession) else session
    return (
        CouncilSession.objects.select_for_update(of=("self",))
        .select_related("council", "term")
        .get(pk=pk)
    )


def share_lock_session(session: CouncilSession | int) -> CouncilSession:
    """The session row under a shared lock until the transaction ends (casting takes it).

    Casts hold it together, so fifty members casting at once run side by side; a transition
    (``lock_session``: FOR UPDATE) waits for the casts in flight and every cast that comes
    after waits for the transition, then reads the state it committed. The voter roll's
    unique constraint, not this lock, refuses a second ballot from one member.
    """
    pk = session.pk if isinstance(session, CouncilSession) else session
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(CouncilSession._meta.db_table)
        found = list(
            CouncilSession.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [pk])
        )
        if not found:
            raise CouncilSession.DoesNotExist
        return found[0]
    # Elsewhere (SQLite) a write transaction holds the whole database: nothing to share.
    return CouncilSession.objects.get(pk=pk)


def council_for(nomination: Nomination) -> Council | None:
    """The council that votes on ``nomination``: the award's conferring level picks it. A
    title the unit head confers goes to the nearest council of the proposing unit or a unit
    above it; everything else to the ministry's council."""
    if nomination.award_type.conferred_by == ConferringAuthority.UNIT_HEAD:
        candidates = Council.objects.filter(
            level=CouncilLevel.UNIT,
            is_active=True,
            unit__pk__in=unit_tree_ids(nomination.proposing_unit),
        )
        return candidates.select_related("unit").order_by("-unit__depth").first()
    return Council.objects.filter(level=CouncilLevel.MINISTRY, is_active=True).first()


def rule_set_on(day: dt.date) -> RuleSet | None:
    """The rule set in force on ``day`` (the session's date: the procedure of that day)."""
    return RuleSet.in_force_on(day)


def vote_rule(rule_set: RuleSet | None, nomination: Nomination) -> Rule | None:
    if rule_set is None:
        return None
    return Rule.objects.filter(
        rule_set=rule_set,
        award_type_id=nomination.award_type_id,
        subject=nomination.subject_type,
        ballot_required=True,
    ).first()


def voting_members(session: CouncilSession):
    return CouncilMember.objects.filter(term_id=session.term_id, votes=True)


def member_of(session: CouncilSession, user) -> CouncilMember | None:
    if not (user and getattr(user, "pk", None)):
        return None
    return CouncilMember.objects.filter(term_id=session.term_id, user_id=user.pk).first()


def quorum_met(present: int, members: int, numerator: int, denominator: int) -> bool:
    """At least numerator/denominator of the members present, in integers (no rounding)."""
    return members > 0 and present * denominator >= numerator * members


def passes(approvals: int, members: int, threshold: Decimal) -> bool:
    """Approvals over ALL members reach the threshold share, exactly (Decimal): 12 of 15
    passes 0.800, 13 of 15 fails 0.900, 14 of 15 passes 0.900."""
    return members > 0 and Decimal(approvals) >= Decimal(threshold) * members


def percent(approvals: int, members: int) -> Decimal:
    """The share as a percentage with one decimal (for display and the minutes only)."""
    if not members:
        return Decimal("0.0")
    return (Decimal(approvals) * 100 / members).quantize(Decimal("0.1"))


def unit_tree_ids(unit: Unit) -> list[int]:
    """The ids of ``unit`` and every unit above it, from its materialised path."""
    return [int(p) for p in (unit.path or "").split(".") if p.isdigit()] or [unit.pk]
