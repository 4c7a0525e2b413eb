"""The submission letter and the achievement report: PDF text read back with pypdf, the
Word copy opened with python-docx holding the same text, rendering keyed by content."""

import datetime as dt
import io

from django.utils import timezone
from docx import Document

from awards.dossiers.report_forms import PERSON_AD_HOC, UNIT_REGULAR, form_for
from awards.dossiers.services import dossier, papers, word
from awards.models import AwardKind, Batch, DecisionDocument, DocumentKind
from emulation_portal import pdf
from tests.dossiers.conftest import approved, full_nomination, pdf_text


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_report_pdf_person_regular(world):
    n = full_nomination(world)
    pages = pdf_text(dossier.ensure_report(n).file.read())
    first, everything = pages[0], "\n".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Mẫu số 05" in first
    assert "BÁO CÁO THÀNH TÍCH" in first
    assert "Đề nghị tặng Bằng khen của Bộ trưởng năm 2025" in first
    assert "I. SƠ LƯỢC LÝ LỊCH" in everything
    assert "Ngày, tháng, năm sinh: 07/03/1980" in everything
    assert "Trần Thị Hoa" in everything  # diacritics intact
    assert "II. THÀNH TÍCH ĐẠT ĐƯỢC" in everything
    assert "chủ trì đề án số hóa hồ sơ thi đua" in everything
    assert "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG" in everything
    assert "112/QĐ-VP, 08/01/2024" in everything  # from the award records
    assert "Giấy khen của Chánh Văn phòng năm 2021" in everything


def test_letter_pdf_number_date_list_and_page_numbers(world):
    n = full_nomination(world)
    Batch.objects.filter(pk=n.batch_id).update(
        created_at=timezone.make_aware(dt.datetime(2025, 12, 3, 10))
    )
    n.batch.refresh_from_db()
    pages = pdf_text(dossier.ensure_letter(n.batch).file.read())
    first = pages[0]
    assert "Số: 15/TTr-VP" in first
    assert "Hà Nội, ngày 03 tháng 12 năm 2025" in first
    assert "TỜ TRÌNH" in first and "Kính gửi: Bộ trưởng Bộ Nông nghiệp và Môi trường" in first
    assert "VĂN PHÒNG BỘ" in first
    assert len(pages) >= 2  # the list starts on a new page
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in pages[-1]
    listed = " ".join(pages[-1].split())
    assert "Trần Thị Hoa" in listed and "Chuyên viên chính, Văn phòng Bộ" in listed
    assert pages[0].strip().splitlines()[-1] != "1"
    for number, text in enumerate(pages[1:], 2):
        assert text.strip().splitlines()[-1] == str(number)


def test_word_copies_hold_the_same_text(world):
    n = full_nomination(world)
    for paper in (papers.report_paper(n), papers.letter_paper(n.batch)):
        text = _docx_text(word.docx_bytes(paper))
        for line in paper.text_lines():
            assert line in text, line
        # compared without white space: the PDF wraps lines where Word does not
        pdf_all = "".join(
            "".join(pdf_text(pdf.render_html_to_pdf(papers.paper_html(paper)))).split()
        )
        for line in paper.text_lines():
            assert "".join(line.split()) in pdf_all, line


def test_forms_by_kind():
    assert form_for("person", AwardKind.CONG_TRANG).form_no == "Mẫu số 05"
    assert form_for("unit", AwardKind.CONG_TRANG) is UNIT_REGULAR
    assert form_for("person", AwardKind.DOT_XUAT) is PERSON_AD_HOC
    assert form_for("unit", AwardKind.CHUYEN_DE) is UNIT_REGULAR  # no own form yet


def test_unit_ad_hoc_report_has_no_part_three(world):
    n = approved(world.vp, "BK_BO", kind=AwardKind.DOT_XUAT, achievements="Cứu hộ kịp thời.")
    text = "\n".join(pdf_text(dossier.ensure_report(n).file.read()))
    assert "Đề nghị khen thưởng đột xuất" in text
    assert "I. ĐẶC ĐIỂM, TÌNH HÌNH" in text and "II. NỘI DUNG THÀNH TÍCH" in text
    assert "III." not in text


def test_report_rendered_once_per_content(world, monkeypatch):
    n = full_nomination(world)
    first = dossier.ensure_report(n)
    monkeypatch.setattr(pdf, "render_html_to_pdf", lambda *a, **k: 1 / 0)
    assert dossier.ensure_report(n).pk == first.pk
    assert DecisionDocument.objects.filter(kind=DocumentKind.REPORT).count() == 1
