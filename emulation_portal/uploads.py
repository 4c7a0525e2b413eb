"""Bounded reading of files that come from outside: ZIP-based documents (DOCX, XLSX),
images, and XLSX workbooks for imports.

Every reader here decides from headers alone whether the work it would do is bounded, and
refuses before doing it:

- :class:`BoundedZip` reads a ZIP's central directory and the 30-byte local headers only,
  and refuses too many members, too many declared bytes, a compression ratio no office
  document has, duplicate or overlapping entries (one deflated member listed many times),
  encrypted members and unusual compression methods. When a member must be read, it is
  streamed with a hard cap on the bytes actually produced (declared sizes can lie) and a
  time budget.
- :func:`check_image` reads an image's header with Pillow, refuses more pixels than
  ``max_pixels`` before anything is decoded, and names the type from the content.
- :func:`open_xlsx` checks the workbook with :class:`BoundedZip`, then opens it with
  openpyxl (read-only); :func:`sheet_rows` yields a sheet's real rows (the sheet's own
  ``<dimension>`` is ignored) up to a row and a column limit.

Refusals are ``ValidationError`` with a code and a message in the user's language.
"""

from __future__ import annotations

import contextlib
import io
import struct
import time
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MiB = 1024 * 1024
CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ALLOWED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on one archive. Ratios apply to members (and archives) above ``ratio_floor``
    declared bytes: tiny XML parts legitimately compress very well."""

    max_members: int = 2000
    max_total_bytes: int = 200 * MiB
    max_member_bytes: int = 100 * MiB
    max_ratio: int = 200
    max_total_ratio: int = 100
    ratio_floor: int = 1 * MiB
    max_seconds: float = 20.0


# A dossier DOCX is at most 15 MB; Word's XML compresses 5-15 times, images not at all.
DOCX_LIMITS = ZipLimits(max_members=1000, max_total_bytes=150 * MiB, max_member_bytes=100 * MiB)
# An import workbook: a national ratings sheet (300,000 rows) is about 60 MB of XML.
XLSX_LIMITS = ZipLimits(max_members=500, max_total_bytes=400 * MiB, max_member_bytes=300 * MiB)


def _refuse(code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code)


def _damaged() -> ValidationError:
    return _refuse(
        "corrupt",
        _("The file is damaged or incomplete; save it again and upload the new copy."),
    )


def _too_big(detail: str) -> ValidationError:
    return _refuse(
        "archive_limit",
        _(
            "The file was refused without being opened: %(detail)s. Save it again from "
            "Word or Excel (without embedded files) and upload the new copy."
        )
        % {"detail": detail},
    )


class BoundedZip:
    """A ZIP archive checked from its central directory before anything is decompressed.

    ``BoundedZip(fileobj_or_bytes, limits)`` raises ``ValidationError`` if the archive is
    not a readable ZIP or exceeds ``limits``. :meth:`read` and :meth:`verify` decompress
    with a hard cap; ``bytes_out`` counts every byte they produced."""

    def __init__(self, source, limits: ZipLimits = DOCX_LIMITS):
        self.limits = limits
        self.bytes_out = 0
        self._deadline = time.monotonic() + limits.max_seconds
        self._fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        self._fh.seek(0, io.SEEK_END)
        self.archive_size = self._fh.tell()
        self._fh.seek(0)
        try:
            self._zip = zipfile.ZipFile(self._fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise _damaged() from None
        try:
            self._check_directory()
        except BaseException:
            self._zip.close()
            raise

    # -- the central directory --------------------------------------------------------------
    def _check_directory(self) -> None:
        limits = self.limits
        infos = self._zip.infolist()
        if len(infos) > limits.max_members:
            raise _too_big(
                _("it holds %(n)s parts (at most %(max)s)")
                % {"n": len(infos), "max": limits.max_members}
            )
        names = set()
        total = 0
        for info in infos:
            if info.filename in names:
                raise _too_big(_("a part is listed twice (%(name)s)") % {"name": info.filename})
            names.add(info.filename)
            if info.flag_bits & 0x1:
                raise _refuse("encrypted", _("Password-protected files are not accepted."))
            if info.compress_type not in _ALLOWED_METHODS:
                raise _damaged()
            if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
                raise _damaged()
            if info.file_size > limits.max_member_bytes:
                raise _too_big(
                    _("one part unpacks to %(mb)s MB (at most %(max)s MB)")
                    % {"mb": info.file_size // MiB, "max": limits.max_member_bytes // MiB}
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise _too_big(
                    _("one part is compressed %(ratio)s times (at most %(max)s)")
                    % {
                        "ratio": info.file_size // max(info.compress_size, 1),
                        "max": limits.max_ratio,
                    }
                )
            total += info.file_size
        if total > limits.max_total_bytes:
            raise _too_big(
                _("it unpacks to %(mb)s MB (at most %(max)s MB)")
                % {"mb": total // MiB, "max": limits.max_total_bytes // MiB}
            )
        if total > limits.ratio_floor and total > limits.max_total_ratio * max(
            self.archive_size, 1
        ):
            raise _too_big(
                _("it is compressed %(ratio)s times (at most %(max)s)")
                % {"ratio": total // max(self.archive_size, 1), "max": limits.max_total_ratio}
            )
        self._check_layout(infos)

    def _check_layout(self, infos: list[zipfile.ZipInfo]) -> None:
        """Each member's bytes (local header + data) must lie apart from every other's and
        before the central directory: one deflated member listed under many entries is the
        classic bomb that passes every per-entry check."""
        spans = []
        for info in infos:
            self._fh.seek(info.header_offset)
            header = self._fh.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size:
                raise _damaged()
            fields = _LOCAL_HEADER.unpack(header)
            if fields[0] != _LOCAL_SIGNATURE:
                raise _damaged()
            name_len, extra_len = fields[10], fields[11]
            end = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
            spans.append((info.header_offset, end + info.compress_size, info.filename))
        spans.sort()
        previous_end = 0
        for start, end, name in spans:
            if start < previous_end:
                raise _too_big(_("parts overlap (%(name)s)") % {"name": name})
            previous_end = end
        if previous_end > self._zip.start_dir:
            raise _damaged()

    # -- reading ----------------------------------------------------------------------------
    def namelist(self) -> list[str]:
        return self._zip.namelist()

    def declared_size(self, name: str) -> int:
        """The uncompressed size the directory declares for ``name`` (0 if absent)."""
        try:
            return self._zip.getinfo(name).file_size
        except KeyError:
            return 0

    def _stream(self, name: str, sink) -> None:
        info = self._zip.getinfo(name)
        cap = min(info.file_size, self.limits.max_member_bytes)
        produced = 0
        try:
            with self._zip.open(info) as member:
                while True:
                    if time.monotonic() > self._deadline:
                        raise _too_big(_("reading it takes too long"))
                    chunk = member.read(min(CHUNK, cap - produced + 1))
                    if not chunk:
                        break
                    produced += len(chunk)
                    self.bytes_out += len(chunk)
                    if produced > cap or self.bytes_out > self.limits.max_total_bytes:
                        raise _too_big(_("a part holds more than it declares"))
                    sink(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
            # zipfile checks each member's CRC at its end: a wrong one is a damaged file.
            raise _damaged() from None

    def read(self, name: str) -> bytes:
        """One member's bytes, decompressed with the caps."""
        out = bytearray()
        self._stream(name, out.extend)
        return bytes(out)

    def verify(self) -> None:
        """Decompress every member (discarding the bytes) so that a damaged member is found
        now, within the caps and the time budget."""
        for name in self._zip.namelist():
            self._stream(name, lambda chunk: None)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- names ----------------------------------------------------------------------------------
# Extensions that name the same type as the detected one: kept as the user wrote them.
_SAME_TYPE = {"jpg": {"jpg", "jpeg", "jpe"}, "docx": {"docx"}, "pdf": {"pdf"}, "png": {"png"}}


def with_extension(name: str, extension: str, max_length: int = 150) -> str:
    """``name`` (already cleaned for display) ending in ``extension``, the extension of
    the type detected from the content: the user's own extension (``baocao.exe``) is
    replaced, an equivalent one (``anh.jpeg`` for JPEG) kept."""
    same = _SAME_TYPE.get(extension, {extension})

    def split(text):
        stem, dot, ext = text.rpartition(".")
        if dot and stem and len(ext) <= 8 and ext.isalnum() and not ext.isdigit():
            return stem.rstrip(". "), ext.lower()
        return text, ""

    stem, ext = split(name)
    if ext in same:
        return name
    if ext and split(stem)[1] in same:  # "baocao.pdf.exe" -> "baocao.pdf"
        return stem
    return f"{stem[: max_length - len(extension) - 1]}.{extension}"


# -- images ---------------------------------------------------------------------------------
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# 50 megapixels: a phone's full-resolution photo, far below what would exhaust memory.
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class CheckedImage:
    format: str
    content_type: str
    extension: str
    width: int
    height: int


def check_image(fileobj, *, formats=tuple(IMAGE_TYPES), max_pixels: int = MAX_PIXELS):
    """Identify an image by its content (only ``formats``) and check it without decoding
    its pixels: the header's size must stay within ``max_pixels``, then Pillow verifies
    the file's structure. Leaves ``fileobj`` at its start. Raises ``ValidationError``."""
    from PIL import Image, UnidentifiedImageError

    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj, formats=list(formats)) as img:
                width, height = img.size
                fmt = img.format
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            "pixels", _("The image declares too many pixels to be opened safely.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise _refuse("image", _("This file is not a valid image.")) from None
    finally:
        fileobj.seek(0)
    if fmt not in IMAGE_TYPES or fmt not in formats:
        raise _refuse("image_type", _("Use a JPEG, PNG or WebP photo."))
    content_type, extension = IMAGE_TYPES[fmt]
    return CheckedImage(fmt, content_type, extension, width, height)


def _too_many_pixels(width: int, height: int, max_pixels: int) -> ValidationError:
    return _refuse(
        "pixels",
        _("The image is %(w)s x %(h)s pixels; at most %(mp)s megapixels are accepted.")
        % {"w": width, "h": height, "mp": max_pixels // 1_000_000},
    )


# -- XLSX workbooks -------------------------------------------------------------------------
MAX_ROWS = 500_000
MAX_COLUMNS = 100
MAX_SHARED_STRINGS_BYTES = 64 * MiB


@contextlib.contextmanager
def open_xlsx(fileobj, limits: ZipLimits = XLSX_LIMITS):
    """Check the workbook's archive with :class:`BoundedZip`, then open it with openpyxl
    (read-only, formulas as text). Yields the workbook and closes it."""
    from openpyxl import load_workbook

    with BoundedZip(fileobj, limits) as checked:
        if "xl/workbook.xml" not in checked.namelist():
            raise _refuse("type", _("This file is not an XLSX workbook."))
        # openpyxl holds every shared string in memory at once (sheets it streams)
        if checked.declared_size("xl/sharedStrings.xml") > MAX_SHARED_STRINGS_BYTES:
            raise _too_big(
                _("its shared texts unpack to %(mb)s MB (at most %(max)s MB)")
                % {
                    "mb": checked.declared_size("xl/sharedStrings.xml") // MiB,
                    "max": MAX_SHARED_STRINGS_BYTES // MiB,
                }
            )
    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError):
        raise _damaged() from None
    except Exception as exc:  # defusedxml's refusals (DTDs, entities) and parser errors
        if type(exc).__module__.startswith(("defusedxml", "xml")):
            raise _damaged() from None
        raise
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_rows(
    ws,
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    deadline: float | None = None,
    values_only: bool = True,
) -> Iterator[tuple]:
    """A read-only sheet's rows as tuples of values (of cells with ``values_only=False``:
    a cell's ``data_type`` tells a formula from text), from its real data: the
    ``<dimension>`` the file claims is ignored (a claim of ``A1:XFD1048576`` would make
    openpyxl pad a million rows). Refuses (``ValidationError``) a sheet with more than
    ``max_rows`` rows, a value beyond column ``max_columns``, or past ``deadline``
    (``time.monotonic()``)."""
    ws.reset_dimensions()
    original = ws._get_row

    # openpyxl pads each row to its last cell's column; a single cell in column XFD would
    # make a 16,384-wide row. Cells past the limit are looked at here, before padding.
    def bounded_row(row, min_col=1, max_col=None, values_only=False):
        if row and row[-1]["column"] > max_columns:
            if any(c["column"] > max_columns and c["value"] not in (None, "") for c in row):
                raise _refuse(
                    "columns",
                    _("The sheet %(sheet)s has values beyond column %(max)s; remove them.")
                    % {"sheet": ws.title, "max": max_columns},
                )
            row = [c for c in row if c["column"] <= max_columns]
        return original(row, min_col, max_col, values_only)

    ws._get_row = bounded_row
    try:
        for count, row in enumerate(ws.iter_rows(values_only=values_only), start=1):
            if count > max_rows:
                raise _refuse(
                    "rows",
                    _("The sheet %(sheet)s has more than %(max)s rows; split it.")
                    % {"sheet": ws.title, "max": max_rows},
                )
            if deadline is not None and count % 1000 == 0 and time.monotonic() > deadline:
                raise _refuse(
                    "time", _("Reading the workbook takes too long; split it into smaller ones.")
                )
            yield row
    except ValidationError:
        raise
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError, SyntaxError):
        raise _damaged() from None
    finally:
        ws._get_row = original
