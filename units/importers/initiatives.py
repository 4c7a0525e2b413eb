"""The initiatives sheet: set-based import and export."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal.cells import is_formula_like
from emulation_portal.text import nfc
from emulation_portal.validators import TITLE_MAX
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
    _name,
    _person_ref,
    _text,
    _year,
)
from units.models import Initiative, InitiativeKind, InitiativeScope


# -- initiatives ---------------------------------------------------------------------------
def import_initiatives(ctx: ImportContext, rows: Rows) -> None:
    sheet = "initiatives"
    ctx.preload_people(r.get("person_code", "") for _n, r in rows)
    today = timezone.localdate()
    valid = []
    for rownum, row in _each(
        ctx,
        sheet,
        rows,
        key=lambda r: (
            r.get("person_code"),
            r.get("year"),
            " ".join(nfc(r.get("title", "")).split()),
        ),
    ):

        def check(row=row):
            person = _person_ref(ctx, row, "person_code")
            year = _year(row)
            title = _text(row, "title", TITLE_MAX)
            if not title:
                raise RowInvalid("title", _("A value is required."))
            # the title is part of the natural key: a stored one is the same initiative
            kept = Initiative.objects.filter(person_id=person.pk, year=year, title=title)
            if is_formula_like(title) and kept.exists():
                title = _name(row, "title", TITLE_MAX, title)
            else:
                title = _name(row, "title", TITLE_MAX)
            scope = _choice(row, "scope", InitiativeScope)
            kind = _choice(row, "kind", InitiativeKind, required=False) or InitiativeKind.INITIATIVE
            recognized = _date(row, "recognized_on")
            if recognized and (recognized > today or not year - 1 <= recognized.year <= year + 3):
                raise RowInvalid(
                    "recognized_on",
                    _("The recognition date is in the future or far from the initiative's year."),
                )
            return person, year, title, scope, kind, recognized

        result = _guard(ctx, sheet, rownum, check)
        if result:
            valid.append(result)
    if ctx.errors:
        return
    existing = {
        (i.person_id, i.year, i.title): i
        for i in _existing_by_person(
            Initiative,
            [v[0].pk for v in valid],
            ["id", "person_id", "year", "title", "scope", "kind", "recognized_on"],
        )
    }
    new, changed = [], []
    for person, year, title, scope, kind, recognized in valid:
        i = existing.get((person.pk, year, title))
        if i is None:
            new.append(
                Initiative(
                    person_id=person.pk,
                    year=year,
                    title=title,
                    scope=scope,
                    kind=kind,
                    recognized_on=recognized,
                )
            )
        elif (i.scope, i.kind, i.recognized_on) != (scope, kind, recognized):
            i.scope, i.kind, i.recognized_on = scope, kind, recognized
            changed.append(i)
        else:
            ctx.count(sheet, "unchanged")
    _create(Initiative, new, ["person_id", "year", "title", "kind", "scope", "recognized_on",
                              "recognized_by"])  # fmt: skip
    Initiative.objects.bulk_update(changed, ["scope", "kind", "recognized_on"], batch_size=BATCH)
    ctx.count(sheet, "created", len(new))
    ctx.count(sheet, "updated", len(changed))
    _audit_sheet(ctx, sheet, {})


def export_initiatives():
    for person, year, title, scope, kind, recognized in (
        Initiative.objects.order_by("person__code", "year", "title")
        .values_list("person__code", "year", "title", "scope", "kind", "recognized_on")
        .iterator(chunk_size=BATCH)
    ):
        yield {
            "person_code": person,
            "year": str(year),
            "title": title,
            "scope": scope,
            "kind": kind,
            "recognized_on": recognized.isoformat() if recognized else "",
        }
