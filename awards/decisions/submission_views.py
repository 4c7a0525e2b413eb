"""Pages of the submissions to a higher level (the office only): the list with a new
submission from the approved nominations of titles conferred by the Prime Minister or the
President; a submission's page, where the office records it as sent and records each
decision that comes back against its list.

Every write calls a service; a refusal is shown on the same page with the user's input
still in the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.decisions import forms, selectors, services
from awards.models import DecisionIssuer, SubmissionState


def _office(request) -> None:
    if not request.user.has_perm("decisions.manage"):
        raise PermissionDenied


def _refused(form, exc: Exception) -> None:
    for msg in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
        form.add_error(None, msg)


def _choices(nominations) -> list[tuple[int, str]]:
    return [(n.pk, f"{n.nominee} — {n.award_type.code} {n.year}") for n in nominations]


@login_required
def index(request):
    """The submissions, and the form for a new one (posted here)."""
    _office(request)
    ready = selectors.higher_level_ready()
    posted = request.method == "POST"
    form = forms.NewSubmissionForm(request.POST if posted else None, choices=_choices(ready))
    status = 200
    if posted:
        issuer = DecisionIssuer.objects.filter(is_ministry=True).first()
        if not form.is_valid():
            pass  # the form shows its errors
        elif issuer is None:
            form.add_error(None, _("Set up the ministry's issuer first (in the admin)."))
        else:
            c = form.cleaned_data
            try:
                s = services.create_submission(
                    request.user,
                    issuer=issuer,
                    authority=c["authority"],
                    title=c["title"],
                    nomination_ids=c["nominations"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _refused(form, exc)
            else:
                messages.success(
                    request,
                    _("Submission created with %(n)s names.") % {"n": len(c["nominations"])},
                )
                return redirect("decisions:submission", submission_id=s.pk)
        status = 400
    submissions = selectors.visible_submissions(request.user).order_by("-created_at", "-id")[:200]
    return render(
        request,
        "decisions/submissions.html",
        {"submissions": submissions, "form": form, "ready": ready},
        status=status,
    )


@login_required
def detail(request, submission_id):
    """A submission's list; posting ``step=send`` records it as sent, ``step=record`` the
    higher level's decision for the chosen names."""
    _office(request)
    s = selectors.visible_submissions(request.user).filter(pk=submission_id).first()
    if s is None:
        raise Http404
    items = list(
        s.items.select_related(
            "nomination__person__unit", "nomination__unit", "nomination__award_type", "granted_by"
        ).order_by("order")
    )
    open_items = [i.nomination for i in items if i.granted_by_id is None]
    step = request.POST.get("step") if request.method == "POST" else None
    send_form = forms.SendSubmissionForm(request.POST if step == "send" else None)
    record_form = forms.ExternalDecisionForm(
        request.POST if step == "record" else None, choices=_choices(open_items)
    )
    status = 200
    if step in ("send", "record"):
        form = send_form if step == "send" else record_form
        if form.is_valid():
            c = form.cleaned_data
            try:
                if step == "send":
                    services.send_submission(request.user, s, number=c["number"], date=c["date"])
                    messages.success(request, _("The submission was recorded as sent."))
                else:
                    ext = services.record_external_decision(
                        request.user,
                        s,
                        number=c["number"],
                        date=c["date"],
                        nomination_ids=c["nominations"],
                    )
                    messages.success(
                        request,
                        _("Decision %(number)s recorded: %(n)s award records created.")
                        % {"number": ext.number, "n": len(c["nominations"])},
                    )
            except (ValidationError, PermissionDenied) as exc:
                _refused(form, exc)
            else:
                return redirect("decisions:submission", submission_id=s.pk)
        status = 400
    elif step is not None:
        messages.error(request, _("Unknown step."))
        status = 400
    return render(
        request,
        "decisions/submission.html",
        {
            "s": s,
            "items": items,
            "send_form": send_form if s.state == SubmissionState.DRAFT else None,
            "record_form": record_form if s.state == SubmissionState.SENT else None,
            "externals": s.external_decisions.order_by("date", "id"),
        },
        status=status,
    )
