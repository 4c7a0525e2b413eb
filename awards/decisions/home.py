"""The decisions' part of a staff viewer's home page: decisions published in the last
``RECENT_DAYS`` days (one query)."""

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Decision, DecisionState
from emulation_portal.home import Task
from emulation_portal.permissions import is_viewer

RECENT_DAYS = 30


def recent(qs):
    """The decisions of ``qs`` published in the last ``RECENT_DAYS`` days."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    return qs.filter(state=DecisionState.PUBLISHED, published_at__gte=since)


def tasks(request) -> list[Task]:
    if not is_viewer(request.user):
        return []
    n = recent(Decision.objects.all()).aggregate(n=Count("pk"))["n"]
    return [
        Task(
            "decisions.recent",
            _("Award decisions published in the last 30 days"),
            n,
            f"{reverse('decisions:index')}?recent=1",
            order=50,
        )
    ]
