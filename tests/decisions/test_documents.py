"""The decision PDF and the certificate, read back with pypdf; rendering keyed by content."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from awards.decisions import services, tasks
from awards.decisions.services import documents
from awards.models import AwardType, DecisionCounter, DecisionDocument
from tests.decisions.conftest import approved
from tests.nominations import factories as f


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _signed(world, people, number=5, day=dt.date(2026, 2, 5)):
    DecisionCounter.objects.create(
        issuer=world.issuer, symbol="QĐ-BNNMT", year=day.year, last_number=number - 1
    )
    d = services.create_draft(
        world.office,
        issuer=world.issuer,
        award_type=AwardType.objects.get(code="BK_BO"),
        year=2025,
        nomination_ids=[approved(p, "BK_BO").pk for p in people],
        signer_name="Nguyễn Văn Hưng",
    )
    return services.sign(world.office, d, date=day)


def test_decision_pdf_text(world):
    d = _signed(world, world.people)
    doc = documents.ensure_decision(d.pk)
    pages = _text(doc.file.read())
    first = pages[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in first
    assert "Số: 05/QĐ-BNNMT" in first
    assert "Hà Nội, ngày 05 tháng 02 năm 2026" in first
    assert "QUYẾT ĐỊNH" in first
    assert "KT. BỘ TRƯỞNG" in first and "THỨ TRƯỞNG" in first
    everything = "\n".join(pages)
    assert "Kèm theo Quyết định số 05/QĐ-BNNMT ngày 05 tháng 02 năm 2026" in everything
    for name in ("Trần Thị Hoa", "Nguyễn Văn Đức", "Lê Thị Ánh Tuyết"):
        assert name in everything  # diacritics intact
    assert "3.510.000" in everything  # 1.5 x 2,340,000
    assert "10.530.000" in everything  # the total


def test_page_numbers_from_page_two_on_a_long_list(world):
    people = [f.person(world.vp, f"L{i:03d}", f"Đỗ Thị Hường {i}") for i in range(60)]
    d = _signed(world, people)
    pages = _text(documents.ensure_decision(d.pk).file.read())
    assert len(pages) >= 3
    # the page number (top centre) is the margin box pypdf reads last
    assert pages[0].strip().splitlines()[-1] != "1"
    for number, text in enumerate(pages[1:], 2):
        assert text.strip().splitlines()[-1] == str(number), text[-40:]


def test_certificate_pdf_text(world):
    d = _signed(world, world.people)
    item = d.items.get(order=2)
    data = documents.ensure_certificate(item.pk).file.read()
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = reader.pages[0].extract_text()
    assert "Quyết định số 05/QĐ-BNNMT" in text and "05/02/2026" in text
    assert "Số sổ vàng: 02" in text
    assert item.nomination.person.full_name in text
    assert "Bằng khen của Bộ trưởng" in text
    assert "Hà Nội, ngày 05 tháng 02 năm 2026" in text


def test_the_same_document_asked_twice_renders_once(world, monkeypatch):
    d = _signed(world, world.people[:1])
    calls = []
    real = documents.pdf.render_html_to_pdf

    def counting(html):
        calls.append(1)
        return real(html)

    monkeypatch.setattr(documents.pdf, "render_html_to_pdf", counting)
    first = tasks.render_decision.apply(args=[d.pk]).get()
    second = tasks.render_decision.apply(args=[d.pk]).get()  # a redelivery, a re-run
    assert first == second and len(calls) == 1
    assert DecisionDocument.objects.count() == 1
    doc = DecisionDocument.objects.get()
    folder = doc.file.storage.path(f"decisions/{d.pk}")
    import os

    assert os.listdir(folder) == [os.path.basename(doc.file.name)]  # one file, no .part
    assert doc.content_sha256[:24] in doc.file.name


@pytest.mark.django_db
def test_certificates_only_for_signed_decisions(world):
    d = services.create_draft(
        world.office,
        issuer=world.issuer,
        award_type=AwardType.objects.get(code="BK_BO"),
        year=2025,
        nomination_ids=[approved(world.people[0], "BK_BO").pk],
    )
    with pytest.raises(ValueError):
        documents.ensure_certificate(d.items.get().pk)
