"""Thin task wrappers: ids in, call the service. Rendering the same minutes twice is
harmless (``run_job`` claims a job once), so acks_late is safe."""

from celery import shared_task
from django.db import OperationalError

RETRYING = {
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
}


@shared_task(name="council.render_minutes", acks_late=True, **RETRYING)
def render_minutes(job_id: int) -> str:
    """Render a closed session's minutes (biên bản) into the job's result file."""
    from awards.council.services import minutes
    from emulation_portal.jobs import run_job

    return run_job(job_id, minutes.render)
