"""The Home Affairs ministry's statistical forms (0601-0605) filled from the figures by their
layout record (``ReportLayout``): which layout is in force, the cells with their values, and
the XLSX in the form's layout. No form is described in code: a new circular is a new
layout record."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from awards.models import OfficeStatistics, ReportLayout
from awards.reports import figures
from campaigns.models import Campaign, CampaignState
from emulation_portal.cells import xlsx_value
from units.models import Unit

FIRST_ROW = 1  # title lines start here; the header follows a blank line


def layouts_in_force(year: int):
    """The layout of each form code in force on 31 December of ``year`` (one per code)."""
    end = dt.date(year, 12, 31)
    qs = ReportLayout.objects.filter(effective_from__lte=end).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=end)
    )
    chosen: dict[str, ReportLayout] = {}
    for layout in qs.order_by("code", "-effective_from"):
        chosen.setdefault(layout.code, layout)
    return list(chosen.values())


def layout_for(code: str, year: int) -> ReportLayout:
    for layout in layouts_in_force(year):
        if layout.code == code:
            return layout
    raise ValidationError(
        _("No layout of form %(code)s is in force for %(year)s.")
        % {"code": code[:20], "year": year}
    )


def extra_figures(year: int) -> dict:
    """Figures the forms need beyond the registry's: the year's launched campaigns by kind
    (the ministry launches them) and the office's own statistics (``office.*``, absent
    when the office has not entered them)."""
    out = {"campaigns.total": 0}
    for row in (
        Campaign.objects.filter(year=year)
        .exclude(state=CampaignState.DRAFT)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out[f"campaigns.kind.{row['kind']}"] = row["n"]
        out["campaigns.total"] += row["n"]
    stats = OfficeStatistics.objects.filter(year=year).first()
    if stats is not None:
        for name in (
            "offices",
            "dedicated_offices",
            "staff_full_time",
            "staff_part_time",
            "staff_women",
        ):
            out[f"office.{name}"] = getattr(stats, name)
    return out


@dataclass
class Cell:
    row_code: str
    row_label: str
    column: str
    column_label: str
    ref: str
    keys: list[str]
    value: int | None  # None: to be entered by hand (the office's figures are missing)


def _put(ws, row: int, column: int, value):
    """Write ``value`` inert (``emulation_portal.cells``) into a cell of a normal sheet."""
    target = ws.cell(row, column)
    safe = xlsx_value(ws, value)
    if hasattr(safe, "quotePrefix"):  # formula-like text: a string cell, quote-prefixed
        target.value = safe.value
        target.data_type = "s"
        target.quotePrefix = True
    else:
        target.value = safe
    return target


def _value(keys: list[str], values: dict) -> int | None:
    if any(k.startswith("office.") and k not in values for k in keys):
        return None
    return sum(values.get(k, 0) for k in keys)


def fill(layout: ReportLayout, values: dict) -> tuple[list[Cell], int]:
    """The form's cells with their values and the row of its header."""
    spec = layout.layout
    header_row = FIRST_ROW + len(spec.get("title", [])) + 2
    cells = []
    for i, row in enumerate(spec.get("rows", []), start=1):
        for j, col in enumerate(spec.get("columns", []), start=3):
            keys = row.get("cells", {}).get(col["key"])
            if keys is None:
                continue
            keys = [keys] if isinstance(keys, str) else list(keys)
            cells.append(
                Cell(
                    row.get("code", ""),
                    row["label"],
                    col["key"],
                    col["label"],
                    f"{get_column_letter(j)}{header_row + i}",
                    keys,
                    _value(keys, values),
                )
            )
    return cells, header_row


def form_cells(code: str, year, unit: Unit | None = None) -> dict:
    """The cells of form ``code`` for ``year`` and scope: the layout used and every cell
    (row, column, cell reference, the figure keys it adds up, its value)."""
    year = figures.check_year(year)
    layout = layout_for(code, year)
    values = figures.flat(figures.compute(year, unit), extra_figures(year))
    cells, _header = fill(layout, values)
    return {"layout": layout, "year": year, "unit": unit, "cells": cells}


def render_xlsx(code: str, year, unit: Unit | None = None) -> tuple[str, bytes]:
    """The form as an XLSX file in its layout: title lines, the scope and year, the header,
    one row per layout row; a cell whose figures the office has not entered is left empty
    and marked. Every value goes through ``emulation_portal.cells``."""
    data = form_cells(code, year, unit)
    layout, cells = data["layout"], data["cells"]
    spec = layout.layout
    wb = Workbook()
    ws = wb.active
    ws.title = layout.code
    bold = Font(bold=True)
    r = FIRST_ROW
    for line in spec.get("title", []):
        _put(ws, r, 1, line).font = bold
        r += 1
    scope = unit.name if unit else _("The whole ministry")
    _put(ws, r, 1, f"{scope} - {_('year')} {data['year']} ({layout.circular})")
    header_row = r + 2
    _put(ws, header_row, 1, _("No.")).font = bold
    _put(ws, header_row, 2, _("Item")).font = bold
    for j, col in enumerate(spec.get("columns", []), start=3):
        c = _put(ws, header_row, j, col["label"])
        c.font = bold
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(spec.get("rows", []), start=1):
        _put(ws, header_row + i, 1, row.get("code", ""))
        label = _put(ws, header_row + i, 2, row["label"])
        if row.get("bold"):
            label.font = bold
    missing = False
    for cell in cells:
        ws[cell.ref] = cell.value  # a number or None
        if cell.value is None:
            missing = True
    notes_row = header_row + len(spec.get("rows", [])) + 2
    notes = list(spec.get("notes", []))
    if missing:
        notes.append(
            _(
                "Empty cells: the emulation office has not entered these figures for the "
                "year (Django admin, emulation office statistics); fill them in by hand."
            )
        )
    for k, note in enumerate(notes):
        _put(ws, notes_row + k, 1, note)
    ws.column_dimensions["B"].width = 45
    buf = io.BytesIO()
    wb.save(buf)
    scope_code = unit.code if unit else "BO"
    return f"bieu-{layout.code}-{data['year']}-{scope_code}.xlsx", buf.getvalue()
