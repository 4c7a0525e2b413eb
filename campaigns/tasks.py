"""Thin task wrappers: ids in, fetch, call the notification code in ``campaigns.notify``."""

from celery import shared_task
from django.db import OperationalError

RETRYING = {
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "retry_backoff": True,
    "retry_jitter": True,
}


@shared_task(name="campaigns.send_registration_reminders", **RETRYING)
def send_registration_reminders(campaign_id: int, unit_ids: list[int]) -> int:
    """E-mail the officers of units that have not registered for the campaign."""
    from campaigns import notify

    return notify.registration_reminders(campaign_id, unit_ids)


@shared_task(name="campaigns.notify_ranking_published", **RETRYING)
def notify_ranking_published(ranking_id: int) -> int:
    """E-mail the officers of the bloc's member units that the ranking is published."""
    from campaigns import notify

    return notify.ranking_published(ranking_id)
