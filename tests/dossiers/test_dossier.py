"""The dossier of a nomination: its papers then its evidence in one PDF with bookmarks; a
file that cannot be merged is named on a notice page; the same dossier asked twice is
rendered once; the task goes to the pdf queue."""

import io

from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from awards.dossiers import tasks
from awards.dossiers.services import dossier
from awards.models import AttachmentKind, DecisionDocument, DocumentKind
from emulation_portal import pdf
from emulation_portal.celery import app as celery_app
from tests.dossiers.conftest import attach, full_nomination, pdf_bytes, pdf_text

with translation.override("vi"):
    MINUTES = str(AttachmentKind.MINUTES.label)
    EVIDENCE = str(AttachmentKind.EVIDENCE.label)


def _outline(data: bytes) -> list[str]:
    return [item.title for item in PdfReader(io.BytesIO(data)).outline]


def test_dossier_merges_papers_then_evidence_with_bookmarks(world):
    n = full_nomination(world)
    attach(n.batch, "Biên bản họp bình xét.pdf", pdf_bytes("Biên bản bình xét", 1), kind="minutes")
    doc = dossier.ensure_dossier(n.pk)
    data = doc.file.read()
    assert doc.kind == DocumentKind.DOSSIER and doc.nomination_id == n.pk
    assert _outline(data) == [
        "Tờ trình và danh sách đề nghị",
        "Báo cáo thành tích",
        f"{MINUTES}: Biên bản họp bình xét.pdf",
        f"{EVIDENCE}: Sáng kiến cải tiến quy trình.pdf",
    ]
    text = "\n".join(pdf_text(data))
    assert "TỜ TRÌNH" in text and "BÁO CÁO THÀNH TÍCH" in text
    assert "Chứng nhận sáng kiến 1" in text and "Biên bản bình xét 0" in text


def test_corrupt_evidence_is_named_and_skipped(world):
    n = full_nomination(world)
    attach(n, "Bản scan hỏng.pdf", b"%PDF-1.7\n garbage \x00\x01 not a pdf at all")
    data = dossier.ensure_dossier(n.pk).file.read()
    outline = _outline(data)
    assert f"{EVIDENCE}: Bản scan hỏng.pdf" not in outline
    assert outline[-1] == "Tệp không ghép được vào hồ sơ"
    notice = pdf_text(data)[-1]
    assert "Bản scan hỏng.pdf" in notice
    assert "tệp PDF bị hỏng hoặc không đọc được" in " ".join(notice.split())
    assert "Chứng nhận sáng kiến 1" in "\n".join(pdf_text(data))  # the good file is kept


def test_image_evidence_becomes_a_page(world):
    from PIL import Image

    n = full_nomination(world)
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buf, "PNG")
    attach(n, "Ảnh trao giải.png", buf.getvalue(), content_type="image/png")
    assert f"{EVIDENCE}: Ảnh trao giải.png" in _outline(dossier.ensure_dossier(n.pk).file.read())


def test_same_dossier_asked_twice_renders_once(world, monkeypatch):
    n = full_nomination(world)
    first = tasks.render_dossier.delay(n.pk).get()
    calls = []
    real = pdf.render_html_to_pdf
    monkeypatch.setattr(pdf, "render_html_to_pdf", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert tasks.render_dossier.delay(n.pk).get() == first
    assert calls == []
    assert DecisionDocument.objects.filter(kind=DocumentKind.DOSSIER).count() == 1
    # a change of content makes a new dossier
    n.achievements = "Một thành tích mới."
    n.save()
    assert tasks.render_dossier.delay(n.pk).get() != first
    assert DecisionDocument.objects.filter(kind=DocumentKind.DOSSIER).count() == 2


def test_render_tasks_go_to_the_pdf_queue():
    assert settings.CELERY_TASK_ROUTES == {
        "decisions.render_*": {"queue": settings.PORTAL_PDF_QUEUE},
        "dossiers.*": {"queue": settings.PORTAL_PDF_QUEUE},
    }
    router = celery_app.amqp.router  # the test worker, if running, has a private pdf queue
    for name in ("dossiers.render_dossier", "dossiers.session_zip", "decisions.render_decision"):
        queue = router.route({}, name)["queue"].name
        assert queue.endswith(settings.PORTAL_PDF_QUEUE), name
        assert queue != celery_app.conf.task_default_queue
