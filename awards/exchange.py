"""The ``awards`` sheet of ``import_data`` / ``export_data`` (contract 1, order 40).

Columns: ``subject_type``, ``subject_code``, ``year``, ``award_code``, ``[kind]``,
``[decision_number]``, ``[decision_date]``. Rows are matched by their natural key (subject,
award, year, kind), so importing the same data again changes nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards import services
from awards.models import AwardKind, AwardRecord, AwardType, RecordSource
from units.models import MAX_YEAR, MIN_YEAR

SHEET = "awards"
COLUMNS = [
    "subject_type",
    "subject_code",
    "year",
    "award_code",
    "kind",
    "decision_number",
    "decision_date",
]
REQUIRED = ["subject_type", "subject_code", "year", "award_code"]


def handle(ctx, rows) -> None:
    """Validate every row, report each problem, and record the valid ones via services."""
    types = {t.code: t for t in AwardType.objects.all()}
    ctx.preload_people(
        r["subject_code"].strip() for _n, r in rows if r.get("subject_type", "").strip() == "person"
    )
    ctx.preload_units(
        [r["subject_code"].strip() for _n, r in rows if r.get("subject_type", "").strip() == "unit"]
    )
    for line, row in rows:
        err = lambda column, message, line=line: ctx.error(SHEET, line, column, message)  # noqa: E731
        subject_type = row.get("subject_type", "").strip()
        code = row.get("subject_code", "").strip()
        subject = None
        if subject_type == "person":
            subject = ctx.person(code)
            if subject is None:
                err("subject_code", _("No person with code “%(code)s”.") % {"code": code})
        elif subject_type == "unit":
            subject = ctx.unit(code)
            if subject is None:
                err("subject_code", _("No unit with code “%(code)s”.") % {"code": code})
        else:
            err("subject_type", _("Must be “person” or “unit”."))
        year_text = row.get("year", "").strip()
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not (MIN_YEAR <= year <= MAX_YEAR):
            err(
                "year",
                _("A year between %(min)s and %(max)s is required.")
                % {"min": MIN_YEAR, "max": MAX_YEAR},
            )
        award_type = types.get(row.get("award_code", "").strip())
        if award_type is None:
            err(
                "award_code",
                _("Unknown award code “%(code)s”.") % {"code": row.get("award_code", "")},
            )
        elif subject_type in ("person", "unit") and not award_type.applies_to(subject_type):
            err(
                "award_code",
                _("%(award)s is not given to a %(subject)s.")
                % {"award": award_type.code, "subject": _(subject_type)},
            )
        kind = (row.get("kind") or "").strip() or AwardKind.CONG_TRANG
        if kind not in AwardKind.values:
            err(
                "kind",
                _("Unknown kind “%(kind)s”; use one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(AwardKind.values)},
            )
        date_text = (row.get("decision_date") or "").strip()
        decision_date = None
        if date_text:
            try:
                decision_date = datetime.date.fromisoformat(date_text)
            except ValueError:
                err("decision_date", _("Use the date format YYYY-MM-DD."))
        number = (row.get("decision_number") or "").strip()
        if len(number) > 60:
            err("decision_number", _("At most 60 characters."))
        if ctx.errors and ctx.errors[-1].row == line and ctx.errors[-1].sheet == SHEET:
            continue
        try:
            _record, outcome = services.record_award(
                ctx.actor,
                subject=subject,
                award_type=award_type,
                year=year,
                kind=kind,
                decision_number=number,
                decision_date=decision_date,
                source=RecordSource.IMPORT,
            )
        except ValidationError as exc:
            err("", " ".join(exc.messages))
            continue
        ctx.count(SHEET, outcome)


def export():
    """Every award record, in the import's columns (people first, then units)."""
    qs = AwardRecord.objects.live().select_related("award_type").order_by("id")
    for rec in (
        qs.filter(person__isnull=False)
        .values_list(
            "person__code", "year", "award_type__code", "kind", "decision_number", "decision_date"
        )
        .iterator(chunk_size=5000)
    ):
        yield _row("person", *rec)
    for rec in (
        qs.filter(unit__isnull=False)
        .values_list(
            "unit__code", "year", "award_type__code", "kind", "decision_number", "decision_date"
        )
        .iterator(chunk_size=5000)
    ):
        yield _row("unit", *rec)


def _row(subject_type, code, year, award_code, kind, number, date) -> dict[str, str]:
    return {
        "subject_type": subject_type,
        "subject_code": code,
        "year": str(year),
        "award_code": award_code,
        "kind": kind,
        "decision_number": number or "",
        "decision_date": date.isoformat() if date else "",
    }


def register() -> None:
    from units.exchange import register_sheet

    register_sheet(SHEET, 40, COLUMNS, REQUIRED, handle, export)
