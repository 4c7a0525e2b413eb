"""Thin task wrappers: ids in, fetch, call a service."""

from celery import shared_task
from django.db import OperationalError

from emulation_portal import services
from emulation_portal.jobs import run_job

# Settings give every task soft and hard time limits; these add bounded retries for
# transient database errors. Only idempotent tasks acknowledge late.
RETRYING = {
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
}


@shared_task(name="portal.ping", acks_late=True)
def ping(value: str) -> str:
    """Echo ``value``: proves a round trip through the broker to a worker and back."""
    return f"pong:{value}"


@shared_task(name="portal.export_audit_pdf", acks_late=True, **RETRYING)
def export_audit_pdf(job_id: int) -> str:
    """Render the audit log extract a job asks for; idempotent through ``run_job``."""
    return run_job(job_id, services.render_audit_extract)
