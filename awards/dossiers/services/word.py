"""The editable Word copy (python-docx) of a paper: the same text as its PDF, in the
administrative format (A4, margins of NĐ 30/2020, Times New Roman 13-14 pt)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Mm, Pt

from awards.dossiers.services.paper import Paper

FONT = "Times New Roman"


def _run(paragraph, text: str, *, bold=False, italic=False, size=13):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    return run


def _centered(cell_or_doc, text: str, **kw):
    p = cell_or_doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    _run(p, text, **kw)
    return p


def docx_bytes(paper: Paper) -> bytes:
    """The Word file of ``paper`` as bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)

    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], paper.issuing_body, bold=True, size=12)
    if paper.issuer_sub:
        _centered(left, paper.issuer_sub, bold=True, size=12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _centered(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    number, place = head.rows[1].cells
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number.paragraphs[0], paper.number_line)
    place.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(place.paragraphs[0], paper.place_date, italic=True)

    _centered(doc, "", size=6)
    _centered(doc, paper.doc_type, bold=True, size=14)
    _centered(doc, paper.subject, bold=True, size=14)
    if paper.addressee:
        _centered(doc, "", size=6)
        _centered(doc, paper.addressee)

    for b in paper.blocks:
        if b.kind == "heading":
            p = doc.add_paragraph()
            _run(p, b.text, bold=True)
        elif b.kind in ("para", "line"):
            p = doc.add_paragraph()
            if b.center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                if b.kind == "para":
                    p.paragraph_format.first_line_indent = Cm(1.1)
            p.paragraph_format.space_after = Pt(6)
            _run(p, b.text, bold=b.bold, italic=b.italic)
        elif b.kind == "table":
            t = doc.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            t.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, text in enumerate(row):
                    cell = t.cell(r, c)
                    _run(cell.paragraphs[0], text, bold=(r == 0), size=12)
        elif b.kind == "signatures":
            cols = len(b.signers) if len(b.signers) > 1 else 2
            t = doc.add_table(rows=1, cols=cols)
            cells = t.rows[0].cells[-len(b.signers) :]
            for cell, s in zip(cells, b.signers, strict=True):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                for i, text in enumerate(s.get("lines", [])):
                    p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _run(p, text, bold=True)
                for _ in range(3):
                    cell.add_paragraph()
                if s.get("name"):
                    _centered(cell, s["name"], bold=True)
        elif b.kind == "recipients":
            p = doc.add_paragraph()
            _run(p, "Nơi nhận:", bold=True, italic=True, size=12)
            for item in b.items:
                p = doc.add_paragraph()
                p.paragraph_format.space_after = Pt(0)
                _run(p, f"- {item}", size=11)
        elif b.kind == "page":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
