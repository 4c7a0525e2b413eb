"""Pages: the catalogue, and the office page “who is eligible for X in year Y” with an XLSX
export (a background job)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards import selectors, tasks
from awards.forms import EligibilityQueryForm
from awards.models import Rule
from emulation_portal.jobs import start_job

PAGE_SIZE = 50


def _page_of(stream, number: int, size: int = PAGE_SIZE):
    """Walk the verdict stream once: keep one page of it, count the rest."""
    start, items, total, eligible = (number - 1) * size, [], 0, 0
    for v in stream:
        if start <= total < start + size:
            items.append(v)
        total += 1
        eligible += v.eligible
    paginator = Paginator(range(total), size)
    page = paginator.get_page(number)
    return items, page, total, eligible


def _form(request):
    data = (
        request.GET
        if "year" in request.GET
        else {"year": selectors.default_year(), "eligible_only": "on"}
    )
    return EligibilityQueryForm(data)


@login_required
def eligibility_list(request):
    if not request.user.has_perm("awards.eligibility_list"):
        raise PermissionDenied
    form = _form(request)
    context = {"form": form, "verdicts": [], "page": None, "total": 0, "eligible": 0}
    if form.is_valid():
        d = form.cleaned_data
        try:
            stream = selectors.population_verdicts(
                request.user,
                year=d["year"],
                award_code=d["award"].code if d["award"] else None,
                subject_type=d["subject"] or None,
                eligible_only=d["eligible_only"],
            )
            number = request.GET.get("page", "1")
            number = int(number) if number.isdigit() and int(number) > 0 else 1
            items, page, total, eligible = _page_of(stream, number)
            context.update(verdicts=items, page=page, total=total, eligible=eligible)
        except ValidationError as exc:
            form.add_error(None, exc)
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    return render(request, "awards/eligibility_list.html", context)


@login_required
@require_POST
def eligibility_export(request):
    if not request.user.has_perm("awards.export_eligibility"):
        raise PermissionDenied
    form = EligibilityQueryForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect("awards:eligibility")
    d = form.cleaned_data
    params = {
        "year": d["year"],
        "award": d["award"].code if d["award"] else "",
        "subject": d["subject"],
        "eligible_only": d["eligible_only"],
        "language": get_language(),
    }
    job = start_job(request.user, "eligibility_xlsx", tasks.export_eligibility, params)
    messages.info(request, _("The spreadsheet is being prepared."))
    return redirect("job-detail", pk=job.pk)


@login_required
def catalogue(request):
    in_force = selectors.rule_set_in_force(timezone.localdate())
    rules = (
        Rule.objects.filter(rule_set=in_force)
        .select_related("award_type", "rule_set")
        .order_by("award_type__order", "subject")
        if in_force
        else Rule.objects.none()
    )
    return render(
        request,
        "awards/catalogue.html",
        {
            "types": selectors.catalogue(),
            "rules": rules,
            "in_force": in_force,
            "rule_sets": selectors.rule_sets(),
        },
    )
