"""Thin task wrappers: ids in, call ``awards.nominations.notifications``. Bounded retries
on transient database errors; sending the same e-mail twice is harmless, so no acks_late."""

from celery import shared_task
from django.db import OperationalError

RETRYING = {
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
}


@shared_task(name="nominations.notify", **RETRYING)
def notify_nomination(nomination_id: int, event: str) -> int:
    """E-mail the people concerned by ``event`` (submit, return, accept, objection)."""
    from awards.nominations import notifications

    return notifications.nomination_event(nomination_id, event)


@shared_task(name="nominations.remind_deadlines", **RETRYING)
def remind_deadlines(days: int = 3) -> int:
    """Periodic: remind proposing units of unsubmitted nominations whose deadline is
    ``days`` days away (run daily by Celery beat)."""
    from awards.nominations import notifications

    return notifications.deadline_reminders(days)
