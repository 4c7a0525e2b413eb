"""Thin task wrappers: ids in, call the awards code."""

from contextlib import suppress

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


# --------------------------------------------------------------------------- standing verdicts


@shared_task(name="awards.verdict_pass", acks_late=True, **RETRYING)
def verdict_pass(pass_id: int) -> int:
    """Start a pass: its chunks go out as one chord over the workers, closed by
    ``verdict_finish``; a chunk that fails past its retries fails the pass."""
    from celery import chord

    from awards import verdict_store

    chunks = verdict_store.begin_pass(pass_id)
    if chunks is None:
        return 0
    if not chunks:
        verdict_finish.delay(pass_id)
        return 0
    chord(
        [verdict_chunk.si(pass_id, chunk) for chunk in chunks],
        verdict_finish.si(pass_id).on_error(verdict_failed.si(pass_id)),
    ).apply_async()
    return len(chunks)


@shared_task(name="awards.verdict_chunk", acks_late=True, **RETRYING)
def verdict_chunk(pass_id: int, chunk: dict) -> int:
    """One chunk of a pass (idempotent: it replaces its own subjects' rows)."""
    from awards import verdict_store

    return verdict_store.judge_chunk(pass_id, chunk)


@shared_task(name="awards.verdict_finish", acks_late=True, **RETRYING)
def verdict_finish(pass_id: int) -> None:
    from awards import verdict_store

    verdict_store.finish_pass(pass_id)


@shared_task(name="awards.verdict_failed")
def verdict_failed(pass_id: int, *args) -> None:
    from awards import verdict_store

    verdict_store.fail_pass(pass_id, "a chunk failed; see the worker log")


@shared_task(name="awards.drain_verdicts", acks_late=True, **RETRYING)
def drain_verdicts() -> int:
    """Re-judge the subjects whose facts changed (idempotent: a drained subject is gone)."""
    from awards import verdict_store

    return verdict_store.drain_dirty()


@shared_task(name="awards.nightly_verdicts")
def nightly_verdicts() -> int:
    """The nightly pass: every stored year and the last finished one."""
    from django.core.exceptions import ValidationError

    from awards import selectors, verdict_store
    from awards.models import VerdictPass

    passes = verdict_store.request_passes_for_stored_years(None, VerdictPass.Trigger.NIGHTLY)
    with suppress(ValidationError):  # a year without a rule set: nothing to judge
        verdict_store.request_pass(None, selectors.default_year(), VerdictPass.Trigger.NIGHTLY)
    return len(passes)
