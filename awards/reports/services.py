"""Writes of yearly reporting: starting the summary's rendering, and filing a closed year's
summary as a numbered edition (a re-run returns the filed file unless the office asks for
a new edition).

A year is *closed* when its annual campaign is closed or, without a closed campaign, once
the calendar year has ended. An open year's summary is a draft: the job's file only, never
filed.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import SummaryEdition
from awards.reports import figures, summary
from campaigns.models import Campaign, CampaignKind, CampaignState
from emulation_portal import audit, jobs
from emulation_portal.models import Job
from units.models import Unit

JOB_KIND = "reports.summary_xlsx"
JOB_KINDS = {"xlsx": JOB_KIND, "pdf": "reports.summary_pdf"}
FORMATS = tuple(JOB_KINDS)


def year_closed(year: int) -> bool:
    """True once ``year``'s annual campaign is closed, or the calendar year has ended."""
    if year < timezone.localdate().year:
        return True
    return Campaign.objects.filter(
        year=year, kind=CampaignKind.ANNUAL, state=CampaignState.CLOSED
    ).exists()


def filed_edition(year: int, unit: Unit | None, fmt: str = "xlsx") -> SummaryEdition | None:
    """The latest filed edition of the summary of ``year`` for the scope, if any."""
    return (
        SummaryEdition.objects.filter(year=year, scope=unit.code if unit else "", format=fmt)
        .order_by("-edition")
        .first()
    )


def request_summary(
    actor,
    *,
    year,
    unit: Unit | None = None,
    first_year=None,
    new_edition: bool = False,
    fmt: str = "xlsx",
) -> SummaryEdition | Job:
    """Ask for the summary of ``year``: the filed edition when the year is closed and one
    exists (unless ``new_edition``: the office only), else a job that renders it (and, for
    a closed year, files the next edition). Nothing is written for bad input."""
    from awards.reports import rules as report_rules
    from awards.reports.tasks import render_summary_pdf, render_summary_xlsx

    if fmt not in FORMATS:
        raise ValidationError(_("The summary is made as XLSX or PDF."))
    year = figures.check_year(year)
    first_year = figures.check_year(
        first_year if first_year not in (None, "") else year - summary.SPAN_DEFAULT
    )
    if first_year > year:
        raise ValidationError(_("The comparison must start before the year reported on."))
    if not report_rules.can_view_figures(actor, unit):
        raise PermissionDenied
    if new_edition and not report_rules.is_office(actor):
        raise PermissionDenied
    filed = filed_edition(year, unit, fmt)
    if filed is not None and not new_edition and year_closed(year):
        return filed
    params = {
        "year": year,
        "unit": unit.code if unit else "",
        "first_year": first_year,
        "new_edition": bool(new_edition),
    }
    if fmt == "pdf":
        return jobs.start_job(
            actor, JOB_KINDS["pdf"], render_summary_pdf, {**params, "format": "pdf"}
        )
    return jobs.start_job(actor, JOB_KIND, render_summary_xlsx, params)


def summary_job(job: Job, reporter) -> tuple[str, bytes]:
    """The work of the rendering job: compute every table (progress per year of the span),
    write the XLSX (or the PDF with charts: ``params["format"]``) and, for a closed year, file it (or return the filed edition when one
    exists and no new edition was asked for: a redelivered task files nothing twice)."""
    p = job.params
    year = figures.check_year(p["year"])
    unit = figures.resolve_unit(p.get("unit") or None)
    fmt = p.get("format", "xlsx")
    scope = unit.code if unit else "BO"
    closed = year_closed(year)
    if closed and not p.get("new_edition"):
        filed = filed_edition(year, unit, fmt)
        if filed is not None:
            with filed.file.open("rb") as fh:
                return _filename(year, scope, filed.edition, fmt), fh.read()
    built = summary.build(
        year, unit, p.get("first_year"), progress=lambda d, t: reporter.progress(d, t)
    )
    if fmt == "pdf":
        from awards.reports import summary_pdf

        content = summary_pdf.render(built)
    else:
        content = summary.render_xlsx(built)
    if not closed:
        return f"tong-ket-{year}-{scope}-du-thao.{fmt}", content
    edition = file_edition(
        job.owner,
        year=year,
        unit=unit,
        first_year=built.first_year,
        content=content,
        job=job,
        fmt=fmt,
    )
    return _filename(year, scope, edition.edition, fmt), content


def _filename(year: int, scope: str, edition: int, fmt: str = "xlsx") -> str:
    return f"tong-ket-{year}-{scope}-ban-{edition}.{fmt}"


def file_edition(
    actor,
    *,
    year: int,
    unit: Unit | None,
    first_year: int,
    content: bytes,
    job: Job | None = None,
    fmt: str = "xlsx",
) -> SummaryEdition:
    """File ``content`` as the next edition of the summary of ``year`` for the scope, with
    its SHA-256; one audit event."""
    scope = unit.code if unit else ""
    with transaction.atomic():
        # the scope's editions are locked while the next number is taken; before the
        # first edition there is no row to lock, and the unique constraint decides
        last = max(
            SummaryEdition.objects.select_for_update()
            .filter(year=year, scope=scope, format=fmt)
            .values_list("edition", flat=True),
            default=0,
        )
        edition = SummaryEdition(
            year=year,
            unit=unit,
            scope=scope,
            format=fmt,
            first_year=first_year,
            edition=last + 1,
            checksum=hashlib.sha256(content).hexdigest(),
            created_by=actor,
        )
        edition.file.save(
            f"tong-ket-{year}-{scope or 'BO'}-{edition.edition}.{fmt}",
            ContentFile(content),
            save=False,
        )
        try:
            with transaction.atomic():
                edition.save()
        except IntegrityError:
            raise ValidationError(
                _("Another edition of this summary was filed at the same time; run it again.")
            ) from None
        audit.record(
            actor,
            "reports.summary_filed",
            edition,
            after={
                "year": year,
                "scope": scope or "BO",
                "edition": edition.edition,
                "format": fmt,
                "checksum": edition.checksum,
                "job": job.pk if job else None,
            },
        )
    return edition
