"""Pages: the catalogue, and the office page “who is eligible for X in year Y” with an XLSX
export (a background job)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards import eligibility, selectors, tasks, verdict_store
from awards.forms import EligibilityQueryForm
from awards.models import Rule, VerdictPass
from emulation_portal.jobs import start_job
from units.models import Person, Unit

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


def _page_number(request) -> int:
    number = request.GET.get("page", "1")
    return int(number) if number.isdigit() and 0 < int(number) <= 10**6 else 1


def _stored_page(request, standing, d, context) -> None:
    """The page from the standing verdicts: one query for the rows, one for the totals."""
    common = {
        "year": d["year"],
        "rule_set_id": standing.rule_set.pk,
        "award_code": d["award"].code if d["award"] else None,
        "subject_type": d["subject"] or None,
    }
    total, eligible = selectors.stored_totals(request.user, **common)
    rows = selectors.stored_verdicts(request.user, eligible_only=d["eligible_only"], **common)
    page = Paginator(range(eligible if d["eligible_only"] else total), PAGE_SIZE).get_page(
        _page_number(request)
    )
    start = (page.number - 1) * PAGE_SIZE
    context.update(
        verdicts=list(rows[start : start + PAGE_SIZE]),
        page=page,
        total=eligible if d["eligible_only"] else total,
        eligible=eligible,
        stored=True,
    )


def _live_page(request, d, context) -> None:
    """No pass has finished for the year yet: judge the population now (slow)."""
    stream = selectors.population_verdicts(
        request.user,
        year=d["year"],
        award_code=d["award"].code if d["award"] else None,
        subject_type=d["subject"] or None,
        eligible_only=d["eligible_only"],
    )
    items, page, total, eligible = _page_of(stream, _page_number(request))
    context.update(verdicts=items, page=page, total=total, eligible=eligible, stored=False)


@login_required
def eligibility_list(request):
    """Who is eligible: read from the standing verdicts once a pass has made them (the
    reasons of one row are worked out when asked for); judged live until then, while the
    first pass of the year is asked for."""
    if not request.user.has_perm("awards.eligibility_list"):
        raise PermissionDenied
    form = _form(request)
    context = {"form": form, "verdicts": [], "page": None, "total": 0, "eligible": 0}
    if form.is_valid():
        d = form.cleaned_data
        try:
            standing = selectors.standing(d["year"])
            context["standing"] = standing
            if standing.done is not None:
                _stored_page(request, standing, d, context)
            else:
                if standing.open is None:
                    standing.open = verdict_store.request_pass(
                        request.user, d["year"], VerdictPass.Trigger.FIRST_VIEW
                    )
                _live_page(request, d, context)
            context["verdicts"] = selectors.with_status(context["verdicts"], d["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        award = d.get("award")
        # A letter is for one people's award: the selection needs the award chosen.
        context["can_select"] = bool(
            request.user.has_perm("nominations.create") and award and award.applies_to("person")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    context["can_recompute"] = request.user.has_perm("awards.recompute_eligibility")
    # The rows are those of the user's scope already: an officer may propose any of them.
    context["can_propose"] = request.user.has_perm("nominations.create")
    return render(request, "awards/eligibility_list.html", context)


@login_required
@require_POST
def eligibility_recompute(request):
    """The office's button: judge the year again now (a background pass)."""
    if not request.user.has_perm("awards.recompute_eligibility"):
        raise PermissionDenied
    form = EligibilityQueryForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect("awards:eligibility")
    year = form.cleaned_data["year"]
    try:
        verdict_store.request_pass(request.user, year, VerdictPass.Trigger.MANUAL)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(
            request, _("The verdicts of %(year)s are being computed again.") % {"year": year}
        )
    return redirect(f"{reverse('awards:eligibility')}?year={year}")


@login_required
def eligibility_why(request, subject_type: str, code: str):
    """The reasons of one subject's verdict (``?year=&award=``), worked out on demand: a
    fragment for htmx, the same list as a page otherwise."""
    model = Unit if subject_type == "unit" else Person
    subject = get_object_or_404(model, code=code)
    if not request.user.has_perm("awards.view_eligibility", subject):
        raise PermissionDenied
    year = None
    raw_year = request.GET.get("year", "")
    award = request.GET.get("award", "")
    problem, verdicts = "", []
    if not (raw_year.isdigit() and 1900 <= int(raw_year) <= 2100):
        problem = _("Choose a year.")
    else:
        year = int(raw_year)
        try:
            verdicts = eligibility.judge_subject(year, subject, [award] if award else None)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    template = (
        "awards/eligibility_why.html"
        if request.headers.get("HX-Request")
        else "awards/eligibility_why_page.html"
    )
    return render(
        request,
        template,
        {"subject": subject, "verdicts": verdicts, "year": year, "problem": problem},
    )


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
