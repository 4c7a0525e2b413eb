"""Reporting pages: ask for the yearly summary (a job page with progress, or the filed
edition of a closed year), download a statistical form of a year, and the filed editions.
The dashboard is built on :mod:`awards.reports.figures` elsewhere."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awards.models import AwardType, SummaryEdition
from awards.reports import charts, figures, forms, selectors, services, statforms, summary
from emulation_portal.models import Job
from units.models import MIN_YEAR, Bloc, Unit

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


def _figures_scope(request):
    """(year, unit code, unit, error) of ``?year=&unit=`` for the figures pages."""
    default_year = timezone.localdate().year - 1
    error = None
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
    return year, code, unit, error


def _link(name: str, year, **params) -> str:
    query = {"year": year, **{k: v for k, v in params.items() if v}}
    return f"{reverse('awards:reports:' + name)}?{urlencode(query)}"


def _records_link(year, **params) -> str:
    return _link("records", year, **params)


@login_required
@require_GET
def dashboard(request):
    """The year's figures of the ministry or one unit (``?year=&unit=&bloc=&award=`` in the
    URL) as the summary's charts, each followed by its numbers, and the numbers by award and
    by unit, each a link to the award records it counts; a unit officer sees their own
    units."""
    if not request.user.has_perm("reports.browse"):
        raise PermissionDenied
    year, code, unit, error = _figures_scope(request)
    bloc = (request.GET.get("bloc") or "").strip()[:40]
    award = (request.GET.get("award") or "").strip()[:40]
    if error is None and award and not AwardType.objects.filter(code=award).exists():
        error = _("There is no award with the code %(code)s.") % {"code": award}
    if error is None and bloc and not Bloc.objects.filter(code=bloc).exists():
        error = _("There is no bloc or cluster with the code %(code)s.") % {"code": bloc}
    built = None
    award_rows, unit_rows = [], []
    if error is None:
        built = summary.build(year, unit, year - 1)
        scope = {"unit": code, "bloc": bloc}
        # a unit's own counts of one award (the summary's table has only LDTT and CSTD_CS)
        by_code = {u.code: u for u in figures.compute(year, unit).units} if award else {}
        for row in built.table("by_award").rows:
            if award and row[0] != award or not award and not row[5]:
                continue
            award_rows.append(
                {
                    "code": row[0],
                    "name": row[1],
                    "cells": [
                        (row[3], _records_link(year, award=row[0], subject="person", **scope)),
                        (row[4], _records_link(year, award=row[0], subject="unit", **scope)),
                        (row[5], _records_link(year, award=row[0], **scope)),
                    ],
                }
            )
        for row in built.table("by_unit").rows:
            if bloc and row[2] != bloc:
                continue
            link = {"unit": row[0], "direct": "1", "award": award}
            if award:
                own = by_code.get(row[0])
                cells = [
                    (row[3], None),
                    (
                        own.person_awards.get(award, 0) if own else 0,
                        _records_link(year, subject="person", **link),
                    ),
                    (
                        own.unit_awards.get(award, 0) if own else 0,
                        _records_link(year, subject="unit", **link),
                    ),
                ]
            else:
                cells = [
                    (row[3], None),
                    (row[5], _records_link(year, subject="person", **{**link, "award": "LDTT"})),
                    (row[6], _records_link(year, subject="person", **{**link, "award": "CSTD_CS"})),
                    (row[5] + row[6] + row[7], _records_link(year, subject="person", **link)),
                    (row[8], _records_link(year, subject="unit", **link)),
                ]
            unit_rows.append(
                {
                    "code": row[0],
                    "name": row[1],
                    "bloc": row[2],
                    "cells": cells,
                    "years": reverse("awards:reports:unit-years", args=[row[0]]) + f"?year={year}",
                }
            )
    unit_columns = (
        [_("Staff"), _("Individual awards"), _("Collective awards")]
        if award
        else [_("Staff"), "LDTT", "CSTD_CS", _("Individual awards"), _("Collective awards")]
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "year": year,
            "unit_code": code,
            "bloc": bloc,
            "award": award,
            "blocs": Bloc.objects.order_by("code").values_list("code", "name"),
            "award_types": [
                (at.code, at.name) for at in AwardType.objects.order_by("order", "code")
            ],
            "error": error,
            "summary": built,
            "charts": charts.for_summary(built) if built else [],
            "award_rows": award_rows,
            "unit_rows": unit_rows,
            "unit_columns": unit_columns,
            "unit_years": (
                reverse("awards:reports:unit-years", args=[code]) + f"?year={year}"
                if unit is not None
                else None
            ),
        },
    )


@login_required
@require_GET
def records(request):
    """The award records behind a dashboard number (``?year=&unit=&direct=&award=&subject=
    &bloc=``), paginated; a unit officer sees their own units only."""
    if not request.user.has_perm("reports.browse"):
        raise PermissionDenied
    year, code, unit, error = _figures_scope(request)
    subject = request.GET.get("subject") or ""
    subject = subject if subject in ("person", "unit") else ""
    award = (request.GET.get("award") or "").strip()[:40]
    bloc = (request.GET.get("bloc") or "").strip()[:40]
    direct = request.GET.get("direct") == "1"
    page = None
    if error is None:
        qs = selectors.records_behind(
            year, unit=unit, direct=direct, award=award, subject=subject, bloc=bloc
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reports/records.html",
        {
            "year": year,
            "unit": unit,
            "direct": direct,
            "award": award,
            "subject": subject,
            "bloc": bloc,
            "error": error,
            "page": page,
            "query": params.urlencode(),
            "dashboard": _link("dashboard", year, unit=code, bloc=bloc, award=award),
        },
    )


@login_required
@require_GET
def unit_years(request, code):
    """One unit's ten years up to ``?year=``: per year, its staff and awards (with its
    sub-units) as a chart and its numbers, and each direct sub-unit's awards per year."""
    if not request.user.has_perm("reports.browse"):
        raise PermissionDenied
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not request.user.has_perm("reports.view_figures", unit):
        raise Http404
    default_year = timezone.localdate().year - 1
    error = None
    try:
        last = figures.check_year(request.GET.get("year") or default_year)
    except ValidationError as exc:
        error, last = " ".join(exc.messages), default_year
    years = [y for y in range(last - 9, last + 1) if y >= MIN_YEAR]
    rows, children, chart = [], [], None
    if error is None:
        kids = list(unit.children.order_by("path").values_list("code", "name", "path"))
        per_child = {c[0]: [] for c in kids}
        for year in years:
            fig = figures.compute(year, unit)
            ind = fig.individual()
            collective = sum(fig.unit_awards.values())
            ldtt = sum(n for (c, _k, _g, _l), n in fig.person_awards.items() if c == "LDTT")
            cstd = sum(n for (c, _k, _g, _l), n in fig.person_awards.items() if c == "CSTD_CS")
            staff = fig.staff_figures()["total"]
            rows.append(
                {
                    "year": year,
                    "cells": [
                        (staff, None),
                        (ldtt, _records_link(year, unit=code, subject="person", award="LDTT")),
                        (
                            cstd,
                            _records_link(year, unit=code, subject="person", award="CSTD_CS"),
                        ),
                        (ind["total"], _records_link(year, unit=code, subject="person")),
                        (collective, _records_link(year, unit=code, subject="unit")),
                    ],
                }
            )
            for child_code, _name, path in kids:
                n = sum(
                    sum(u.person_awards.values()) + sum(u.unit_awards.values())
                    for u in fig.units
                    if u.path.startswith(path)
                )
                per_child[child_code].append((n, _records_link(year, unit=child_code)))
        children = [{"code": c, "name": name, "cells": per_child[c]} for c, name, _p in kids]
        chart = charts.bar(
            "unit-years",
            _("Awards per year of %(unit)s") % {"unit": unit.name},
            [str(r["year"]) for r in rows],
            [
                (_("Individual awards"), [r["cells"][3][0] for r in rows]),
                (_("Collective awards"), [r["cells"][4][0] for r in rows]),
            ],
        )
    return render(
        request,
        "reports/unit_years.html",
        {
            "unit": unit,
            "year": last,
            "years": years,
            "rows": rows,
            "children": children,
            "chart": chart,
            "error": error,
            "columns": [
                _("Staff"),
                "LDTT",
                "CSTD_CS",
                _("Individual awards"),
                _("Collective awards"),
            ],
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
