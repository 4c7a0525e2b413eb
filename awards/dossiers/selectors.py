"""Reads for the dossiers' pages: the public honour roll (only what a published decision
makes public) and the nominations a user may take papers of."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from awards.models import AwardRecord, Decision, DecisionState, Nomination
from emulation_portal.text import fold

PUBLIC_FIELDS = (
    "id",
    "year",
    "person__full_name",
    "person__unit__name",
    "unit__name",
    "unit__parent__name",
    "award_type__name_vi",
    "award_type__order",
    "decision_id",
    "decision_number",
    "decision_date",
)


def published_records() -> QuerySet[AwardRecord]:
    """Live award records conferred by a published decision."""
    return AwardRecord.objects.live().filter(
        decision__state=DecisionState.PUBLISHED, decision__published_at__isnull=False
    )


def honour_roll_years() -> list[int]:
    return list(published_records().order_by("-year").values_list("year", flat=True).distinct())


def honour_roll(year: int, query: str = "") -> QuerySet:
    """The honour roll of ``year`` as plain rows (dicts of ``PUBLIC_FIELDS`` only: no
    birth date, code or anything else of the registry), searched without accents on the
    person's or unit's name."""
    rows = published_records().filter(year=year)
    folded = fold(query)
    if folded:
        rows = rows.filter(
            Q(person__search_text__contains=folded) | Q(unit__search_text__contains=folded)
        )
    return rows.order_by("award_type__order", "decision_date", "id").values(*PUBLIC_FIELDS)


def public_decision(decision_id: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("issuer", "award_type"),
        pk=decision_id,
        state=DecisionState.PUBLISHED,
        published_at__isnull=False,
    )


def public_decision_rows(decision: Decision) -> QuerySet:
    return published_records().filter(decision=decision).order_by("id").values(*PUBLIC_FIELDS)


def nomination_for(user, nomination_id: int) -> Nomination:
    """The nomination, if ``user`` may read its papers (else 404, not 403: its existence
    is not disclosed)."""
    from django.http import Http404

    n = get_object_or_404(
        Nomination.objects.select_related(
            "person__unit", "unit__parent", "award_type", "proposing_unit", "batch"
        ),
        pk=nomination_id,
    )
    if not user.has_perm("dossiers.view", n):
        raise Http404
    return n
