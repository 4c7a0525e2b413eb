"""The yearly summary as a PDF in the administrative format: the same tables as the XLSX
(:mod:`awards.reports.summary`) with their charts (:mod:`awards.reports.charts`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from awards.reports import charts
from awards.reports.summary import Summary
from emulation_portal.pdf import render_pdf


def render(built: Summary, on_laid_out=None) -> bytes:
    """The PDF bytes of ``built``; reads nothing more from the database."""
    scope = built.unit.name if built.unit else _("The whole ministry")
    return render_pdf(
        "reports/pdf/summary.html",
        {"summary": built, "charts": charts.for_summary(built), "scope": scope},
        on_laid_out=on_laid_out,
    )
