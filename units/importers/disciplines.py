"""The disciplines sheet: set-based import and export."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from units.exchange import ImportContext, Rows
from units.importers.common import (
    BATCH,
    RowInvalid,
    _audit_sheet,
    _choice,
    _create,
    _date,
    _each,
    _existing_by_person,
    _guard,
    _person_ref,
)
from units.models import Discipline, DisciplineLevel


# -- disciplines ---------------------------------------------------------------------------
def import_disciplines(ctx: ImportContext, rows: Rows) -> None:
    sheet = "disciplines"
    ctx.preload_people(r.get("person_code", "") for _n, r in rows)
    valid = []
    for rownum, row in _each(
        ctx,
        sheet,
        rows,
        key=lambda r: (r.get("person_code"), r.get("level"), r.get("start_date")),
    ):

        def check(row=row):
            person = _person_ref(ctx, row, "person_code")
            level = _choice(row, "level", DisciplineLevel)
            start = _date(row, "start_date", required=True)
            if start > dt.date.today():
                raise RowInvalid("start_date", _("The start date is in the future."))
            end = _date(row, "end_date")
            if end and end < start:
                raise RowInvalid("end_date", _("The end date is before the start date."))
            return person, level, start, end

        result = _guard(ctx, sheet, rownum, check)
        if result:
            valid.append(result)
    if ctx.errors:
        return
    existing = {
        (d.person_id, d.level, d.start_date): d
        for d in _existing_by_person(
            Discipline,
            [v[0].pk for v in valid],
            ["id", "person_id", "level", "start_date", "end_date"],
        )
    }
    new, changed = [], []
    for person, level, start, end in valid:
        d = existing.get((person.pk, level, start))
        if d is None:
            new.append(Discipline(person_id=person.pk, level=level, start_date=start, end_date=end))
        elif d.end_date != end:
            d.end_date = end
            changed.append(d)
        else:
            ctx.count(sheet, "unchanged")
    _create(Discipline, new, ["person_id", "level", "start_date", "end_date", "decision_ref",
                              "reason"])  # fmt: skip
    Discipline.objects.bulk_update(changed, ["end_date"], batch_size=BATCH)
    ctx.count(sheet, "created", len(new))
    ctx.count(sheet, "updated", len(changed))
    _audit_sheet(ctx, sheet, {})


def export_disciplines():
    for person, level, start, end in (
        Discipline.objects.order_by("person__code", "start_date", "level")
        .values_list("person__code", "level", "start_date", "end_date")
        .iterator(chunk_size=BATCH)
    ):
        yield {
            "person_code": person,
            "level": level,
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else "",
        }
