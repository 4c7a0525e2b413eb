"""Pages: a nomination's papers (dossier PDF, report and letter as PDF or Word), the bulk
ZIP jobs of a council session and a decision, and the public honour roll (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.dossiers import selectors, tasks
from awards.dossiers.services import bulk, dossier, papers, word
from awards.models import CouncilSession, Decision
from emulation_portal.jobs import enqueue
from emulation_portal.text import fold

HONOUR_PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment_name(stem: str, suffix: str) -> str:
    """An ASCII file name (the header) from a Vietnamese label."""
    safe = "".join(c if c.isalnum() else "-" for c in fold(stem)).strip("-")
    return f"{'-'.join(x for x in safe.split('-') if x)[:60] or 'tai-lieu'}{suffix}"


def _serve(doc, filename: str):
    response = FileResponse(doc.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _docx(paper, filename: str) -> HttpResponse:
    response = HttpResponse(word.docx_bytes(paper), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def nomination_dossier(request, nomination_id):
    """The dossier PDF: served if stored for the current content, else its render is
    started (on the pdf queue) and the user is told to come back."""
    n = selectors.nomination_for(request.user, nomination_id)
    _n, doc = dossier.current(n.pk)
    if doc is None:
        enqueue(tasks.render_dossier, n.pk)  # eager mode renders it right here
        _n, doc = dossier.current(n.pk)
    if doc is None:
        messages.info(request, _("The dossier is being prepared; download it again in a moment."))
        return redirect("nominations:detail", n.pk)
    return _serve(doc, _attachment_name(f"ho-so-{n.pk}-{n.nominee}", ".pdf"))


@login_required
def nomination_report(request, nomination_id, fmt):
    """The achievement report, as PDF (rendered once per content) or Word."""
    n = selectors.nomination_for(request.user, nomination_id)
    name = f"bao-cao-thanh-tich-{n.pk}-{n.nominee}"
    if fmt == "docx":
        return _docx(papers.report_paper(n), _attachment_name(name, ".docx"))
    return _serve(dossier.ensure_report(n), _attachment_name(name, ".pdf"))


@login_required
def nomination_letter(request, nomination_id, fmt):
    """The submission letter carrying the nomination, with its list, as PDF or Word."""
    n = selectors.nomination_for(request.user, nomination_id)
    if n.batch_id is None:
        raise Http404
    name = f"to-trinh-{n.batch_id}"
    if fmt == "docx":
        return _docx(papers.letter_paper(n.batch), _attachment_name(name, ".docx"))
    return _serve(dossier.ensure_letter(n.batch), _attachment_name(name, ".pdf"))


def _start(request, start, obj, back):
    try:
        job = start(request.user, obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return redirect("job-detail", job.pk)


@login_required
@require_POST
def session_zip(request, session_id):
    session = get_object_or_404(CouncilSession, pk=session_id)
    return _start(
        request, bulk.start_session_zip, session, reverse("council:session", args=[session.pk])
    )


@login_required
@require_POST
def certificates_zip(request, decision_id):
    decision = get_object_or_404(Decision, pk=decision_id)
    return _start(
        request,
        bulk.start_certificates_zip,
        decision,
        reverse("decisions:detail", args=[decision.pk]),
    )


def honour_roll(request):
    """Public: decided awards of a year from published decisions, searched without
    accents, paginated."""
    years = selectors.honour_roll_years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else (years[0] if years else None)
    query = request.GET.get("q", "")[:100]
    rows = selectors.honour_roll(year, query) if year else []
    page = Paginator(rows, HONOUR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/honour_roll.html",
        {"years": years, "year": year, "q": query, "page": page},
    )


def public_decision(request, decision_id):
    """Public: a published decision's number, date, subject and the names it confers."""
    d = selectors.public_decision(decision_id)
    return render(
        request,
        "dossiers/public_decision.html",
        {"decision": d, "rows": list(selectors.public_decision_rows(d))},
    )
