"""Spreadsheet exchange: the sheet registry, reading CSV folders / XLSX workbooks with every
generic check, the all-or-nothing import, and the export in the same format.

Apps plug sheets in with :func:`register_sheet` (units' own sheets use orders 10-80; the
awards app registers ``awards`` at order 40). The import reads every sheet, checks headers,
encoding, cell sizes and formulas generically, then calls the handlers in ``order`` inside
ONE transaction. Handlers validate each row, report problems with ``ctx.error(...)`` and
write through services. If any error was reported (or on a dry run) everything is rolled
back. Export calls every exporter in order, so export then import changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation_portal import cells as inert
from emulation_portal import uploads as bounded
from emulation_portal.validators import FORMULA_LIKE_MESSAGE

MAX_CELL_CHARS = 2000
MAX_FILE_BYTES = 200 * 1024 * 1024
# Reading bounds for every sheet, CSV or XLSX: a national ratings sheet is about 300,000
# rows of a few columns; a CSV record is at most its columns' cells.
MAX_ROWS = bounded.MAX_ROWS
MAX_COLUMNS = 64
MAX_RECORD_CHARS = MAX_COLUMNS * MAX_CELL_CHARS
MAX_SECONDS = 120.0
FORMULA_PREFIXES = ("=",)
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
OUTCOMES = ("created", "updated", "unchanged")


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet (file) name, the 1-based row as the user sees it (header = 1,
    0 = the file as a whole), the column (empty when not about one column) and the reason."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"{self.sheet}"
        if self.row:
            where += _(", row %(row)s") % {"row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


Rows = list[tuple[int, dict[str, str]]]
Handler = Callable[["ImportContext", Rows], None]
Exporter = Callable[[], Iterable[dict[str, str]]]


@dataclass(frozen=True)
class Sheet:
    name: str
    order: int
    columns: list[str]
    required: list[str]
    handler: Handler
    exporter: Exporter | None = None


_SHEETS: dict[str, Sheet] = {}


def register_sheet(
    name: str,
    order: int,
    columns: list[str],
    required: list[str],
    handler: Handler,
    exporter: Exporter | None = None,
) -> None:
    """Declare sheet ``name`` (CSV file ``<name>.csv`` or XLSX sheet ``<name>``)."""
    missing = [c for c in required if c not in columns]
    if missing:
        raise ValueError(f"required columns {missing} are not among the columns of {name}")
    _SHEETS[name] = Sheet(name, order, list(columns), list(required), handler, exporter)


def sheets() -> list[Sheet]:
    _ensure_loaded()
    return sorted(_SHEETS.values(), key=lambda s: (s.order, s.name))


def _ensure_loaded() -> None:
    # Units' own sheets live in units.importers; importing it registers them. Other apps
    # register theirs in AppConfig.ready, which has run once Django is set up.
    from units import importers  # noqa: F401


class ImportContext:
    """What a sheet handler gets: the actor, the dry-run flag, error reporting, counts, and
    cached look-ups by code that also see objects created earlier in the same import."""

    def __init__(self, actor, dry_run: bool = False):
        self.actor = actor
        self.dry_run = dry_run
        self.errors: list[RowError] = []
        self.counts: dict[str, dict[str, int]] = {}
        self._units: dict[str, object] = {}
        self._people: dict[str, object] = {}

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, str(message)))

    def count(self, sheet: str, outcome: str, n: int = 1) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        per_sheet = self.counts.setdefault(sheet, dict.fromkeys(OUTCOMES, 0))
        per_sheet[outcome] += n

    # -- cached look-ups ------------------------------------------------------------------
    def unit(self, code: str):
        from units.models import Unit

        code = (code or "").strip()
        if not code:
            return None
        if code not in self._units:
            self._units[code] = Unit.objects.filter(code=code).first()
        return self._units[code]

    def person(self, code: str):
        from units.models import Person

        code = (code or "").strip()
        if not code:
            return None
        if code not in self._people:
            self._people[code] = Person.objects.filter(code=code).first()
        return self._people[code]

    def preload_units(self, codes: Iterable[str] | None = None) -> None:
        """Load units by code in bulk (all of them when ``codes`` is None)."""
        from units.models import Unit

        qs = Unit.objects.all()
        if codes is not None:
            wanted = {c for c in codes if c and c not in self._units}
            if not wanted:
                return
            for chunk in _chunks(sorted(wanted), 2000):
                for unit in Unit.objects.filter(code__in=chunk):
                    self._units[unit.code] = unit
                for c in chunk:
                    self._units.setdefault(c, None)
            return
        for unit in qs:
            self._units[unit.code] = unit

    def preload_people(self, codes: Iterable[str]) -> None:
        """Load people by code in bulk (chunks of 2,000), so handlers of big sheets do not
        query once per row."""
        from units.models import Person

        wanted = {c for c in codes if c and c not in self._people}
        for chunk in _chunks(sorted(wanted), 2000):
            for person in Person.objects.filter(code__in=chunk):
                self._people[person.code] = person
            for c in chunk:
                self._people.setdefault(c, None)

    def remember_unit(self, unit) -> None:
        self._units[unit.code] = unit

    def remember_person(self, person) -> None:
        self._people[person.code] = person


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# -- reading -----------------------------------------------------------------------------
@dataclass
class SheetData:
    name: str
    header: list[str]
    rows: Rows = field(default_factory=list)


def _decode(name: str, raw: bytes, errors: list[RowError]) -> str | None:
    """UTF-8 (a UTF-8 byte-order mark is accepted and dropped). Anything else, such as a
    file saved in Windows-1258 or as UTF-16, is refused naming the first bad line."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        errors.append(
            RowError(name, 1, "", _("The file is saved as UTF-16; save it as CSV UTF-8."))
        )
        return None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(
            RowError(
                name,
                line,
                "",
                _(
                    "The file is not UTF-8 (perhaps saved as Windows-1258 or another "
                    "legacy encoding); save it as CSV UTF-8 and import again."
                ),
            )
        )
        return None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_cells(
    sheet: str, rownum: int, header: list[str], cells: list[str], errors: list[RowError]
) -> dict[str, str] | None:
    ok = True
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        errors.append(
            RowError(
                sheet,
                rownum,
                "",
                _("The row has %(n)s cells but the header has %(m)s columns.")
                % {"n": len(cells), "m": len(header)},
            )
        )
        ok = False
    values = {}
    for i, column in enumerate(header):
        value = cells[i] if i < len(cells) else ""
        lead = value.lstrip(" ")[:1]
        value = value.strip()
        if len(value) > MAX_CELL_CHARS:
            errors.append(
                RowError(
                    sheet,
                    rownum,
                    column,
                    _("The cell is too long (%(n)s characters; at most %(max)s).")
                    % {"n": len(value), "max": MAX_CELL_CHARS},
                )
            )
            ok = False
            continue
        if value.startswith(FORMULA_PREFIXES):
            errors.append(
                RowError(
                    sheet,
                    rownum,
                    column,
                    _("Formulas are not accepted; enter the value itself."),
                )
            )
            ok = False
            continue
        if value and (
            lead in ("\t", "\r") or (inert.is_formula_like(value) and not _NUMBER.fullmatch(value))
        ):
            # every text column of the exchange is a name, code or reference; a quoted
            # value (inert.escape) passes here and meets the column's own check
            errors.append(RowError(sheet, rownum, column, str(FORMULA_LIKE_MESSAGE)))
            ok = False
            continue
        if "\x00" in value:
            errors.append(RowError(sheet, rownum, column, _("The cell holds a NUL character.")))
            ok = False
            continue
        # a quote the export put before formula-like text (inert.escape) is not data
        values[column] = inert.unescape(value)
    return values if ok else None


def _check_header(spec: Sheet, header: list[str], errors: list[RowError]) -> bool:
    ok = True
    seen = set()
    for column in header:
        if column in seen:
            errors.append(
                RowError(spec.name, 1, column, _("The column appears twice in the header."))
            )
            ok = False
        seen.add(column)
        if column and column not in spec.columns:
            errors.append(
                RowError(
                    spec.name,
                    1,
                    column,
                    _("Unknown column; the columns are: %(cols)s.")
                    % {"cols": ", ".join(spec.columns)},
                )
            )
            ok = False
    for column in spec.required:
        if column not in seen:
            errors.append(RowError(spec.name, 1, column, _("Required column is missing.")))
            ok = False
    return ok


def _parse_rows(
    spec: Sheet, records: Iterable[tuple[int, list[str]]], errors: list[RowError]
) -> SheetData | None:
    records = iter(records)
    first = next(records, None)
    if first is None:
        return SheetData(spec.name, [], [])
    header = [h.strip().lower() for h in first[1]]
    while header and not header[-1]:
        header.pop()
    if not _check_header(spec, header, errors):
        return None
    data = SheetData(spec.name, header)
    for rownum, cells in records:
        if not any((c or "").strip() for c in cells):
            continue
        values = _check_cells(spec.name, rownum, header, cells, errors)
        if values is not None:
            data.rows.append((rownum, values))
    return data


def _read_csv(spec: Sheet, raw: bytes, errors: list[RowError]) -> SheetData | None:
    """One CSV sheet, bounded: at most ``MAX_FILE_BYTES`` bytes, ``MAX_ROWS`` records,
    ``MAX_COLUMNS`` cells and ``MAX_RECORD_CHARS`` characters a record (the csv module
    itself refuses a field past its own limit)."""
    label = spec.name
    if len(raw) > MAX_FILE_BYTES:
        errors.append(RowError(label, 0, "", _("The file is too large.")))
        return None
    text = _decode(label, raw, errors)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        for i, row in enumerate(reader, start=1):
            if i > MAX_ROWS:
                errors.append(
                    RowError(
                        label,
                        i,
                        "",
                        _("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS},
                    )
                )
                return None
            if len(row) > MAX_COLUMNS or sum(map(len, row)) > MAX_RECORD_CHARS:
                errors.append(
                    RowError(
                        label,
                        i,
                        "",
                        _(
                            "The row is too long (at most %(cols)s cells of %(chars)s "
                            "characters each)."
                        )
                        % {"cols": MAX_COLUMNS, "chars": MAX_CELL_CHARS},
                    )
                )
                return None
            records.append((i, row))
    except csv.Error as exc:
        errors.append(RowError(label, reader.line_num, "", _("Unreadable CSV: %(e)s") % {"e": exc}))
        return None
    return _parse_rows(spec, records, errors)


def read_folder(path: Path, errors: list[RowError]) -> dict[str, SheetData]:
    out = {}
    for spec in sheets():
        file = path / f"{spec.name}.csv"
        if not file.exists():
            continue
        if file.stat().st_size > MAX_FILE_BYTES:
            errors.append(RowError(file.name, 0, "", _("The file is too large.")))
            continue
        data = _read_csv(spec, file.read_bytes(), errors)
        if data is not None:
            out[spec.name] = data
    known = {f"{s.name}.csv" for s in sheets()}
    for file in sorted(path.glob("*.csv")):
        if file.name not in known:
            errors.append(
                RowError(
                    file.name,
                    0,
                    "",
                    _("Unknown file; the files are: %(names)s.") % {"names": ", ".join(known)},
                )
            )
    return out


def read_xlsx(stream, errors: list[RowError], label: str = "workbook") -> dict[str, SheetData]:
    """Every registered sheet of an XLSX workbook. The workbook goes through the bounded
    opener (archive limits checked before anything is parsed) and each sheet's real rows
    are read up to ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns, within ``MAX_SECONDS``."""
    out = {}
    specs = {s.name: s for s in sheets()}
    deadline = time.monotonic() + MAX_SECONDS
    title = label
    try:
        with bounded.open_xlsx(stream) as workbook:
            for ws in workbook.worksheets:
                title = ws.title
                spec = specs.get(ws.title.strip())
                if spec is None:
                    errors.append(
                        RowError(
                            ws.title,
                            0,
                            "",
                            _("Unknown sheet; the sheets are: %(names)s.")
                            % {"names": ", ".join(specs)},
                        )
                    )
                    continue
                data = _parse_rows(spec, _xlsx_records(ws, deadline), errors)
                if data is not None:
                    out[spec.name] = data
                title = label
    except ValidationError as exc:
        errors.extend(RowError(title, 0, "", message) for message in exc.messages)
    return out


def _xlsx_records(ws, deadline: float) -> list[tuple[int, list[str]]]:
    records = []
    rows = bounded.sheet_rows(
        ws, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, deadline=deadline, values_only=False
    )
    for rownum, row in enumerate(rows, start=1):
        cells = []
        for cell in row:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                value = "=" + str(value).lstrip("=")
            elif isinstance(value, str):
                # a string cell is text even when it starts with "=": give it the
                # CSV form, so only real formulas are refused and the quote the
                # CSV reading drops is the one added here
                value = inert.escape(value)
            cells.append(_cell_text(value))
        records.append((rownum, cells))
    return records


# -- the import --------------------------------------------------------------------------
@dataclass
class ImportResult:
    errors: list[RowError]
    counts: dict[str, dict[str, int]]
    dry_run: bool
    committed: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


class _Rollback(Exception):
    pass


def read_source(source) -> tuple[dict[str, SheetData], list[RowError]]:
    """Read a folder of CSV files, an ``.xlsx`` path, or an uploaded file object (XLSX)."""
    errors: list[RowError] = []
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return read_folder(path, errors), errors
        if path.suffix.lower() == ".xlsx" and path.is_file():
            if path.stat().st_size > MAX_FILE_BYTES:
                errors.append(RowError(path.name, 0, "", _("The file is too large.")))
                return {}, errors
            with path.open("rb") as fh:
                return read_xlsx(fh, errors, path.name), errors
        if path.suffix.lower() == ".csv" and path.is_file():
            spec = {s.name: s for s in sheets()}.get(path.stem)
            if spec is None:
                errors.append(RowError(path.name, 0, "", _("Unknown file name.")))
                return {}, errors
            if path.stat().st_size > MAX_FILE_BYTES:
                errors.append(RowError(path.name, 0, "", _("The file is too large.")))
                return {}, errors
            data = _read_csv(spec, path.read_bytes(), errors)
            return ({spec.name: data} if data else {}), errors
        errors.append(
            RowError(str(path), 0, "", _("Give a folder of CSV files or an .xlsx workbook."))
        )
        return {}, errors
    return read_xlsx(source, errors, getattr(source, "name", "workbook")), errors


def import_data(actor, source, *, dry_run: bool = False) -> ImportResult:
    """Import ``source`` all-or-nothing. Writes every registered sheet through its handler
    in one transaction; rolls everything back if any row is wrong or on ``dry_run``."""
    data, errors = read_source(source)
    ctx = ImportContext(actor, dry_run=dry_run)
    ctx.errors.extend(errors)
    committed = False
    try:
        with transaction.atomic():
            for spec in sheets() if not ctx.errors else []:
                sheet = data.get(spec.name)
                if sheet is None or not sheet.rows:
                    continue
                spec.handler(ctx, sheet.rows)
            if ctx.errors or dry_run:
                raise _Rollback
            from emulation_portal import audit

            result_changed = sum(c["created"] + c["updated"] for c in ctx.counts.values())
            if result_changed:
                audit.record(
                    actor,
                    "units.import",
                    object_type="import",
                    object_label=_("Spreadsheet import"),
                    after={"counts": ctx.counts},
                )
            committed = True
    except _Rollback:
        pass
    if committed and any(c["created"] + c["updated"] for c in ctx.counts.values()):
        from units.signals import facts_imported

        transaction.on_commit(
            lambda: facts_imported.send(sender=ImportContext, actor=actor, counts=ctx.counts)
        )
    errors = _sorted(ctx.errors)
    if isinstance(source, str | Path) and Path(source).is_dir():
        names = {s.name for s in sheets()}
        errors = [
            RowError(f"{e.sheet}.csv", e.row, e.column, e.message) if e.sheet in names else e
            for e in errors
        ]
    return ImportResult(errors, ctx.counts, dry_run, committed)


def _sorted(errors: list[RowError]) -> list[RowError]:
    order = {f"{s.name}.csv": s.order for s in sheets()} | {s.name: s.order for s in sheets()}
    return sorted(errors, key=lambda e: (order.get(e.sheet, 999), e.sheet, e.row, e.column))


# -- the export --------------------------------------------------------------------------
def export_rows() -> Iterable[tuple[Sheet, Iterable[dict[str, str]]]]:
    for spec in sheets():
        if spec.exporter is not None:
            yield spec, spec.exporter()


def export_xlsx(stream) -> None:
    """Write every sheet to one XLSX workbook (write-only mode: bounded memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for spec, rows in export_rows():
        ws = workbook.create_sheet(spec.name)
        ws.append(spec.columns)
        for row in rows:
            ws.append(inert.xlsx_row(ws, (row.get(c) for c in spec.columns)))
    workbook.save(stream)


def export_folder(path: Path) -> list[Path]:
    """Write every sheet to ``<path>/<name>.csv`` (UTF-8, comma, header row)."""
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for spec, rows in export_rows():
        file = path / f"{spec.name}.csv"
        with file.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(spec.columns)
            for row in rows:
                writer.writerow(inert.csv_row(row.get(c) for c in spec.columns))
        written.append(file)
    return written


def export_job(job, reporter) -> tuple[str, bytes]:
    """The export job's work: every sheet into one workbook, as the job's result file."""
    import tempfile

    from django.utils import timezone

    reporter.progress(0, len(sheets()), _("Writing the workbook"))
    with tempfile.TemporaryFile() as tmp:
        export_xlsx(tmp)
        tmp.seek(0)
        content = tmp.read()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"thi-dua-du-lieu-{stamp}.xlsx", content


def upload_folder(token: str) -> Path:
    """Where an upload waits between its preview and its confirmation."""
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "imports" / token


def upload_source(folder: Path):
    xlsx = sorted(folder.glob("*.xlsx"))
    return xlsx[0] if xlsx else folder


PREVIEW_JOB_KIND = "units_import_preview"  # the job's page links to its preview page


def preview_job(job, reporter) -> tuple[str, bytes]:
    """The preview's work: a dry run of the uploaded files (nothing written). Its result file
    is the preview as JSON (counts per sheet, every error). With errors the upload is
    deleted: there is nothing to confirm."""
    import json
    import shutil

    folder = upload_folder(job.params["token"])
    if not folder.is_dir():
        raise ValidationError(_("This upload has expired; upload the file again."))
    result = import_data(job.owner, upload_source(folder), dry_run=True)
    if result.errors:
        shutil.rmtree(folder, ignore_errors=True)
        reporter.progress(
            0, 0, _("%(n)s error(s); nothing was written.") % {"n": len(result.errors)}
        )
    else:
        reporter.progress(1, 1, _("No error found. Nothing has been written yet."))
    preview = {
        "counts": result.counts,
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": str(e.message)}
            for e in result.errors
        ],
    }
    return "import-preview.json", json.dumps(preview, ensure_ascii=False).encode()


def import_job(job, reporter) -> tuple[str, bytes] | None:
    """The confirmed import's work: import the upload for real, then delete it. With
    errors (the data changed since the preview), nothing is written and the job's result
    file lists every error."""
    import shutil

    folder = upload_folder(job.params["token"])
    if not folder.is_dir():
        reporter.progress(0, 0, _("This upload has expired; upload the file again."))
        return None
    try:
        result = import_data(job.owner, upload_source(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.errors:
        reporter.progress(
            0, 0, _("%(n)s error(s); nothing was written.") % {"n": len(result.errors)}
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["sheet", "row", "column", "message"])
        for e in result.errors:
            writer.writerow(inert.csv_row([e.sheet, e.row or "", e.column, e.message]))
        return "import-errors.csv", buffer.getvalue().encode("utf-8-sig")
    reporter.progress(
        result.changed,
        result.changed,
        _("Import done: %(n)s row(s) created or changed.") % {"n": result.changed},
    )
    return None
