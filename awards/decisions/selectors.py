"""Reads of decisions scoped to the user: the office sees every decision, other staff the
published ones; the nominations ready for a decision; a decision's list with its prizes."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from awards.decisions.services.common import issuer_may_confer
from awards.models import (
    ConferringAuthority,
    Decision,
    DecisionIssuer,
    DecisionItem,
    DecisionState,
    Nomination,
    NominationState,
    Submission,
)
from emulation_portal.permissions import is_office


def visible_decisions(user) -> QuerySet[Decision]:
    if not (user and user.is_authenticated and user.is_active):
        return Decision.objects.none()
    qs = Decision.objects.select_related("issuer", "award_type").annotate(
        lines=Count("items", distinct=True), total=Sum("items__amount")
    )
    if is_office(user):
        return qs
    return qs.filter(
        state__in=[DecisionState.PUBLISHED, DecisionState.REPLACED], published_at__isnull=False
    )


def items(decision: Decision) -> QuerySet[DecisionItem]:
    return decision.items.select_related(
        "nomination__person__unit",
        "nomination__unit",
        "nomination__award_type",
        "nomination__proposing_unit",
    ).order_by("order")


def ready_nominations(issuer: DecisionIssuer, award_type=None, year=None) -> list[Nomination]:
    """Approved nominations this issuer confers (the ministry: the minister's awards; a
    unit: its head's awards proposed within it), not on another draft of the same issuer.
    Unit-level titles without a ballot (LDTT, TTLDTT, GK) are ready once the office has
    approved them; balloted ones once the council's published result approved them."""
    authority = (
        ConferringAuthority.MINISTER if issuer.is_ministry else ConferringAuthority.UNIT_HEAD
    )
    qs = Nomination.objects.filter(
        state=NominationState.APPROVED, award_type__conferred_by=authority
    ).select_related("award_type", "person", "unit", "proposing_unit")
    if not issuer.is_ministry:
        qs = qs.filter(proposing_unit__path__startswith=issuer.unit.path)
    if award_type is not None:
        qs = qs.filter(award_type=award_type)
    if year is not None:
        qs = qs.filter(year=year)
    on_drafts = DecisionItem.objects.filter(
        decision__state=DecisionState.DRAFT, decision__issuer=issuer
    ).values("nomination_id")
    qs = qs.exclude(pk__in=on_drafts)
    return [
        n for n in qs.order_by("award_type__order", "year", "id") if issuer_may_confer(issuer, n)
    ]


def ready_groups(issuer: DecisionIssuer) -> list[dict]:
    """(award, year, count) of the ready nominations, for the "new draft" page."""
    groups: dict = {}
    for n in ready_nominations(issuer):
        key = (n.award_type, n.year)
        groups[key] = groups.get(key, 0) + 1
    return [{"award_type": a, "year": y, "count": c} for (a, y), c in groups.items()]


def higher_level_ready() -> list[Nomination]:
    """Approved ministry-level nominations of awards conferred higher up, not on a
    submission yet."""
    return list(
        Nomination.objects.filter(
            state=NominationState.APPROVED,
            award_type__conferred_by__in=[
                ConferringAuthority.PRIME_MINISTER,
                ConferringAuthority.PRESIDENT,
            ],
        )
        .exclude(Q(pk__in=Submission.nominations.through.objects.values("nomination_id")))
        .select_related("award_type", "person", "unit")
        .order_by("award_type__order", "id")
    )


def visible_submissions(user) -> QuerySet[Submission]:
    if not is_office(user):
        return Submission.objects.none()
    return Submission.objects.select_related("issuer").annotate(lines=Count("items"))
