"""Thin task wrappers: ids in, call :mod:`awards.reports.services`."""

from celery import shared_task
from django.db import OperationalError

from emulation_portal.jobs import run_job


@shared_task(
    name="reports.render_summary_xlsx",
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=True,
    retry_jitter=True,
)
def render_summary_xlsx(job_id: int) -> str:
    """Render (and, for a closed year, file) the yearly summary's XLSX for the job; run_job
    claims the job, so a redelivered task does no work twice."""
    from awards.reports import services

    return run_job(job_id, services.summary_job)


@shared_task(
    name="reports.render_summary_pdf",
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=True,
    retry_jitter=True,
)
def render_summary_pdf(job_id: int) -> str:
    """The summary's PDF with charts (filed like the XLSX, as its own numbered editions)."""
    from awards.reports import services

    return run_job(job_id, services.summary_job)
