"""Thin task wrappers: ids in, call a service."""

from celery import shared_task
from django.db import OperationalError

from emulation_portal.jobs import run_job
from units import exchange

RETRYING = {
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
}


@shared_task(name="units.export_xlsx", acks_late=True, **RETRYING)
def export_xlsx(job_id: int) -> str:
    """Write the whole registry as one XLSX workbook for the job; idempotent via run_job."""
    return run_job(job_id, exchange.export_job)


@shared_task(name="units.preview_upload", acks_late=True, **RETRYING)
def preview_upload(job_id: int) -> str:
    """Dry-run an uploaded import for its preview; writes nothing (run_job claims the job)."""
    return run_job(job_id, exchange.preview_job)


@shared_task(name="units.import_upload", acks_late=True, **RETRYING)
def import_upload(job_id: int) -> str:
    """Import a previewed upload for real; all or nothing, once (run_job claims the job)."""
    return run_job(job_id, exchange.import_job)
