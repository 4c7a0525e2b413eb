"""One dossier per nomination: its generated papers (the unit's submission letter with
the list, the achievement report) followed by the uploaded evidence, merged as one PDF
with a bookmark per part. Every paper and the dossier go through the decisions' store
(``awards.decisions.services.documents.store``): keyed by content, so the same dossier
asked twice is rendered once and a redelivered task finds the file already there.

An evidence file that cannot be merged (not a PDF, damaged, encrypted) is named on a
notice page at the end of the dossier, and the merge goes on without it."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Case, Q, Value, When

from awards.decisions.services.documents import store, stored
from awards.dossiers.services import papers
from awards.models import (
    Attachment,
    AttachmentKind,
    Batch,
    DecisionDocument,
    DocumentKind,
    Nomination,
)
from emulation_portal import pdf

log = logging.getLogger(__name__)

# Bumped when the way a dossier is put together changes, so every dossier is made again.
LAYOUT = "dossier-2"
NOTICE_TEMPLATE = "pdf/dossier_notice.html"
IMAGE_TYPES = ("image/jpeg", "image/png")


def _nomination(nomination_id: int) -> Nomination:
    return Nomination.objects.select_related(
        "person__unit__parent",
        "unit__parent",
        "award_type",
        "proposing_unit__parent",
        "batch__proposing_unit__parent",
        "batch__award_type",
    ).get(pk=nomination_id)


def ensure_report(n: Nomination) -> DecisionDocument:
    """The achievement report's PDF for the nomination's current content."""
    html = papers.paper_html(papers.report_paper(n))
    key = papers.content_key(html)
    return store(
        DocumentKind.REPORT,
        key,
        f"dossiers/{n.pk}/report-{key[:24]}.pdf",
        lambda: pdf.render_html_to_pdf(html),
        nomination=n,
    )


def ensure_letter(batch: Batch) -> DecisionDocument:
    """The submission letter's PDF (with its list) for the letter's current content."""
    html = papers.paper_html(papers.letter_paper(batch))
    key = papers.content_key(html)
    return store(
        DocumentKind.LETTER,
        key,
        f"letters/{batch.pk}/letter-{key[:24]}.pdf",
        lambda: pdf.render_html_to_pdf(html),
        batch=batch,
    )


def evidence(n: Nomination) -> list[Attachment]:
    """The uploaded files of the dossier: the nomination's and its letter's (a file on
    the letter, e.g. the unit's minutes, serves every nomination it carries)."""
    owner = Q(nomination=n)
    if n.batch_id:
        owner |= Q(batch_id=n.batch_id)
    order = Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(AttachmentKind.values)),
        default=Value(len(AttachmentKind.values)),
    )
    return list(
        Attachment.objects.filter(owner)
        .annotate(kind_order=order)
        .order_by("kind_order", "uploaded_at", "id")
    )


@dataclass
class Part:
    title: str
    reader: object | None  # a pypdf PdfReader, or None when the file cannot be merged
    attachment: Attachment | None = None
    reason: str = ""


def _reader(data: bytes):
    """A pypdf reader for ``data`` whose every page can be read, or raise."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    if not reader.pages:
        raise ValueError("no pages")
    for page in reader.pages:
        page.get_contents()
    return reader


def _image_pdf(data: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "PDF", resolution=150)
        return out.getvalue()


def _evidence_part(att: Attachment) -> Part:
    title = f"{att.get_kind_display()}: {att.original_name}"
    try:
        with default_storage.open(att.file.name, "rb") as fh:
            data = fh.read()
    except OSError:
        return Part(title, None, att, "tệp không còn trong kho lưu trữ")
    try:
        if att.content_type in IMAGE_TYPES:
            data = _image_pdf(data)
        elif att.content_type != "application/pdf":
            return Part(title, None, att, "không phải tệp PDF (xem bản gốc trong hồ sơ)")
        return Part(title, _reader(data), att)
    except Exception as exc:  # any damage in a user's file: named, not fatal
        log.info("dossier: evidence %s not merged: %r", att.pk, exc)
        return Part(title, None, att, "tệp PDF bị hỏng hoặc không đọc được")


def dossier_key(n: Nomination, report: DecisionDocument, letter, files: list[Attachment]) -> str:
    """The dossier's content key: its layout, the papers' keys and each evidence file's
    checksum and name, in order."""
    content = {
        "layout": LAYOUT,
        "report": report.content_sha256,
        "letter": letter.content_sha256 if letter else "",
        "files": [[a.pk, a.sha256, a.original_name, a.kind] for a in files],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _read_stored(doc: DecisionDocument) -> bytes:
    with default_storage.open(doc.file.name, "rb") as fh:
        return fh.read()


def _merge(n: Nomination, report, letter, files: list[Attachment]) -> bytes:
    from django.template.loader import render_to_string
    from django.utils.translation import override
    from pypdf import PdfReader, PdfWriter

    parts = []
    if letter is not None:
        parts.append(
            Part("Tờ trình và danh sách đề nghị", PdfReader(io.BytesIO(_read_stored(letter))))
        )
    parts.append(Part("Báo cáo thành tích", PdfReader(io.BytesIO(_read_stored(report)))))
    with override("vi"):  # the bookmarks are in Vietnamese whoever asks
        parts += [_evidence_part(a) for a in files]
    skipped = [p for p in parts if p.reader is None]
    writer = PdfWriter()
    for part in parts:
        if part.reader is not None:
            writer.append(part.reader, outline_item=part.title, import_outline=False)
    if skipped:
        with override("vi"):
            html = render_to_string(
                NOTICE_TEMPLATE,
                {"nomination": n, "nominee": str(n.nominee), "skipped": skipped},
            )
        notice = PdfReader(io.BytesIO(pdf.render_html_to_pdf(html)))
        writer.append(notice, outline_item="Tệp không ghép được vào hồ sơ", import_outline=False)
    writer.add_metadata({"/Title": f"Hồ sơ đề nghị khen thưởng: {n.nominee}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def current(nomination_id: int) -> tuple[Nomination, DecisionDocument | None]:
    """(nomination, its stored dossier for the current content or None). Renders the
    papers if they are missing (cheap next to the merge, and keyed themselves)."""
    n = _nomination(nomination_id)
    report = ensure_report(n)
    letter = ensure_letter(n.batch) if n.batch_id else None
    key = dossier_key(n, report, letter, evidence(n))
    return n, stored(DocumentKind.DOSSIER, key)


def ensure_dossier(nomination_id: int) -> DecisionDocument:
    """The stored dossier of the nomination for its current content, merging it only if it
    is not stored yet (what the task calls)."""
    n = _nomination(nomination_id)
    report = ensure_report(n)
    letter = ensure_letter(n.batch) if n.batch_id else None
    files = evidence(n)
    key = dossier_key(n, report, letter, files)
    return store(
        DocumentKind.DOSSIER,
        key,
        f"dossiers/{n.pk}/dossier-{key[:24]}.pdf",
        lambda: _merge(n, report, letter, files),
        nomination=n,
    )
