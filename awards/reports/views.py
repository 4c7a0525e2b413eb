"""Reporting pages: ask for the yearly summary (a job page with progress, or the filed
edition of a closed year), download a statistical form of a year, and the filed editions.
The dashboard is built on :mod:`awards.reports.figures` elsewhere."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awards.models import SummaryEdition
from awards.reports import charts, figures, forms, services, statforms, summary
from emulation_portal.models import Job
from units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": "application/pdf"}


def _unit_param(request, code: str) -> Unit | None:
    """The unit of ``code`` when the user may read its figures (else 404), None for ''."""
    code = (code or "").strip()
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        raise Http404
    if not request.user.has_perm("reports.view_figures", unit):
        if unit is None:
            raise PermissionDenied
        raise Http404
    return unit


@login_required
@require_GET
def dashboard(request):
    """The year's figures of the ministry or one unit (``?year=&unit=`` in the URL) as the
    summary's charts, each followed by its numbers; a unit officer sees their own units."""
    if not request.user.has_perm("reports.browse"):
        raise PermissionDenied
    default_year = timezone.localdate().year - 1
    error = None
    built = None
    try:
        year = figures.check_year(request.GET.get("year") or default_year)
    except ValidationError as exc:
        error, year = " ".join(exc.messages), default_year
    code = (request.GET.get("unit") or "").strip()[:40]
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        error = _unit_unknown()
    elif not request.user.has_perm("reports.view_figures", unit):
        error = _("Choose one of your units to see its figures.")
    if error is None:
        built = summary.build(year, unit, year - 1)
    return render(
        request,
        "reports/dashboard.html",
        {
            "year": year,
            "unit_code": code,
            "error": error,
            "summary": built,
            "charts": charts.for_summary(built) if built else [],
        },
    )


@login_required
def index(request):
    if not request.user.has_perm("reports.browse"):
        raise PermissionDenied
    year = timezone.localdate().year - 1
    form = forms.SummaryForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = _unit_param(request, data["unit"])
            result = services.request_summary(
                request.user,
                year=data["year"],
                unit=unit,
                first_year=data["first_year"],
                new_edition=data["new_edition"],
                fmt=data["format"] or "xlsx",
            )
        except Http404:
            form.add_error("unit", _unit_unknown())
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error(None, msg)
        else:
            if isinstance(result, Job):
                return redirect("job-detail", pk=result.pk)
            messages.info(request, _filed_message(result))
            return redirect("awards:reports:edition", pk=result.pk)
    office = request.user.has_perm("reports.new_edition")
    editions = SummaryEdition.objects.select_related("unit").order_by("-year", "scope", "-edition")
    # the forms' links: the whole ministry for the office; a unit officer's own units
    # (the ministry's figures are not theirs, so a link without a unit would be a 403)
    form_units = [None]
    if not office:
        from units.models import UnitOfficer
        from units.rules import officer_units

        editions = editions.filter(unit_id__in=officer_units(request.user))
        form_units = [
            uo.unit
            for uo in UnitOfficer.objects.filter(user=request.user)
            .select_related("unit")
            .order_by("unit__path")
        ]
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "layouts": statforms.layouts_in_force(year),
            "year": year,
            "editions": editions[:100],
            "office": office,
            "form_units": form_units,
        },
    )


def _unit_unknown():
    return _("There is no unit with this code among yours.")


def _filed_message(edition):
    return _(
        "The year is closed: this is its filed edition %(n)s. Ask for a new edition to "
        "file another."
    ) % {"n": edition.edition}


@login_required
@require_GET
def form_download(request, code, year):
    unit = _unit_param(request, request.GET.get("unit", ""))
    try:
        filename, content = statforms.render_xlsx(code, year, unit)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def edition_download(request, pk):
    edition = SummaryEdition.objects.select_related("unit").filter(pk=pk).first()
    if edition is None or not request.user.has_perm("reports.view_figures", edition.unit):
        raise Http404
    try:
        handle = edition.file.open("rb")
    except OSError:  # the stored file is gone (restored database, lost volume)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=(
            f"tong-ket-{edition.year}-{edition.scope or 'BO'}-ban-{edition.edition}"
            f".{edition.format}"
        ),
        content_type=CONTENT_TYPES.get(edition.format, XLSX),
    )
