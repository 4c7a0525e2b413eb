"""Hostile files built in memory for the bounded readers' tests: small to build and to
send, each one a known way of making a naive reader work or allocate without bound."""

import io
import struct
import zipfile
import zlib

MiB = 1024 * 1024
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory file header, 46 bytes
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record, 22 bytes


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_bytes(document: bytes | str = "<w:document/>") -> bytes:
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": document})


def _split(archive: bytes):
    at = archive.rindex(b"PK\x05\x06")
    fields = _EOCD.unpack(archive[at : at + _EOCD.size])
    cd_size, cd_offset = fields[5], fields[6]
    return archive[:cd_offset], archive[cd_offset : cd_offset + cd_size]


def repeated_entry_docx(payload: int = 16 * MiB, copies: int = 1000, same_name=True) -> bytes:
    """The ~100 KB DOCX of issue 11: ONE deflated member of ``payload`` zero bytes,
    listed ``copies`` times in the central directory (under its own name, or under a
    new name each time: overlapping entries). A reader that trusts the directory and
    decompresses every entry does ``payload * copies`` bytes of work."""
    local, entry = _split(zip_bytes({"word/document.xml": b"\0" * payload}))
    header, rest = entry[: _CENTRAL.size], entry[_CENTRAL.size :]
    fields = list(_CENTRAL.unpack(header))
    name_len = fields[10]
    extra_and_comment = rest[name_len:]
    entries = []
    for i in range(copies):
        name = b"word/document.xml" if same_name or i == 0 else f"word/part{i:05d}.xml".encode()
        fields[10] = len(name)
        entries.append(_CENTRAL.pack(*fields) + name + extra_and_comment)
    directory = b"".join(entries)
    eocd = _EOCD.pack(b"PK\x05\x06", 0, 0, copies, copies, len(directory), len(local), 0)
    return local + directory + eocd


def lying_size_docx(actual: int = 4 * MiB, declared: int = 1000) -> bytes:
    """A DOCX whose document.xml declares ``declared`` bytes (in the local header and the
    central directory) but whose deflate stream holds ``actual`` bytes."""
    data = bytearray(docx_bytes(b"\0" * actual))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    struct.pack_into("<L", data, info.header_offset + 22, declared)
    local, directory = _split(bytes(data))
    at = 0
    while at < len(directory):
        fields = _CENTRAL.unpack_from(directory, at)
        name = directory[at + _CENTRAL.size : at + _CENTRAL.size + fields[10]]
        if name == b"word/document.xml":
            struct.pack_into("<L", data, len(local) + at + 24, declared)
        at += _CENTRAL.size + fields[10] + fields[11] + fields[12]
    return bytes(data)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A valid-looking PNG header declaring ``width`` x ``height`` pixels (2.7 GB of RGB
    once decoded) in a few hundred bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def png_bytes(size=(4, 4), color="blue") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def rewrite_xlsx(workbook_bytes: bytes, member: str, edit) -> bytes:
    """The workbook with ``member``'s text replaced by ``edit(text)``."""
    src = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                data = edit(data.decode()).encode()
            z.writestr(info.filename, data)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
