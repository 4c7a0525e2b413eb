"""The decision PDF (with its attached list) and the certificates, keyed by content.

The HTML is rendered from the data first (cheap); its SHA-256 is the document's key and
part of its storage path. If a document with that key was already stored, nothing is
rendered; otherwise the PDF is rendered, written to a temporary file in the same folder and
moved into place in one step, and only then its row is created. So a re-run or a
redelivered task yields the same single file, a worker killed mid-render leaves no row
(and at most a ``.part`` file), and an unchanged document is never rendered twice."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from awards.decisions.services.common import lines, vn_date, vnd
from awards.decisions.services.prizes import PrizeTable
from awards.models import (
    AwardCategory,
    Decision,
    DecisionDocument,
    DecisionItem,
    DecisionState,
    DocumentKind,
)
from emulation_portal import pdf

ARTICLE_HEAD = re.compile(r"^(Điều\s+\d+\.)\s*")
DECISION_TEMPLATE = "pdf/decision.html"
CERTIFICATE_TEMPLATE = "pdf/certificate.html"


def list_rows(decision: Decision) -> tuple[list[dict], int]:
    """The attached list: one row per item with the nominee, their position and unit and
    the prize (stored at signing; for a draft, computed on today's date), and the total."""
    items = list(
        decision.items.select_related(
            "nomination__person__unit",
            "nomination__unit",
            "nomination__award_type",
            "nomination__proposing_unit",
        ).order_by("order")
    )
    table = PrizeTable(timezone.localdate()) if decision.is_draft else None
    rows, total = [], 0
    for item in items:
        n = item.nomination
        amount = item.amount
        if table is not None:
            prize = table.prize(n.award_type, n.subject_type)
            amount = prize.amount if prize else None
        total += amount or 0
        if n.person_id:
            detail = ", ".join(x for x in (n.person.position, n.person.unit.name) if x)
        else:
            detail = n.unit.parent.name if n.unit.parent_id else ""
        rows.append(
            {
                "item": item,
                "order": item.order,
                "name": str(n.nominee),
                "is_person": bool(n.person_id),
                "detail": detail,
                "amount": amount,
                "amount_text": vnd(amount),
            }
        )
    return rows, total


def signer_lines(decision: Decision) -> list[str]:
    """The signature block's caps lines: ``KT. BỘ TRƯỞNG`` / ``THỨ TRƯỞNG``, or the head's
    title alone."""
    prefix = decision.signer_prefix
    if prefix in ("KT.", "TM.", "TUQ.", "TL."):
        first = f"{prefix} {decision.signer_for or decision.issuer.head_title}"
        return [first, decision.signer_title] if decision.signer_title else [first]
    if prefix == "Q.":
        return [f"Q. {decision.signer_title}"]
    return [decision.signer_title or decision.issuer.head_title]


def _sentence(name: str) -> str:
    """``BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`` -> ``Bộ Nông nghiệp và Môi trường``: the name as
    written in running text (the first word of each part capitalised)."""
    words = name.lower().split()
    out = []
    for i, word in enumerate(words):
        first_of_part = i < 2 or (i > 0 and words[i - 1] == "và")
        out.append(word.capitalize() if first_of_part else word)
    return " ".join(out)


def _common(decision: Decision) -> dict:
    issuer = decision.issuer
    return {
        "decision": decision,
        "issuer": issuer,
        "issuing_body": issuer.parent_name or issuer.name,
        "issuer_sub": issuer.name if issuer.parent_name else "",
        "place": issuer.place or settings.PORTAL_PLACE,
        "number_text": f"{decision.number:02d}" if decision.number else "",
        "reference": decision.reference or f"     /{decision.symbol}",
        "date_text": vn_date(decision.date) if decision.date else "ngày     tháng     năm",
        "signer_lines": signer_lines(decision),
        "authority_line": f"{issuer.head_title} {issuer.name}",
        "authority_phrase": f"{issuer.head_title.capitalize()} {_sentence(issuer.name)}",
        "is_title": decision.award_type.category == AwardCategory.TITLE,
    }


def _article(text: str) -> tuple[str, str]:
    """("Điều 1.", "the rest") so the article's number prints in bold."""
    match = ARTICLE_HEAD.match(text)
    return (match.group(1), text[match.end() :]) if match else ("", text)


def decision_html(decision: Decision) -> str:
    rows, total = list_rows(decision)
    context = {
        **_common(decision),
        "bases": [b.rstrip(";.").rstrip() for b in lines(decision.legal_bases)],
        "articles": [_article(a) for a in lines(decision.articles)],
        "recipients": lines(decision.recipients),
        "rows": rows,
        "total_text": vnd(total),
        "has_money": any(r["amount"] is not None for r in rows),
        "draft": decision.is_draft,
    }
    with override("vi"):
        return render_to_string(DECISION_TEMPLATE, context)


def certificate_html(item: DecisionItem) -> str:
    decision = item.decision
    n = item.nomination
    context = {
        **_common(decision),
        "item": item,
        "nominee": str(n.nominee),
        "is_person": bool(n.person_id),
        "detail": (
            ", ".join(x for x in (n.person.position, n.person.unit.name) if x)
            if n.person_id
            else (n.unit.parent.name if n.unit.parent_id else "")
        ),
        "award_name": n.award_type.name_vi,
        "golden_book": f"{item.order:02d}",
        "short_date": decision.date.strftime("%d/%m/%Y") if decision.date else "",
    }
    with override("vi"):
        return render_to_string(CERTIFICATE_TEMPLATE, context)


def _key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def _path(kind: str, decision: Decision, item: DecisionItem | None, key: str) -> str:
    suffix = f"-{item.order:03d}" if item is not None else ""
    return f"decisions/{decision.pk}/{kind}{suffix}-{key[:24]}.pdf"


def current(kind: str, decision: Decision, item: DecisionItem | None = None):
    """(stored document or None, content key, html) for the document as the data stands."""
    html = decision_html(decision) if kind == DocumentKind.DECISION else certificate_html(item)
    key = _key(html)
    return stored(kind, key), key, html


def ensure(kind: str, decision: Decision, item: DecisionItem | None = None) -> DecisionDocument:
    """The stored document for the current content, rendering it only if it is not
    stored yet (what the tasks call)."""
    doc, key, html = current(kind, decision, item)
    if doc is not None:
        return doc
    return store(
        kind,
        key,
        _path(kind, decision, item, key),
        lambda: pdf.render_html_to_pdf(html),
        decision=decision,
        item=item,
    )


def stored(kind: str, key: str) -> DecisionDocument | None:
    """The document of ``kind`` stored under content ``key``, if its file is still there."""
    doc = DecisionDocument.objects.filter(kind=kind, content_sha256=key).first()
    if doc is not None and not default_storage.exists(doc.file.name):
        return None
    return doc


def store(kind: str, key: str, name: str, produce, **owner) -> DecisionDocument:
    """Store the document of ``kind`` with content ``key`` at ``name`` unless it is stored
    already: ``produce()`` returns the file's bytes and is called only when needed. The
    file is written to a ``.part`` file and moved into place before its row is created,
    so a redelivered task yields the same single file and a killed one leaves no row.
    ``owner`` names what the document is about (decision/item, nomination or batch)."""
    doc = stored(kind, key)
    if doc is not None:
        return doc
    data = produce()
    full = Path(default_storage.path(name))
    full.parent.mkdir(parents=True, exist_ok=True)
    tmp = full.with_name(f"{full.name}.{uuid.uuid4().hex}.part")
    tmp.write_bytes(data)
    try:
        with transaction.atomic():
            existing = DecisionDocument.objects.filter(kind=kind, content_sha256=key).first()
            if existing is not None and default_storage.exists(existing.file.name):
                tmp.unlink(missing_ok=True)
                return existing
            os.replace(tmp, full)
            fields = {
                **owner,
                "file": name,
                "size": len(data),
                "file_sha256": hashlib.sha256(data).hexdigest(),
            }
            if existing is not None:  # the file was lost from storage: written again
                DecisionDocument.objects.filter(pk=existing.pk).update(**fields)
                existing.refresh_from_db()
                return existing
            return DecisionDocument.objects.create(kind=kind, content_sha256=key, **fields)
    except IntegrityError:
        tmp.unlink(missing_ok=True)
        return DecisionDocument.objects.get(kind=kind, content_sha256=key)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_decision(decision_id: int) -> DecisionDocument:
    decision = Decision.objects.select_related("issuer", "award_type").get(pk=decision_id)
    return ensure(DocumentKind.DECISION, decision)


def ensure_certificate(item_id: int) -> DecisionDocument:
    item = DecisionItem.objects.select_related(
        "decision__issuer",
        "decision__award_type",
        "nomination__person__unit",
        "nomination__unit__parent",
        "nomination__award_type",
    ).get(pk=item_id)
    if item.decision.state == DecisionState.DRAFT:
        raise ValueError("certificates are printed for signed decisions only")
    return ensure(DocumentKind.CERTIFICATE, item.decision, item)
