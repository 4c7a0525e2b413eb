"""The yearly figures: the one source the summary, the statistical forms, the API and
``manage.py yearly_figures`` count from (``codes.md`` "Yearly figures on the command line").

Every figure is a set-based aggregate (GROUP BY in the database): a fixed number of queries
whatever the number of units and people. Only award records in force count
(``AwardRecord.objects.live()``: a record of a replaced decision is superseded).

Scope: the ministry (every unit), or one unit and its sub-units. A person belongs where
their ``ratings`` row (``PersonYear``) for the year puts them, or, without one, to their
current unit (the members-of-unit rule of ``codes.md``); their position level that year is
the recorded one, else ``QUAN_LY`` for a manager and ``TRUC_TIEP`` for anyone else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from awards.models import AwardKind, AwardRecord, AwardType
from units.models import MAX_YEAR, MIN_YEAR, PersonYear, PositionLevel, Unit
from units.selectors import counted_position_level

LEVELS = list(PositionLevel.values)
KINDS = list(AwardKind.values)
SUBJECTS = ("person", "unit")


def check_year(year) -> int:
    """``year`` as an int within the registry's years, else a translated ValidationError."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("The year must be a number such as 2024.")) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("The year %(year)s is out of range (%(min)s-%(max)s).")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def resolve_unit(code: str | None) -> Unit | None:
    """The unit of ``code`` (None for the whole ministry), else a translated error."""
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError(_("There is no unit with the code %(code)s.") % {"code": code[:40]})
    return unit


@dataclass
class UnitFigures:
    code: str
    name: str
    path: str
    staff: int = 0
    women: int = 0
    person_awards: dict[str, int] = field(default_factory=dict)
    unit_awards: dict[str, int] = field(default_factory=dict)


@dataclass
class YearFigures:
    """The aggregates of one year and scope. ``person_awards`` and ``unit_awards`` map
    (award code, kind) and (award code, kind, gender, level) to counts."""

    year: int
    unit: Unit | None
    award_types: dict[str, AwardType]
    person_awards: dict[tuple[str, str, str, str], int]
    unit_awards: dict[tuple[str, str], int]
    staff: dict[tuple[str, str], int]
    units: list[UnitFigures]

    # -- derived ---------------------------------------------------------------------------
    def _order(self, code: str):
        at = self.award_types.get(code)
        return (at.order if at else 10_000, code)

    def award_rows(self) -> list[dict]:
        """One row per (award code, subject type, kind) with any record, catalogue order."""
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        for (code, kind, _g, _l), n in self.person_awards.items():
            counts[(code, "person", kind)] += n
        for (code, kind), n in self.unit_awards.items():
            counts[(code, "unit", kind)] += n
        keys = sorted(
            counts, key=lambda k: (self._order(k[0]), SUBJECTS.index(k[1]), KINDS.index(k[2]))
        )
        return [
            {"award_code": c, "subject_type": s, "kind": k, "count": counts[(c, s, k)]}
            for c, s, k in keys
        ]

    def individual(self) -> dict:
        by_level = dict.fromkeys(LEVELS, 0)
        total = women = 0
        for (_c, _k, gender, level), n in self.person_awards.items():
            total += n
            women += n if gender == "F" else 0
            by_level[level] += n
        return {"total": total, "women": women, "by_position_level": by_level}

    def staff_figures(self) -> dict:
        by_level = dict.fromkeys(LEVELS, 0)
        total = women = 0
        for (gender, level), n in self.staff.items():
            total += n
            women += n if gender == "F" else 0
            by_level[level] += n
        return {"total": total, "women": women, "by_position_level": by_level}

    def as_json(self) -> dict:
        """Exactly the object of ``codes.md`` "Yearly figures", keys in its order."""
        return {
            "year": self.year,
            "unit": self.unit.code if self.unit else None,
            "awards": self.award_rows(),
            "individual_awards": self.individual(),
            "staff": self.staff_figures(),
            "units": [
                {
                    "unit_code": u.code,
                    "staff": u.staff,
                    "awards": dict(
                        sorted(u.person_awards.items(), key=lambda kv: self._order(kv[0]))
                    ),
                }
                for u in self.units
                if u.staff
            ],
        }


def _year_row(year: int, prefix: str = "person_id"):
    return PersonYear.objects.filter(person_id=OuterRef(prefix), year=year)


def compute(year, unit: Unit | None = None) -> YearFigures:
    """The figures of ``year`` for the ministry (``unit`` None) or ``unit`` with its
    sub-units. Reads only; seven queries whatever the size."""
    year = check_year(year)
    award_types = {at.code: at for at in AwardType.objects.all()}
    prefix = unit.path if unit else ""

    # person award records, with the year's unit (path) and counted level of the person
    year_unit = Coalesce(
        Subquery(_year_row(year).values("unit_id")[:1]),
        F("person__unit_id"),
        output_field=BigIntegerField(),
    )
    year_path = Coalesce(
        Subquery(_year_row(year).values("unit__path")[:1]),
        F("person__unit__path"),
        output_field=CharField(),
    )
    level = Coalesce(
        Subquery(_year_row(year).annotate(level=counted_position_level()).values("level")[:1]),
        counted_position_level_of_person(),
        output_field=CharField(),
    )
    person_records = AwardRecord.objects.live().filter(year=year, person__isnull=False)
    if unit is not None:
        person_records = person_records.alias(year_path=year_path).filter(
            year_path__startswith=prefix
        )
    person_awards = {
        (r["award_type__code"], r["kind"], r["person__gender"], r["level"]): r["n"]
        for r in person_records.annotate(level=level)
        .values("award_type__code", "kind", "person__gender", "level")
        .annotate(n=Count("id"))
        .order_by()
    }
    per_unit_person = (
        person_records.annotate(year_unit=year_unit)
        .values("year_unit", "award_type__code")
        .annotate(n=Count("id"))
        .order_by()
    )

    unit_records = AwardRecord.objects.live().filter(year=year, unit__isnull=False)
    if unit is not None:
        unit_records = unit_records.filter(unit__path__startswith=prefix)
    unit_awards: dict[tuple[str, str], int] = defaultdict(int)
    per_unit_unit: list[tuple[int, str, int]] = []
    for r in (
        unit_records.values("unit_id", "award_type__code", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        unit_awards[(r["award_type__code"], r["kind"])] += r["n"]
        per_unit_unit.append((r["unit_id"], r["award_type__code"], r["n"]))

    people = PersonYear.objects.filter(year=year)
    if unit is not None:
        people = people.filter(unit__path__startswith=prefix)
    staff = {
        (r["person__gender"], r["level"]): r["n"]
        for r in people.annotate(level=counted_position_level())
        .values("person__gender", "level")
        .annotate(n=Count("id"))
        .order_by()
    }
    by_unit: dict[int, UnitFigures] = {}
    for r in (
        people.values("unit_id", "unit__code", "unit__name", "unit__path")
        .annotate(n=Count("id"), women=Count("id", filter=Q(person__gender="F")))
        .order_by()
    ):
        by_unit[r["unit_id"]] = UnitFigures(
            r["unit__code"], r["unit__name"], r["unit__path"], r["n"], r["women"]
        )
    # units with awards but no staff still appear in the summary's tables (not in the JSON)
    missing = {r["year_unit"] for r in per_unit_person} | {u for u, _c, _n in per_unit_unit}
    missing -= set(by_unit)
    per_unit_person = list(per_unit_person)
    if missing:
        for pk, code, name, path in Unit.objects.filter(pk__in=missing).values_list(
            "pk", "code", "name", "path"
        ):
            by_unit[pk] = UnitFigures(code, name, path)
    for r in per_unit_person:
        fig = by_unit.get(r["year_unit"])
        if fig is not None:
            fig.person_awards[r["award_type__code"]] = r["n"]
    for unit_id, code, n in per_unit_unit:
        fig = by_unit.get(unit_id)
        if fig is not None:
            fig.unit_awards[code] = fig.unit_awards.get(code, 0) + n
    return YearFigures(
        year=year,
        unit=unit,
        award_types=award_types,
        person_awards=person_awards,
        unit_awards=dict(unit_awards),
        staff=staff,
        units=sorted(by_unit.values(), key=lambda u: u.path),
    )


def counted_position_level_of_person():
    """The fallback level of a person with no row for the year (from ``is_manager``)."""
    return Case(
        When(person__is_manager=True, then=Value(PositionLevel.QUAN_LY)),
        default=Value(PositionLevel.TRUC_TIEP),
        output_field=CharField(),
    )


# -- flat keys: what a statistical form's cell names -----------------------------------------
def flat(fig: YearFigures, extra: dict | None = None) -> dict[str, int]:
    """Every figure of ``fig`` under a dotted key, the vocabulary of report layouts:

    - ``award.<CODE>.<person|unit>.total``, ``award.<CODE>.<subject>.kind.<kind>``,
      ``award.<CODE>.person.women``, ``award.<CODE>.person.level.<LEVEL>``;
    - the same under ``authority.<conferred_by>.`` instead of ``award.<CODE>.`` (added up
      over the award types conferred by that authority: ``unit_head``, ``minister``,
      ``prime_minister``, ``president``);
    - ``individual.total``, ``individual.women``, ``individual.level.<LEVEL>``;
    - ``staff.total``, ``staff.women``, ``staff.level.<LEVEL>``;
    - whatever ``extra`` adds (campaigns, the office's own statistics).

    A key that is absent counts as 0 for award and staff figures."""
    out: dict[str, int] = defaultdict(int)

    def add(stem: str, subject: str, kind: str, n: int, gender=None, level=None):
        out[f"{stem}.{subject}.total"] += n
        out[f"{stem}.{subject}.kind.{kind}"] += n
        if subject == "person":
            out[f"{stem}.person.level.{level}"] += n
            if gender == "F":
                out[f"{stem}.person.women"] += n

    for (code, kind, gender, level), n in fig.person_awards.items():
        at = fig.award_types.get(code)
        add(f"award.{code}", "person", kind, n, gender, level)
        if at:
            add(f"authority.{at.conferred_by}", "person", kind, n, gender, level)
    for (code, kind), n in fig.unit_awards.items():
        at = fig.award_types.get(code)
        add(f"award.{code}", "unit", kind, n)
        if at:
            add(f"authority.{at.conferred_by}", "unit", kind, n)
    ind = fig.individual()
    staff = fig.staff_figures()
    for name, block in (("individual", ind), ("staff", staff)):
        out[f"{name}.total"] = block["total"]
        out[f"{name}.women"] = block["women"]
        for level, n in block["by_position_level"].items():
            out[f"{name}.level.{level}"] = n
    out.update(extra or {})
    return dict(out)
