"""Reads of awards data, scoped to the user asking."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q, QuerySet

from awards import eligibility
from awards.models import AwardRecord, AwardType, RuleSet
from emulation_portal.permissions import is_office
from units.rules import officer_units


def default_year() -> int:
    """The last finished year: the one judged at year end (2026 is in progress → 2025)."""
    return datetime.date.today().year - 1


def judgeable_years() -> list[int]:
    """Years from the earliest rule set's start to the current year, newest first."""
    first = RuleSet.objects.order_by("effective_from").values_list("effective_from", flat=True)
    start = first[0].year if first else default_year()
    return list(range(datetime.date.today().year, start - 1, -1))


def rule_sets() -> QuerySet[RuleSet]:
    """Every rule set, oldest period first."""
    return RuleSet.objects.order_by("effective_from")


def rule_set_in_force(day: datetime.date) -> RuleSet | None:
    """The rule set whose period holds ``day`` (not merely the open-ended one)."""
    return (
        RuleSet.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def award_history(subject) -> QuerySet[AwardRecord]:
    """A person's or a unit's titles and rewards, newest first (one query)."""
    field = "unit" if subject.__class__.__name__ == "Unit" else "person"
    return (
        AwardRecord.objects.live().filter(**{field: subject})
        .select_related("award_type")
        .order_by("-year", "award_type__order", "kind")
    )


def catalogue() -> QuerySet[AwardType]:
    return AwardType.objects.filter(is_active=True).order_by("order", "code")


def unit_scope(user) -> list[int] | None:
    """None for the office (everyone); the ids of a unit officer's units otherwise."""
    if is_office(user):
        return None
    return sorted(officer_units(user))


def population_verdicts(
    user,
    *,
    year: int,
    award_code: str | None = None,
    subject_type: str | None = None,
    eligible_only: bool = False,
) -> Iterator[eligibility.Verdict]:
    """Verdicts over the population ``user`` may see: everyone for the office, the people
    (by current unit) and units in a unit officer's scope otherwise. Streams."""
    scope = unit_scope(user)
    if scope == []:
        return iter(())
    verdicts = eligibility.judge(
        year,
        subject_type=subject_type,
        unit_ids=scope,
        award_codes=[award_code] if award_code else None,
    )
    if eligible_only:
        return (v for v in verdicts if v.eligible)
    return verdicts
