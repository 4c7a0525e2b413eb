"""emulation_portal.cells: what the portal writes to XLSX and CSV is never a formula, numbers
stay numbers, and the import reads back exactly the text that was written."""

import csv
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from emulation_portal import cells
from units import exchange

TRICKY = [
    '=HYPERLINK("http://evil.example/x","Bấm vào đây")',
    "+84 912 345 678",
    "-2+3",
    "@SUM(A1:A2)",
    "\tcmd",
    "\rcmd",
    "＝1+1",
    "＋1",
    "－1",
    "＠x",
    "'=quoted already",
    "''",
    "#N/A",
]


def _xlsx(values) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("units")
    ws.append(["code", "name", "kind"])
    for value in values:
        ws.append(cells.xlsx_row(ws, ["U1", value, "BO"]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(values) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "kind"])
    for value in values:
        writer.writerow(cells.csv_row(["U1", value, "BO"]))
    return out.getvalue().encode()


def _read_back(raw: bytes, fmt: str) -> list[str]:
    errors = []
    if fmt == "xlsx":
        data = exchange.read_xlsx(io.BytesIO(raw), errors)["units"]
    else:
        spec = {s.name: s for s in exchange.sheets()}["units"]
        data = exchange._read_csv(spec, raw, errors)
    assert errors == []
    return [row["name"] for _n, row in data.rows]


def test_formula_like_text_is_a_string_cell_with_quote_prefix():
    raw = _xlsx(TRICKY)
    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    styles = zipfile.ZipFile(io.BytesIO(raw)).read("xl/styles.xml").decode()
    assert 'quotePrefix="1"' in styles
    ws = load_workbook(io.BytesIO(raw))["units"]
    for row, text in zip(ws.iter_rows(min_row=2, min_col=2, max_col=2), TRICKY, strict=True):
        cell = row[0]
        # With defusedxml installed openpyxl keeps a carriage return as written.
        assert cell.data_type == "s" and cell.value == text
        assert cell.quotePrefix


def test_numbers_and_dates_stay_numbers_and_dates():
    import datetime as dt

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(cells.xlsx_row(ws, [-5, 3.25, dt.date(2024, 5, 1), True, None, "plain"]))
    out = io.BytesIO()
    wb.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue()))["s"].iter_rows())
    assert [c.data_type for c in row] == ["n", "n", "d", "b", "n", "s"]
    assert row[0].value == -5 and row[5].value == "plain"
    assert cells.csv_row([-5, 3.25, dt.date(2024, 5, 1), None, "-5"]) == [
        -5,
        3.25,
        "2024-05-01",
        "",
        "'-5",
    ]


def test_csv_escapes_per_owasp():
    assert cells.csv_value('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    for text in ("+1", "-1", "@x", "\tx", "\rx", "＝x"):
        assert cells.csv_value(text) == "'" + text
    assert cells.csv_value("Nguyễn Thị Ánh") == "Nguyễn Thị Ánh"
    assert cells.csv_value("'Tis") == "'Tis"  # a quote before ordinary text is data
    assert cells.csv_value("'=x") == "''=x"


def test_control_characters_do_not_break_the_xlsx_export():
    raw = _xlsx(["a\x01b"])
    assert _read_back(raw, "xlsx") == ["a\ufffdb"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_tricky_values_read_back_unchanged(fmt):
    # escaped, even a leading tab or CR survives the import's trimming of cells
    values = [v for v in TRICKY if fmt == "csv" or "\r" not in v]
    raw = _xlsx(values) if fmt == "xlsx" else _csv(values)
    assert _read_back(raw, fmt) == values


# Text as the import keeps it: trimmed (the import strips cells), no NUL, within the cell
# limit. XLSX cannot hold the C0 controls and XML turns a bare CR into LF, so the XLSX
# property leaves those out (the export writes U+FFFD for the controls, see above).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=60,
).filter(lambda t: t == t.strip() and t)
xlsx_texts = texts.filter(
    lambda t: (
        "\r" not in t and not any(c in t for c in map(chr, [*range(1, 9), 11, 12, *range(14, 32)]))
    )
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(texts, min_size=1, max_size=5))
def test_property_csv_round_trip(values):
    assert _read_back(_csv(values), "csv") == values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(xlsx_texts, min_size=1, max_size=5))
def test_property_xlsx_round_trip(values):
    assert _read_back(_xlsx(values), "xlsx") == values


@given(st.text())
def test_property_escape_is_undone(text):
    assert cells.unescape(cells.escape(text)) == text
    assert not cells.is_formula_like(cells.escape(text))
