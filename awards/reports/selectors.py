"""Reads behind the dashboard's numbers: the award records a figure counts, with the same
rules as :mod:`awards.reports.figures` (records in force; a person in the unit their
``ratings`` row of the year puts them, else their current unit)."""

from __future__ import annotations

from django.db.models import CharField, F, Q, Subquery
from django.db.models.functions import Coalesce

from awards.models import AwardRecord
from awards.reports import figures
from units.models import BlocMembership, Unit


def records_behind(
    year: int,
    *,
    unit: Unit | None = None,
    direct: bool = False,
    award: str = "",
    subject: str = "",
    bloc: str = "",
):
    """The live award records of ``year`` a dashboard figure counts: in ``unit`` (with its
    sub-units, or only the unit itself when ``direct``), of the ``award`` code, of persons
    or units (``subject``), in the units of ``bloc`` that year (with their sub-units)."""
    year_path = Coalesce(
        Subquery(figures._year_row(year).values("unit__path")[:1]),
        F("person__unit__path"),
        output_field=CharField(),
    )
    qs = (
        AwardRecord.objects.live()
        .filter(year=year)
        .annotate(where_path=Coalesce(year_path, F("unit__path"), output_field=CharField()))
    )
    if subject == "person":
        qs = qs.filter(person__isnull=False)
    elif subject == "unit":
        qs = qs.filter(unit__isnull=False)
    if award:
        qs = qs.filter(award_type__code=award)
    if unit is not None:
        qs = (
            qs.filter(where_path=unit.path)
            if direct
            else qs.filter(where_path__startswith=unit.path)
        )
    if bloc:
        paths = list(
            BlocMembership.objects.filter(year=year, bloc__code=bloc).values_list(
                "unit__path", flat=True
            )
        )
        match = Q(pk__in=[])
        for path in paths:
            match |= Q(where_path__startswith=path)
        qs = qs.filter(match)
    return qs.select_related("award_type", "person", "unit", "person__unit").order_by(
        "award_type__order", "award_type__code", "where_path", "person__full_name", "pk"
    )


def bloc_units(year: int, bloc: str) -> set[str]:
    """The codes of the units counted in ``bloc`` in ``year`` (its members and sub-units)."""
    paths = list(
        BlocMembership.objects.filter(year=year, bloc__code=bloc).values_list(
            "unit__path", flat=True
        )
    )
    if not paths:
        return set()
    match = Q(pk__in=[])
    for path in paths:
        match |= Q(path__startswith=path)
    return set(Unit.objects.filter(match).values_list("code", flat=True))
