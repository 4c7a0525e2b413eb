"""The council's part of the home page: open sessions waiting for the user's vote (one
query)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.council import selectors
from emulation_portal.home import Task


def tasks(request) -> list[Task]:
    got = selectors.to_vote(request.user).aggregate(n=Count("pk"), day=Min("date"))
    return [
        Task(
            "council.vote",
            _("Council sessions waiting for your vote"),
            got["n"],
            f"{reverse('council:index')}?vote=pending",
            deadline=got["day"],
            order=5,
            urgent=True,
        )
    ]
