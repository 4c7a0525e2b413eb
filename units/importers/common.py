"""What the registry's sheets share: the row error, cell parsers (choices, codes, dates,
years, booleans, text, names, references), the row loop and the sheet's audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import nfc
from emulation_portal.validators import check_name
from units import bulk, services
from units.exchange import ImportContext, Rows
from units.models import MAX_YEAR, MIN_YEAR

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


def _existing_by_person(model, person_ids, fields):
    """Rows of ``model`` for these people, fetched in batches."""
    ids = sorted({pk for pk in person_ids if pk})
    for i in range(0, len(ids), BATCH):
        yield from model.objects.filter(person_id__in=ids[i : i + BATCH]).only(*fields)
