"""Thin task wrappers: ids in, call ``awards.decisions.services.documents``. Rendering is
keyed by content (a redelivered task finds the stored file and renders nothing), so
``acks_late`` is safe: a worker killed mid-render has its task delivered again."""

from celery import shared_task
from django.db import OperationalError

RENDERING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
    "soft_time_limit": 120,
    "time_limit": 150,
}


@shared_task(name="decisions.render_decision", **RENDERING)
def render_decision(decision_id: int) -> int:
    """Render the decision with its attached list (once per content); returns the
    document's id."""
    from awards.decisions.services import documents

    return documents.ensure_decision(decision_id).pk


@shared_task(name="decisions.render_certificate", **RENDERING)
def render_certificate(item_id: int) -> int:
    """Render the certificate of one line of a signed decision (once per content)."""
    from awards.decisions.services import documents

    return documents.ensure_certificate(item_id).pk
