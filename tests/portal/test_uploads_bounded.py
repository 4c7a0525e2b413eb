"""The bounded readers of emulation_portal.uploads, each against the hostile file it
exists for. No timing: each test shows that the work was refused before it was done
(nothing decompressed, nothing parsed) or stopped at the cap."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from emulation_portal import uploads
from emulation_portal.uploads import BoundedZip, ZipLimits
from tests.portal import hostile

NO_RATIO = ZipLimits(max_ratio=10**9, max_total_ratio=10**9, max_total_bytes=10**13)


@pytest.fixture
def no_decompression(monkeypatch):
    """Fail the test if any ZIP member is opened for reading."""

    original = zipfile.ZipFile.open

    def refuse(self, name, mode="r", *args, **kwargs):
        if mode == "r":
            raise AssertionError("a member was decompressed")
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def refusal(source, limits=uploads.DOCX_LIMITS) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        BoundedZip(source, limits)
    return exc.value


def test_repeated_central_directory_entry_is_refused_from_the_directory(no_decompression):
    bomb = hostile.repeated_entry_docx()  # ~80 KB listing 1000 x 16 MiB
    assert len(bomb) < 100 * 1024
    err = refusal(bomb)
    assert err.code == "archive_limit"
    # and with the ratio and size limits lifted, the duplicate entry itself is refused
    err = refusal(bomb, NO_RATIO)
    assert err.code == "archive_limit" and "word/document.xml" in err.messages[0]


def test_overlapping_entries_under_different_names_are_refused(no_decompression):
    bomb = hostile.repeated_entry_docx(same_name=False)
    err = refusal(bomb, NO_RATIO)
    assert err.code == "archive_limit" and "word/part" in err.messages[0]


def test_ratio_bomb_is_refused_before_decompression(no_decompression):
    bomb = hostile.docx_bytes(b"a" * (20 * hostile.MiB))  # ~20 KB holding 20 MiB
    err = refusal(bomb)
    assert err.code == "archive_limit"
    with translation.override("vi"):
        message = refusal(bomb).messages[0]
    assert "nén" in message and "lần" in message  # the Vietnamese refusal


def test_declared_totals_and_member_counts_are_bounded(no_decompression):
    many = hostile.zip_bytes({f"word/p{i}.xml": "<p/>" for i in range(6)})
    assert refusal(many, ZipLimits(max_members=5)).code == "archive_limit"
    big = hostile.docx_bytes(b"x" * 3000)
    assert refusal(big, ZipLimits(max_total_bytes=2000)).code == "archive_limit"
    assert refusal(big, ZipLimits(max_member_bytes=2000)).code == "archive_limit"


def test_a_member_that_lies_about_its_size_is_never_decompressed_past_it():
    lying = hostile.lying_size_docx(actual=4 * hostile.MiB, declared=1000)
    with BoundedZip(lying) as archive, pytest.raises(ValidationError) as exc:
        archive.verify()
    assert exc.value.code == "corrupt"
    assert archive.bytes_out <= 1000 + 100  # document.xml's 1000 bytes and [Content_Types]


def test_the_time_budget_stops_decompression():
    archive = BoundedZip(hostile.docx_bytes(), ZipLimits(max_seconds=-1))
    with archive, pytest.raises(ValidationError) as exc:
        archive.verify()
    assert exc.value.code == "archive_limit" and archive.bytes_out == 0


def test_an_ordinary_docx_reads_whole():
    with BoundedZip(hostile.docx_bytes("<w:document>xin chào</w:document>")) as archive:
        archive.verify()
        assert archive.read("word/document.xml") == "<w:document>xin chào</w:document>".encode()


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a zip", b"", b"plain text"])
def test_not_a_zip_is_damaged(content):
    assert refusal(content).code == "corrupt"


# -- images ---------------------------------------------------------------------------------
def test_pixel_bomb_is_refused_from_its_header():
    bomb = hostile.pixel_bomb_png(30000, 30000)
    with pytest.raises(ValidationError) as exc:
        uploads.check_image(io.BytesIO(bomb))
    assert exc.value.code == "pixels"
    # below Pillow's own bomb limit, above ours: refused before any decoding too
    with pytest.raises(ValidationError) as exc:
        uploads.check_image(io.BytesIO(hostile.pixel_bomb_png(10000, 6000)))
    assert exc.value.code == "pixels" and "10000 x 6000" in exc.value.messages[0]


def test_image_type_comes_from_the_content():
    checked = uploads.check_image(io.BytesIO(hostile.png_bytes()))
    assert (checked.content_type, checked.extension) == ("image/png", "png")
    with pytest.raises(ValidationError) as exc:
        uploads.check_image(io.BytesIO(b"<html><script>alert(1)</script></html>"))
    assert exc.value.code == "image"


@pytest.mark.parametrize(
    ("name", "extension", "shown"),
    [
        ("baocao.exe", "pdf", "baocao.pdf"),
        ("baocao.pdf.exe", "pdf", "baocao.pdf"),
        ("photo.html", "png", "photo.png"),
        ("anh.jpeg", "jpg", "anh.jpeg"),
        ("Quyết định.v2.exe", "pdf", "Quyết định.v2.pdf"),
        ("Báo cáo v1.2", "pdf", "Báo cáo v1.2.pdf"),
    ],
)
def test_shown_names_take_the_detected_extension(name, extension, shown):
    assert uploads.with_extension(name, extension) == shown


# -- XLSX -----------------------------------------------------------------------------------
def _dimension_lie(text: str) -> str:
    import re

    return re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', text)


def test_a_lying_dimension_does_not_pad_a_million_rows():
    book = hostile.xlsx_bytes({"people": [["code", "full_name"], ["P1", "An"]]})
    lying = hostile.rewrite_xlsx(book, "xl/worksheets/sheet1.xml", _dimension_lie)
    assert len(lying) < 10 * 1024
    with uploads.open_xlsx(io.BytesIO(lying)) as workbook:
        ws = workbook["people"]
        assert ws.max_row == 1048576 and ws.max_column == 16384  # what openpyxl believes
        rows = list(uploads.sheet_rows(ws))
    assert rows == [("code", "full_name"), ("P1", "An")]


def _far_cell(ref: str):
    def edit(text: str) -> str:
        row = "".join(ch for ch in ref if ch.isdigit())
        cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
        return text.replace("</sheetData>", cell + "</sheetData>")

    return edit


def test_a_row_far_down_is_refused_at_the_row_limit():
    book = hostile.xlsx_bytes({"people": [["code"], ["P1"]]})
    far = hostile.rewrite_xlsx(book, "xl/worksheets/sheet1.xml", _far_cell("A1048576"))
    seen = 0
    with uploads.open_xlsx(io.BytesIO(far)) as workbook, pytest.raises(ValidationError) as exc:
        for _row in uploads.sheet_rows(workbook["people"], max_rows=1000):
            seen += 1
    assert exc.value.code == "rows" and seen == 1000


def test_a_value_far_right_is_refused_without_a_16384_wide_row():
    book = hostile.xlsx_bytes({"people": [["code"], ["P1"]]})
    wide = hostile.rewrite_xlsx(book, "xl/worksheets/sheet1.xml", _far_cell("XFD3"))
    with uploads.open_xlsx(io.BytesIO(wide)) as workbook, pytest.raises(ValidationError) as exc:
        list(uploads.sheet_rows(workbook["people"], max_columns=100))
    assert exc.value.code == "columns"


def test_huge_xml_in_a_small_workbook_is_refused_unparsed(monkeypatch):
    import openpyxl

    book = hostile.xlsx_bytes({"people": [["code"], ["P1"]]})
    padding = " " * (16 * hostile.MiB)
    huge = hostile.rewrite_xlsx(
        book,
        "xl/worksheets/sheet1.xml",
        lambda t: t.replace("<sheetData>", "<sheetData>" + padding),
    )
    assert len(huge) < 100 * 1024

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ValidationError) as exc, uploads.open_xlsx(io.BytesIO(huge)):
        pass
    assert exc.value.code == "archive_limit"


def test_shared_strings_are_bounded_before_openpyxl_loads_them(monkeypatch):
    book = hostile.xlsx_bytes({"people": [["code"], ["P1"]]})
    strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    src = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/sharedStrings.xml", strings + " " * 2000)
    monkeypatch.setattr(uploads, "MAX_SHARED_STRINGS_BYTES", 1000)
    with pytest.raises(ValidationError) as exc, uploads.open_xlsx(io.BytesIO(out.getvalue())):
        pass
    assert exc.value.code == "archive_limit"
