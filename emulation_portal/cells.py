"""Inert cells: every value the portal writes to a spreadsheet (XLSX) or a CSV file goes
through this module, so no spreadsheet program ever evaluates text taken from the database.

A text is *formula-like* when it starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
return or a full-width ``＝＋－＠``: spreadsheet programs treat such a cell, typed or
opened from CSV, as a formula (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``).

- **CSV** has no cell types, so a formula-like text is written with one leading single
  quote (OWASP's advice): ``=HYPERLINK(..)`` is written ``'=HYPERLINK(..)``. A text that
  itself starts with a quote followed by a trigger or another quote gets one more quote,
  so :func:`unescape` (used by the importer) gives back exactly the original text.
- **XLSX** has types: text is written as a string cell (``t="inlineStr"``, never an
  ``<f>`` element; openpyxl would otherwise make any text starting with ``=`` a formula
  and ``#N/A`` an error value) with the value unchanged, and formula-like text also
  carries the ``quotePrefix`` style, so editing the cell in Excel keeps it text.

Numbers, dates and booleans are written as themselves in both formats (a negative number
is a number, not text).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
_ESCAPED = (*TRIGGERS, QUOTE)
# openpyxl refuses these (XML 1.0 cannot hold them); they become U+FFFD instead of failing
# the whole export.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_PLAIN = (int, float, decimal.Decimal, dt.date, dt.datetime, dt.time, bool)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program would read ``text`` as the start of a formula."""
    return isinstance(text, str) and text.startswith(TRIGGERS)


def escape(text: str) -> str:
    """The CSV form of ``text``: one quote added in front when it is formula-like, or when it
    starts with a quote that :func:`unescape` would otherwise remove."""
    if text.startswith(TRIGGERS) or (text[:1] == QUOTE and text[1:2] and text[1] in _ESCAPED):
        return QUOTE + text
    return text


def unescape(text: str) -> str:
    """Undo :func:`escape`: drop one leading quote when a trigger or a quote follows it."""
    if text[:1] == QUOTE and text[1:2] and text[1] in _ESCAPED:
        return text[1:]
    return text


def csv_value(value):
    """``value`` ready for ``csv.writer``: text escaped, numbers kept, dates in ISO form,
    None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | decimal.Decimal):
        return value
    return escape(str(value))


def csv_row(values) -> list:
    return [csv_value(v) for v in values]


def xlsx_value(worksheet, value):
    """``value`` ready for ``worksheet.append`` (write-only or normal workbook): numbers,
    dates and booleans as themselves, text as a string cell that can never be a formula."""
    from openpyxl.cell.cell import Cell

    if value is None or isinstance(value, _PLAIN):
        return value
    text = _XML_ILLEGAL.sub("\ufffd", str(value))
    if not text:
        return None
    risky = text.startswith(_ESCAPED) or text in _XLSX_ERROR_CODES
    if not risky:
        return text  # openpyxl types plain text as a string cell by itself
    cell = Cell(worksheet, row=1, column=1)  # placed by append
    cell.value = text  # openpyxl types it (perhaps 'f' or 'e'); overridden next
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_row(worksheet, values) -> list:
    return [xlsx_value(worksheet, v) for v in values]
