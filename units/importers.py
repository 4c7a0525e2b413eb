"""The registry's own sheets of the exchange format (``shared/domain/codes.md``): units,
people, ratings, initiatives, disciplines, blocs and bloc members, with their exporters.

Handlers validate every row and report each problem with its row and column. Small sheets
(units, blocs, bloc members) write row by row through :mod:`units.services`; big ones
(people, ratings, initiatives, disciplines) are set-based (bulk inserts and updates in
batches, the same checks as the services) and leave one audit event per sheet naming the
counts and the codes written.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.cells import is_formula_like
from emulation_portal.text import nfc
from emulation_portal.validators import PERSON_NAME_MAX, TITLE_MAX, UNIT_NAME_MAX, check_name
from units import bulk, services
from units.exchange import ImportContext, Rows, register_sheet
from units.models import (
    MAX_YEAR,
    MIN_YEAR,
    Bloc,
    BlocKind,
    BlocMembership,
    BlocRole,
    Discipline,
    DisciplineLevel,
    Gender,
    Initiative,
    InitiativeKind,
    InitiativeScope,
    Person,
    PersonYear,
    PositionLevel,
    Rating,
    Unit,
    UnitKind,
    UnitRating,
)

BATCH = 2000
AUDIT_CODES = 500  # codes named in a sheet's audit event; beyond that only the counts


class RowInvalid(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _message(exc: ValidationError) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return field, " ".join(str(m) for e in errors for m in e.messages)
    return "", " ".join(exc.messages)


_CHOICE_SETS: dict = {}


def _choice(row: dict, column: str, choices, required: bool = True) -> str:
    value = row.get(column, "")
    if not value and not required:
        return ""
    allowed = _CHOICE_SETS.get(choices)
    if allowed is None:
        allowed = _CHOICE_SETS[choices] = frozenset(choices.values)
    if value not in allowed:
        if not value:
            raise RowInvalid(column, _("A value is required."))
        raise RowInvalid(
            column,
            _("%(value)s is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)},
        )
    return value


def _required(row: dict, column: str) -> str:
    value = row.get(column, "")
    if not value:
        raise RowInvalid(column, _("A value is required."))
    return value


def _code(row: dict, column: str) -> str:
    value = _required(row, column)
    try:
        return services.check_code(value, column)
    except ValidationError as exc:
        raise RowInvalid(column, _message(exc)[1]) from None


def _date(row: dict, column: str, required: bool = False) -> dt.date | None:
    value = row.get(column, "")
    if not value:
        if required:
            raise RowInvalid(column, _("A date is required (YYYY-MM-DD)."))
        return None
    try:
        parsed = dt.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        raise RowInvalid(
            column, _("%(value)s is not a date in the form YYYY-MM-DD.") % {"value": value}
        ) from None
    if parsed.year < MIN_YEAR - 45 or parsed > dt.date.today() + dt.timedelta(days=366):
        raise RowInvalid(column, _("The date %(value)s is impossible.") % {"value": value})
    return parsed


def _year(row: dict, column: str = "year") -> int:
    """The same check as ``services.check_year``, without its per-call clock reading."""
    value = _required(row, column)
    try:
        year = int(value)
    except ValueError:
        raise RowInvalid(column, _("The year must be a number such as 2024.")) from None
    limit = min(dt.date.today().year + 1, MAX_YEAR)
    if not MIN_YEAR <= year <= limit:
        raise RowInvalid(
            column,
            _("The year %(year)s is out of range (%(min)s-%(max)s).")
            % {"year": year, "min": MIN_YEAR, "max": limit},
        )
    return year


def _create(model, objs: list, fields: list[str]) -> None:
    """Insert new rows in bulk (COPY on PostgreSQL, batched bulk_create elsewhere)."""
    bulk.insert_rows(model, fields, ([getattr(o, f) for f in fields] for o in objs))


def _bool(row: dict, column: str) -> bool:
    value = row.get(column, "").lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise RowInvalid(column, _("Write true or false."))


def _text(row: dict, column: str, max_length: int) -> str:
    value = " ".join(nfc(row.get(column, "")).split())
    if len(value) > max_length:
        raise RowInvalid(column, _("At most %(n)s characters.") % {"n": max_length})
    return value


def _name(row: dict, column: str, max_length: int, stored: str | None = None) -> str:
    """A name or title: whitespace normalised, at most ``max_length`` characters, not
    formula-like, unless it is the value ``stored`` already (a record saved before these
    checks re-imports from its own export)."""
    value = _text(row, column, max_length if stored is None else 10**6)
    try:
        return check_name(value, column, max_length, unchanged_from=stored)
    except ValidationError as exc:
        raise RowInvalid(column, _message(exc)[1]) from None


def _unit_ref(ctx: ImportContext, row: dict, column: str, required: bool = True):
    code = row.get(column, "")
    if not code:
        if required:
            raise RowInvalid(column, _("A unit code is required."))
        return None
    unit = ctx.unit(code)
    if unit is None:
        raise RowInvalid(column, _("Unknown unit code %(code)s.") % {"code": code})
    return unit


def _person_ref(ctx: ImportContext, row: dict, column: str):
    code = _required(row, column)
    person = ctx.person(code)
    if person is None:
        raise RowInvalid(column, _("Unknown person code %(code)s.") % {"code": code})
    return person


def _each(ctx: ImportContext, sheet: str, rows: Rows, key=None):
    """Yield (rownum, row) of valid rows, reporting RowInvalid and duplicates of ``key``."""
    seen: dict = {}
    for rownum, row in rows:
        if key is not None:
            k = key(row)
            if k in seen:
                ctx.error(
                    sheet,
                    rownum,
                    "",
                    _("Same as row %(row)s: a row may appear only once.") % {"row": seen[k]},
                )
                continue
            seen[k] = rownum
        yield rownum, row


def _guard(ctx, sheet, rownum, func, *args):
    try:
        return func(*args)
    except RowInvalid as exc:
        ctx.error(sheet, rownum, exc.column, exc.message)
    except ValidationError as exc:
        column, message = _message(exc)
        ctx.error(sheet, rownum, column, message)
    return None


def _audit_sheet(ctx: ImportContext, sheet: str, codes: dict[str, list[str]]) -> None:
    counts = ctx.counts.get(sheet)
    if not counts or not (counts["created"] or counts["updated"]):
        return
    audit.record(
        ctx.actor,
        f"units.import_{sheet}",
        object_type="import",
        object_label=sheet,
        after={"counts": counts, **{k: v[:AUDIT_CODES] for k, v in codes.items()}},
    )


# -- units ---------------------------------------------------------------------------------
def import_units(ctx: ImportContext, rows: Rows) -> None:
    sheet = "units"
    ctx.preload_units()
    db_parent = dict(Unit.objects.values_list("code", "parent__code"))
    parsed: dict[str, tuple[int, dict]] = {}
    for rownum, row in _each(ctx, sheet, rows, key=lambda r: r.get("code")):

        def check(row=row):
            code = _code(row, "code")
            name = _name(row, "name", UNIT_NAME_MAX, getattr(ctx.unit(code), "name", None))
            if not name:
                raise RowInvalid("name", _("A value is required."))
            kind = _choice(row, "kind", UnitKind)
            parent = row.get("parent_code", "")
            if parent == code:
                raise RowInvalid("parent_code", _("A unit cannot be its own parent."))
            return code, {"name": name, "kind": kind, "parent": parent}

        result = _guard(ctx, sheet, rownum, check)
        if result:
            parsed[result[0]] = (rownum, result[1])
    # parents must exist, in the file or already; the final tree must have no cycle
    final_parent = dict(db_parent)
    final_parent.update({code: v["parent"] or None for code, (_r, v) in parsed.items()})
    for code, (rownum, values) in list(parsed.items()):
        parent = values["parent"]
        if parent and parent not in parsed and ctx.unit(parent) is None:
            ctx.error(
                sheet, rownum, "parent_code", _("Unknown parent unit %(code)s.") % {"code": parent}
            )
            del parsed[code]
    for code, (rownum, _values) in list(parsed.items()):
        seen, node = set(), code
        while node is not None and node not in seen:
            seen.add(node)
            node = final_parent.get(node)
        if node is not None:  # came back to a unit already on the chain: a cycle
            ctx.error(
                sheet,
                rownum,
                "parent_code",
                _("The parent units form a cycle through %(code)s.") % {"code": node},
            )
            parsed.pop(code)
    # parents first

    def depth(code, guard=0):
        p = final_parent.get(code)
        return 0 if not p or guard > 300 else 1 + depth(p, guard + 1)

    codes = {"created": [], "updated": []}
    for code in sorted(parsed, key=depth):
        rownum, values = parsed[code]
        parent = ctx.unit(values["parent"]) if values["parent"] else None
        if values["parent"] and parent is None:
            continue  # its parent failed; already reported
        unit = ctx.unit(code)
        try:
            if unit is None:
                unit = services.create_unit(
                    ctx.actor, code=code, name=values["name"], kind=values["kind"], parent=parent
                )
                ctx.count(sheet, "created")
                codes["created"].append(code)
            elif (unit.name, unit.kind, unit.parent_id) != (
                values["name"],
                values["kind"],
                parent.pk if parent else None,
            ):
                unit = services.update_unit(
                    ctx.actor, unit, name=values["name"], kind=values["kind"], parent=parent
                )
                ctx.count(sheet, "updated")
                codes["updated"].append(code)
            else:
                ctx.count(sheet, "unchanged")
            ctx.remember_unit(unit)
        except ValidationError as exc:
            column, message = _message(exc)
            ctx.error(sheet, rownum, {"parent": "parent_code"}.get(column, column), message)


def export_units():
    for code, name, kind, parent in (
        Unit.objects.order_by("path")
        .values_list("code", "name", "kind", "parent__code")
        .iterator(chunk_size=BATCH)
    ):
        yield {"code": code, "name": name, "kind": kind, "parent_code": parent or ""}


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


def _existing_by_person(model, person_ids, fields):
    """Rows of ``model`` for these people, fetched in batches."""
    ids = sorted({pk for pk in person_ids if pk})
    for i in range(0, len(ids), BATCH):
        yield from model.objects.filter(person_id__in=ids[i : i + BATCH]).only(*fields)


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


# -- blocs ---------------------------------------------------------------------------------
def import_blocs(ctx: ImportContext, rows: Rows) -> None:
    sheet = "blocs"
    existing = {b.code: b for b in Bloc.objects.all()}
    for rownum, row in _each(ctx, sheet, rows, key=lambda r: r.get("code")):

        def write(row=row):
            code = _code(row, "code")
            name = _name(row, "name", UNIT_NAME_MAX, getattr(existing.get(code), "name", None))
            if not name:
                raise RowInvalid("name", _("A value is required."))
            kind = _choice(row, "kind", BlocKind)
            bloc = existing.get(code)
            if bloc is None:
                services.create_bloc(ctx.actor, code=code, name=name, kind=kind)
                ctx.count(sheet, "created")
            elif (bloc.name, bloc.kind) != (name, kind):
                services.update_bloc(ctx.actor, bloc, name=name, kind=kind)
                ctx.count(sheet, "updated")
            else:
                ctx.count(sheet, "unchanged")

        _guard(ctx, sheet, rownum, write)


def export_blocs():
    for code, name, kind in Bloc.objects.order_by("code").values_list("code", "name", "kind"):
        yield {"code": code, "name": name, "kind": kind}


def import_bloc_members(ctx: ImportContext, rows: Rows) -> None:
    sheet = "bloc_members"
    blocs = {b.code: b for b in Bloc.objects.all()}
    ctx.preload_units(r.get("unit_code", "") for _n, r in rows)
    valid = []
    holders: dict = {}
    per_kind: dict = {}
    for rownum, row in _each(
        ctx, sheet, rows, key=lambda r: (r.get("bloc_code"), r.get("year"), r.get("unit_code"))
    ):

        def check(row=row, rownum=rownum):
            code = _required(row, "bloc_code")
            bloc = blocs.get(code)
            if bloc is None:
                raise RowInvalid("bloc_code", _("Unknown bloc code %(code)s.") % {"code": code})
            year = _year(row)
            unit = _unit_ref(ctx, row, "unit_code")
            role = _choice(row, "role", BlocRole)
            if role != BlocRole.MEMBER:
                other = holders.setdefault((bloc.pk, year, role), rownum)
                if other != rownum:
                    raise RowInvalid(
                        "role",
                        _("Row %(row)s already names this bloc's %(role)s for %(year)s.")
                        % {"row": other, "role": role, "year": year},
                    )
            other = per_kind.setdefault((unit.pk, year, bloc.kind), (rownum, bloc.code))
            if other[0] != rownum:
                raise RowInvalid(
                    "unit_code",
                    _("Row %(row)s already puts this unit in %(bloc)s in %(year)s.")
                    % {"row": other[0], "bloc": other[1], "year": year},
                )
            return bloc, year, unit, role

        result = _guard(ctx, sheet, rownum, check)
        if result:
            valid.append((rownum, result))
    current = {
        (m.bloc_id, m.year, m.unit_id): m
        for m in BlocMembership.objects.filter(
            bloc_id__in={b.pk for _r, (b, *_x) in valid},
            year__in={y for _r, (_b, y, *_x) in valid},
        )
    }
    # demotions first, so a leader and a member may swap roles within one file
    valid.sort(key=lambda item: item[1][3] != BlocRole.MEMBER)
    for rownum, (bloc, year, unit, role) in valid:
        m = current.get((bloc.pk, year, unit.pk))

        def write(bloc=bloc, year=year, unit=unit, role=role, m=m):
            if m is None:
                services.add_bloc_member(ctx.actor, bloc=bloc, year=year, unit=unit, role=role)
                ctx.count(sheet, "created")
            elif m.role != role:
                services.set_bloc_role(ctx.actor, bloc=bloc, year=year, unit=unit, role=role)
                ctx.count(sheet, "updated")
            else:
                ctx.count(sheet, "unchanged")

        _guard(ctx, sheet, rownum, write)


def export_bloc_members():
    for bloc, year, unit, role in (
        BlocMembership.objects.order_by("bloc__code", "year", "unit__code")
        .values_list("bloc__code", "year", "unit__code", "role")
        .iterator(chunk_size=BATCH)
    ):
        yield {"bloc_code": bloc, "year": str(year), "unit_code": unit, "role": role}


register_sheet(
    "units",
    10,
    ["code", "name", "kind", "parent_code"],
    ["code", "name", "kind"],
    import_units,
    export_units,
)
register_sheet(
    "people",
    20,
    ["code", "full_name", "gender", "birth_date", "unit_code", "position", "is_manager"],
    ["code", "full_name", "gender", "unit_code"],
    import_people,
    export_people,
)
register_sheet(
    "ratings",
    30,
    ["subject_type", "subject_code", "year", "rating", "unit_code", "position_level"],
    ["subject_type", "subject_code", "year", "rating"],
    import_ratings,
    export_ratings,
)
register_sheet(
    "initiatives",
    50,
    ["person_code", "year", "title", "scope", "recognized_on", "kind"],
    ["person_code", "year", "title", "scope"],
    import_initiatives,
    export_initiatives,
)
register_sheet(
    "disciplines",
    60,
    ["person_code", "level", "start_date", "end_date"],
    ["person_code", "level", "start_date"],
    import_disciplines,
    export_disciplines,
)
register_sheet(
    "blocs", 70, ["code", "name", "kind"], ["code", "name", "kind"], import_blocs, export_blocs
)
register_sheet(
    "bloc_members",
    80,
    ["bloc_code", "year", "unit_code", "role"],
    ["bloc_code", "year", "unit_code", "role"],
    import_bloc_members,
    export_bloc_members,
)
