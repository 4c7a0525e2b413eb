"""Reads of awards data, scoped to the user asking."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery, Sum

from awards import eligibility
from awards.models import (
    AwardRecord,
    AwardType,
    Nomination,
    RuleSet,
    StoredVerdict,
    VerdictPass,
    VerdictTally,
)
from awards.models.nominations import DEAD_STATES
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
        AwardRecord.objects.live()
        .filter(**{field: subject})
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


# --------------------------------------------------------------------------- standing verdicts


@dataclass
class Standing:
    """The state of a year's standing verdicts: the pass that made them (None: never
    computed, the page judges live) and the pass waiting or running, if any."""

    year: int
    rule_set: RuleSet
    done: VerdictPass | None
    open: VerdictPass | None


def standing(year: int) -> Standing:
    """Raises ``ValidationError`` for a year without a rule set. Two queries."""
    rule_set = eligibility.rule_set_for(year)
    done = open_ = None
    for p in VerdictPass.objects.filter(year=year).filter(
        Q(state__in=[VerdictPass.State.PENDING, VerdictPass.State.RUNNING])
        | Q(
            pk=Subquery(
                VerdictPass.objects.filter(year=year, state=VerdictPass.State.DONE)
                .order_by("-finished_at", "-pk")
                .values("pk")[:1]
            )
        )
    ):
        if p.state == VerdictPass.State.DONE:
            done = p if p.rule_set_id == rule_set.pk else None
        elif open_ is None or p.state == VerdictPass.State.RUNNING:
            open_ = p
    return Standing(year, rule_set, done, open_)


def _stored(user, year: int, rule_set_id: int, award_code, subject_type, model):
    scope = unit_scope(user)
    rows = model.objects.filter(year=year, rule_set_id=rule_set_id)
    if award_code:
        rows = rows.filter(award_type__code=award_code)
    if subject_type == "person":
        rows = rows.filter(
            **({"is_unit": False} if model is VerdictTally else {"person__isnull": False})
        )
    elif subject_type == "unit":
        rows = rows.filter(
            **({"is_unit": True} if model is VerdictTally else {"unit__isnull": False})
        )
    if scope is not None:
        rows = rows.filter(scope_unit_id__in=scope)
    return rows


def stored_verdicts(
    user,
    *,
    year: int,
    rule_set_id: int,
    award_code: str | None = None,
    subject_type: str | None = None,
    eligible_only: bool = False,
) -> QuerySet[StoredVerdict]:
    """Standing verdicts ``user`` may see, in the engine's order (people by id, then units
    in tree order): one indexed query per page."""
    rows = _stored(user, year, rule_set_id, award_code, subject_type, StoredVerdict)
    if eligible_only:
        rows = rows.filter(eligible=True)
    return rows.select_related("award_type").order_by("sort_key", "award_type_id")


def stored_totals(
    user, *, year: int, rule_set_id: int, award_code=None, subject_type=None
) -> tuple[int, int]:
    """(verdicts, eligible) over what ``user`` may see, summed from the tallies: one query
    over at most units x awards rows, whatever the number of people."""
    sums = _stored(user, year, rule_set_id, award_code, subject_type, VerdictTally).aggregate(
        total=Sum("total"), eligible=Sum("eligible")
    )
    return sums["total"] or 0, sums["eligible"] or 0


def stored_for_subject(subject, year: int, rule_set_id: int) -> list[StoredVerdict]:
    """One subject's standing verdicts of a year (one query)."""
    field = "unit" if subject.__class__.__name__ == "Unit" else "person"
    return list(
        StoredVerdict.objects.filter(year=year, rule_set_id=rule_set_id, **{field: subject})
        .select_related("award_type")
        .order_by("award_type_id")
    )


def stored_eligible_people(year: int, award_type, unit_ids: list[int]) -> list[int] | None:
    """Ids of the people of ``unit_ids`` (current unit) whose standing verdict for
    ``award_type`` in ``year`` is eligible, by id; None while no pass stored the year."""
    s = standing(year)
    if s.done is None:
        return None
    return list(
        StoredVerdict.objects.filter(
            year=year,
            rule_set=s.rule_set,
            award_type=award_type,
            eligible=True,
            person__isnull=False,
            scope_unit_id__in=unit_ids,
        )
        .order_by("sort_key")
        .values_list("person_id", flat=True)
    )


# --------------------------------------------------------------------------- row status


ELIGIBLE, AWARDED, OPEN, NOT_ELIGIBLE = "eligible", "awarded", "open", "not_eligible"


def subject_id(verdict) -> int:
    """The person's or unit's id of a standing (``StoredVerdict``) or live verdict."""
    if isinstance(verdict, StoredVerdict):
        return verdict.person_id or verdict.unit_id
    return verdict.subject_id


class StatusRow:
    """A verdict with where it stands for a nomination: ``status`` is one of eligible,
    awarded (a live award record of that award and year), open (a live nomination for
    that subject, award and year) or not_eligible. Reads the verdict's fields through."""

    def __init__(self, verdict, status: str):
        self.verdict = verdict
        self.status = status
        self.subject_id = subject_id(verdict)

    def __getattr__(self, name):
        return getattr(self.verdict, name)


def with_status(verdicts, year: int) -> list[StatusRow]:
    """The verdicts of one year, each with its nomination status. Two queries whatever
    the number of rows (award records, then nominations, both over the rows' subject ids)."""
    verdicts = list(verdicts)
    if not verdicts:
        return []
    people = {subject_id(v) for v in verdicts if v.subject_type == "person"}
    units = {subject_id(v) for v in verdicts if v.subject_type == "unit"}
    codes = {v.award_code for v in verdicts}
    who = Q(person_id__in=people) | Q(unit_id__in=units)

    def keys(rows):
        return {("person" if pid else "unit", pid or uid, code) for pid, uid, code in rows}

    fields = ("person_id", "unit_id", "award_type__code")
    awarded = keys(
        AwardRecord.objects.live()
        .filter(who, year=year, award_type__code__in=codes)
        .values_list(*fields)
    )
    open_ = keys(
        Nomination.objects.filter(who, year=year, award_type__code__in=codes)
        .exclude(state__in=DEAD_STATES)
        .values_list(*fields)
    )
    out = []
    for v in verdicts:
        key = (v.subject_type, subject_id(v), v.award_code)
        if key in awarded:
            status = AWARDED
        elif key in open_:
            status = OPEN
        else:
            status = ELIGIBLE if v.eligible else NOT_ELIGIBLE
        out.append(StatusRow(v, status))
    return out
