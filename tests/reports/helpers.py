"""Reading an XLSX back: a sheet as {(row label, column label): value}."""

import io

from openpyxl import load_workbook


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def grid(ws, header_row: int, label_col: int = 2, first_col: int = 3) -> dict:
    header = {c: ws.cell(header_row, c).value for c in range(first_col, ws.max_column + 1)}
    out = {}
    for r in range(header_row + 1, ws.max_row + 1):
        label = ws.cell(r, label_col).value
        if label is None:
            continue
        for c, col in header.items():
            if col is not None:
                out[(label, col)] = ws.cell(r, c).value
    return out


def table(ws) -> list[list]:
    """A summary sheet's rows (title, scope, blank, header, data...) as lists."""
    return [[c.value for c in row] for row in ws.iter_rows()]
