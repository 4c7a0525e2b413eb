import unicodedata

import pytest
from pypdf import PdfReader

from emulation_portal.pdf import render_html_to_pdf, render_pdf

TEXT = "Nguyễn Thị Ánh Tuyết - CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _text(pdf: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    import io

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_vietnamese_text_round_trips_through_the_pdf():
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/document.css"></head>'
        f"<body><p>{TEXT}</p></body></html>"
    )
    pdf = render_html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert _text(pdf).strip() == TEXT
    assert any("Liberation" in name for name in _fonts(pdf)), _fonts(pdf)


def test_decomposed_input_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/document.css"></head>'
        f"<body><p>{decomposed}</p></body></html>"
    )
    assert _text(render_html_to_pdf(html)).strip() == TEXT


@pytest.mark.django_db
def test_document_template_has_the_national_header():
    from datetime import date

    from django.utils import timezone

    pdf = render_pdf(
        "pdf/audit_extract.html",
        {
            "events": [],
            "start": date(2026, 1, 1),
            "end": date(2026, 1, 31),
            "generated": timezone.now(),
        },
    )
    text = _text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


@pytest.mark.parametrize(
    "url", ["http://example.invalid/x.png", "file:///etc/passwd", "/static/../../etc/passwd"]
)
def test_fetcher_refuses_anything_outside_static(url):
    from emulation_portal.pdf import _fetcher

    with pytest.raises(ValueError):
        _fetcher().fetch(url)


def test_fetcher_serves_shipped_fonts():
    from emulation_portal.pdf import _fetcher

    response = _fetcher().fetch("/static/fonts/LiberationSerif-Regular.ttf")
    assert len(response.read()) > 100_000
