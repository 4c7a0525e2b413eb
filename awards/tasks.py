"""Thin task wrappers: ids in, call the awards code."""

from celery import shared_task
from django.db import OperationalError
from django.utils import translation

from emulation_portal.jobs import run_job

RETRYING = {
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
}


def _work(job, reporter):
    from awards.export import eligibility_xlsx

    p = job.params
    with translation.override(p.get("language") or translation.get_language() or "vi"):
        content = eligibility_xlsx(
            job.owner,
            year=int(p["year"]),
            award=p.get("award", ""),
            subject=p.get("subject", ""),
            eligible_only=bool(p.get("eligible_only")),
            progress=lambda n: reporter.progress(n),
        )
    return f"eligibility-{p['year']}-{p.get('award') or 'all'}.xlsx", content


@shared_task(name="awards.export_eligibility", acks_late=True, **RETRYING)
def export_eligibility(job_id: int) -> str:
    """Write the eligibility spreadsheet a job asks for; idempotent through ``run_job``."""
    return run_job(job_id, _work)
