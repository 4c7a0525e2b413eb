"""Decision pages: the list; a new draft from the nominations ready for a decision; a
decision's page (texts, list with prizes and total, the steps: edit, sign, publish,
replace, discard); downloads of the decision PDF and the certificates.

Every write calls a service; a refusal comes back as a message on the page and the user's
input stays where it was. A document not rendered yet is asked of the worker and the page
says so; with no broker (eager mode) it is rendered at once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.decisions import forms, selectors, services, tasks
from awards.decisions.services import documents
from awards.models import DecisionItem, DecisionState, DocumentKind
from emulation_portal.jobs import enqueue


def _flash(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.error(request, str(exc) or _("You are not allowed to do this."))


def _decision(request, decision_id: int, perm: str = "decisions.view"):
    d = selectors.visible_decisions(request.user).filter(pk=decision_id).first()
    if d is None or not request.user.has_perm(perm, d):
        raise Http404
    return d


@login_required
def index(request):
    if not request.user.has_perm("decisions.browse"):
        raise PermissionDenied
    decisions = selectors.visible_decisions(request.user)
    recent = request.GET.get("recent") == "1"
    if recent:
        from awards.decisions.home import recent as only_recent

        decisions = only_recent(decisions)
    decisions = decisions.order_by("-created_at", "-id")[:200]
    can_manage = request.user.has_perm("decisions.manage")
    return render(
        request,
        "decisions/index.html",
        {
            "decisions": decisions,
            "can_manage": can_manage,
            "form": forms.NewDraftForm(),
            "recent": recent,
        },
    )


@login_required
def new(request):
    """Choose the issuer, then the (award, year) group of ready nominations; posting the
    group creates the draft with every ready nomination of it (trimmed on its page)."""
    if not request.user.has_perm("decisions.manage"):
        raise PermissionDenied
    from awards.models import DecisionIssuer

    issuers = list(DecisionIssuer.objects.select_related("unit"))
    groups = [(i, selectors.ready_groups(i)) for i in issuers]
    if request.method == "POST":
        form = forms.NewDraftForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            ready = selectors.ready_nominations(c["issuer"], c["award_type"], c["year"])
            try:
                d = services.create_draft(
                    request.user,
                    issuer=c["issuer"],
                    award_type=c["award_type"],
                    year=c["year"],
                    nomination_ids=[n.pk for n in ready],
                )
            except (ValidationError, PermissionDenied) as exc:
                _flash(request, exc)
            else:
                messages.success(request, _("Draft created with %(n)s names.") % {"n": len(ready)})
                return redirect("decisions:detail", decision_id=d.pk)
        else:
            messages.error(request, _("Choose an issuer, an award and a year."))
    return render(request, "decisions/new.html", {"groups": groups})


@login_required
def detail(request, decision_id):
    d = _decision(request, decision_id)
    rows, total = documents.list_rows(d)
    can_manage = request.user.has_perm("decisions.manage", d)
    context = {
        "d": d,
        "rows": rows,
        "total": services.vnd(total),
        "can_manage": can_manage,
        "texts_form": forms.TextsForm(instance=d, initial={"version": d.version})
        if can_manage and d.is_draft
        else None,
        "sign_form": forms.SignForm(initial={"version": d.version, "date": timezone.localdate()})
        if can_manage and d.is_draft
        else None,
        "ready": selectors.ready_nominations(d.issuer, d.award_type, d.award_year)
        if can_manage and d.is_draft
        else [],
        "replaced_by": getattr(d, "replaced_by", None) if not d.is_draft else None,
    }
    return render(request, "decisions/detail.html", context)


@login_required
@require_POST
def edit(request, decision_id):
    d = _decision(request, decision_id, "decisions.manage")
    form = forms.TextsForm(request.POST, instance=d)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("decisions:detail", decision_id=d.pk)
    data = {k: form.cleaned_data[k] for k in forms.TextsForm.Meta.fields}
    try:
        services.update_draft(request.user, d, version=form.cleaned_data["version"], **data)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("decisions:detail", decision_id=d.pk)


@login_required
@require_POST
def set_list(request, decision_id):
    d = _decision(request, decision_id, "decisions.manage")
    ids = [i for i in request.POST.getlist("nomination") if i.isdigit()][:5000]
    try:
        services.set_list(request.user, d, ids, version=request.POST.get("version") or None)
    except (ValidationError, PermissionDenied, ValueError) as exc:
        _flash(
            request,
            exc if not isinstance(exc, ValueError) else ValidationError(_("Reload the page.")),
        )
    else:
        messages.success(request, _("The list was saved."))
    return redirect("decisions:detail", decision_id=d.pk)


@login_required
@require_POST
def move(request, decision_id):
    d = _decision(request, decision_id, "decisions.manage")
    step = request.POST.get("move", "")
    try:
        if step == "sign":
            form = forms.SignForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for e in errors:
                        messages.error(request, e)
                return redirect("decisions:detail", decision_id=d.pk)
            c = form.cleaned_data
            d = services.sign(
                request.user,
                d,
                date=c["date"],
                signature_reference=c["signature_reference"],
                signed_file_sha256=c["signed_file_sha256"],
                version=c["version"],
            )
            messages.success(request, _("Signed: decision %(ref)s.") % {"ref": d.reference})
        elif step == "publish":
            d = services.publish(request.user, d, version=request.POST.get("version") or None)
            messages.success(request, _("Published."))
        elif step == "replace":
            new = services.create_replacement(request.user, d)
            messages.success(request, _("A replacing draft was created."))
            return redirect("decisions:detail", decision_id=new.pk)
        elif step == "discard":
            services.discard_draft(request.user, d)
            messages.success(request, _("The draft was discarded."))
            return redirect("decisions:index")
        else:
            messages.error(request, _("Unknown step."))
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    except ValueError:
        messages.error(request, _("Reload the page."))
    return redirect("decisions:detail", decision_id=d.pk)


def _serve(request, doc, filename):
    response = FileResponse(doc.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pending(request, d):
    messages.info(request, _("The document is being prepared; download it again in a moment."))
    return redirect("decisions:detail", decision_id=d.pk)


@login_required
def download(request, decision_id):
    d = _decision(request, decision_id)
    doc, _key, _html = documents.current(DocumentKind.DECISION, d)
    if doc is None:
        enqueue(tasks.render_decision, d.pk)  # eager mode renders it right here
        doc, _key, _html = documents.current(DocumentKind.DECISION, d)
    if doc is None:
        return _pending(request, d)
    name = f"QD-{d.number:02d}-{d.year}.pdf" if d.number else f"du-thao-{d.pk}.pdf"
    return _serve(request, doc, name)


@login_required
def certificate(request, decision_id, item_id):
    d = _decision(request, decision_id)
    if d.state == DecisionState.DRAFT:
        raise Http404
    item = DecisionItem.objects.filter(decision=d, pk=item_id).first()
    if item is None:
        raise Http404
    doc, _key, _html = documents.current(DocumentKind.CERTIFICATE, d, item)
    if doc is None:
        enqueue(tasks.render_certificate, item.pk)
        doc, _key, _html = documents.current(DocumentKind.CERTIFICATE, d, item)
    if doc is None:
        return _pending(request, d)
    return _serve(request, doc, f"bang-{d.number:02d}-{d.year}-{item.order:03d}.pdf")
