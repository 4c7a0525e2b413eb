"""The ratings sheet (people's and units' yearly ratings): set-based import and export."""

from __future__ import annotations

from django.utils.translation import gettext as _

from units import bulk
from units.exchange import ImportContext, Rows
from units.importers.common import (
    BATCH,
    RowInvalid,
    _audit_sheet,
    _choice,
    _create,
    _each,
    _guard,
    _person_ref,
    _unit_ref,
    _year,
)
from units.models import PersonYear, PositionLevel, Rating, UnitRating


# -- ratings -------------------------------------------------------------------------------
def import_ratings(ctx: ImportContext, rows: Rows) -> None:
    sheet = "ratings"
    ctx.preload_units(
        c
        for _n, r in rows
        for c in (
            r.get("unit_code", ""),
            r.get("subject_code", "") if r.get("subject_type") == "unit" else "",
        )
    )
    ctx.preload_people(
        r.get("subject_code", "") for _n, r in rows if r.get("subject_type") == "person"
    )
    person_rows, unit_rows = [], []
    for rownum, row in _each(
        ctx,
        sheet,
        rows,
        key=lambda r: (r.get("subject_type"), r.get("subject_code"), r.get("year")),
    ):

        def check(row=row):
            kind = row.get("subject_type", "")
            if kind not in ("person", "unit"):
                raise RowInvalid("subject_type", _("Write person or unit."))
            year = _year(row)
            if kind == "person":
                person = _person_ref(ctx, row, "subject_code")
                rating = _choice(row, "rating", Rating, required=False)
                unit = _unit_ref(ctx, row, "unit_code", required=False)
                # without the column, the recorded level is kept (None)
                level = (
                    _choice(row, "position_level", PositionLevel, required=False)
                    if "position_level" in row
                    else None
                )
                return "person", (person, year, rating, unit, level)
            unit = _unit_ref(ctx, row, "subject_code")
            if row.get("unit_code") and row["unit_code"] != unit.code:
                raise RowInvalid("unit_code", _("Leave unit_code empty for a unit's rating."))
            if row.get("position_level"):
                raise RowInvalid(
                    "position_level", _("Leave position_level empty for a unit's rating.")
                )
            return "unit", (unit, year, _choice(row, "rating", Rating))

        result = _guard(ctx, sheet, rownum, check)
        if result:
            (person_rows if result[0] == "person" else unit_rows).append((rownum, result[1]))
    if ctx.errors:
        return
    # (person, year) -> (id, unit, rating, level): plain tuples, no model instance per row
    existing = {}
    ids = sorted({p.pk for _r, (p, *_x) in person_rows if p.pk})
    for i in range(0, len(ids), BATCH):
        for pk, pid, year, unit_id, rating, level in PersonYear.objects.filter(
            person_id__in=ids[i : i + BATCH]
        ).values_list("id", "person_id", "year", "unit_id", "rating", "position_level"):
            existing[(pid, year)] = (pk, unit_id, rating, level)
    new, changed = [], []
    unchanged = 0
    for _rownum, (person, year, rating, unit, level) in person_rows:
        found = existing.get((person.pk, year))
        if found is None:
            new.append((person.pk, year, unit.pk if unit else person.unit_id, rating, level or ""))
            continue
        pk, unit_id, old_rating, old_level = found
        level = old_level if level is None else level
        if old_rating != rating or old_level != level or (unit and unit_id != unit.pk):
            changed.append(
                PersonYear(
                    id=pk,
                    rating=rating,
                    unit_id=unit.pk if unit else unit_id,
                    position_level=level,
                )
            )
        else:
            unchanged += 1
    ctx.count(sheet, "unchanged", unchanged)
    bulk.insert_rows(PersonYear, ["person_id", "year", "unit_id", "rating", "position_level"], new)
    PersonYear.objects.bulk_update(
        changed, ["rating", "unit_id", "position_level"], batch_size=BATCH
    )
    ctx.count(sheet, "created", len(new))
    ctx.count(sheet, "updated", len(changed))
    unit_existing = {
        (r.unit_id, r.year): r
        for r in UnitRating.objects.filter(unit_id__in={u.pk for _r, (u, *_x) in unit_rows})
    }
    u_new, u_changed = [], []
    for _rownum, (unit, year, rating) in unit_rows:
        r = unit_existing.get((unit.pk, year))
        if r is None:
            u_new.append(UnitRating(unit_id=unit.pk, year=year, rating=rating))
        elif r.rating != rating:
            r.rating = rating
            u_changed.append(r)
        else:
            ctx.count(sheet, "unchanged")
    _create(UnitRating, u_new, ["unit_id", "year", "rating"])
    UnitRating.objects.bulk_update(u_changed, ["rating"], batch_size=BATCH)
    ctx.count(sheet, "created", len(u_new))
    ctx.count(sheet, "updated", len(u_changed))
    _audit_sheet(ctx, sheet, {})


def export_ratings():
    for unit, year, rating in (
        UnitRating.objects.order_by("unit__code", "year")
        .values_list("unit__code", "year", "rating")
        .iterator(chunk_size=BATCH)
    ):
        yield {
            "subject_type": "unit",
            "subject_code": unit,
            "year": str(year),
            "rating": rating,
            "unit_code": "",
            "position_level": "",
        }
    for person, year, rating, unit, level in (
        PersonYear.objects.order_by("person__code", "year")
        .values_list("person__code", "year", "rating", "unit__code", "position_level")
        .iterator(chunk_size=BATCH)
    ):
        yield {
            "subject_type": "person",
            "subject_code": person,
            "year": str(year),
            "rating": rating,
            "unit_code": unit,
            "position_level": level,
        }
