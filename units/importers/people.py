"""The people sheet: set-based import and export."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal.validators import PERSON_NAME_MAX
from units import services
from units.exchange import ImportContext, Rows
from units.importers.common import (
    BATCH,
    RowInvalid,
    _audit_sheet,
    _bool,
    _choice,
    _code,
    _create,
    _date,
    _each,
    _guard,
    _name,
    _unit_ref,
)
from units.models import Gender, Person

# -- people --------------------------------------------------------------------------------
PEOPLE_COMPARE = ["full_name", "gender", "birth_date", "position", "is_manager", "unit_id"]


def import_people(ctx: ImportContext, rows: Rows) -> None:
    sheet = "people"
    ctx.preload_units(r.get("unit_code", "") for _n, r in rows)
    ctx.preload_people(r.get("code", "") for _n, r in rows)
    today = timezone.localdate()
    new, changed = [], []
    for rownum, row in _each(ctx, sheet, rows, key=lambda r: r.get("code")):

        def check(row=row):
            code = _code(row, "code")
            stored = ctx.person(code)
            full_name = _name(row, "full_name", PERSON_NAME_MAX, getattr(stored, "full_name", None))
            if not full_name:
                raise RowInvalid("full_name", _("A value is required."))
            gender = _choice(row, "gender", Gender)
            birth = _date(row, "birth_date")
            if birth and (birth < dt.date(1900, 1, 1) or birth > today):
                raise RowInvalid("birth_date", _("The birth date is impossible."))
            unit = _unit_ref(ctx, row, "unit_code")
            return {
                "code": code,
                "full_name": full_name,
                "gender": gender,
                "birth_date": birth,
                "unit_id": unit.pk,
                "position": _name(row, "position", 200, getattr(stored, "position", None)),
                "is_manager": _bool(row, "is_manager"),
            }

        values = _guard(ctx, sheet, rownum, check)
        if values is None:
            continue
        person = ctx.person(values["code"])
        if person is None:
            person = Person(**values)
            person.search_text = services.person_search_text(person)
            new.append(person)
        elif any(getattr(person, f) != values[f] for f in PEOPLE_COMPARE):
            for f in PEOPLE_COMPARE:
                setattr(person, f, values[f])
            person.search_text = services.person_search_text(person)
            changed.append(person)
        else:
            ctx.count(sheet, "unchanged")
    if ctx.errors:
        # Nothing will be kept; still make the new people known to later sheets so their
        # rows are checked too, without writing them.
        for p in new:
            ctx.remember_person(p)
        return
    _create(Person, new, ["code", "full_name", "gender", "birth_date", "position", "is_manager",
                          "unit_id", "search_text"])  # fmt: skip
    Person.objects.bulk_update(changed, [*PEOPLE_COMPARE, "search_text"], batch_size=BATCH)
    ctx.count(sheet, "created", len(new))
    ctx.count(sheet, "updated", len(changed))
    for p in new:
        ctx._people.pop(p.code, None)
    ctx.preload_people(p.code for p in new)
    _audit_sheet(
        ctx, sheet, {"created": [p.code for p in new], "updated": [p.code for p in changed]}
    )


def export_people():
    qs = Person.objects.order_by("code").values_list(
        "code", "full_name", "gender", "birth_date", "unit__code", "position", "is_manager"
    )
    for code, name, gender, birth, unit, position, manager in qs.iterator(chunk_size=BATCH):
        yield {
            "code": code,
            "full_name": name,
            "gender": gender,
            "birth_date": birth.isoformat() if birth else "",
            "unit_code": unit,
            "position": position,
            "is_manager": "true" if manager else "false",
        }
