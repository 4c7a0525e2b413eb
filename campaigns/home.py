"""The campaigns' part of the home page (``emulation_portal.home``): a unit officer's
registrations to submit, bloc pledges to sign and scores to enter, each with its deadline;
the office's launched campaigns nobody has registered for. A fixed number of queries."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import Phase, PhaseKind
from emulation_portal.home import Task, is_urgent
from emulation_portal.permissions import is_office, is_unit_officer


def _phase_deadline(year: int, kind: str):
    """The annual campaign's deadline for a phase of ``year`` (None without one)."""
    return (
        Phase.objects.filter(campaign__year=year, campaign__kind="annual", kind=kind)
        .values_list("closes_on", flat=True)
        .first()
    )


def tasks(request) -> list[Task]:
    user = request.user
    today = timezone.localdate()
    year = today.year
    out = []
    if is_office(user):
        n = selectors.campaigns_without_registrations().count()
        out.append(
            Task(
                "campaigns.unregistered",
                _("Launched campaigns no unit has registered for"),
                n,
                f"{reverse('campaigns:list')}?registrations=none",
                order=16,
            )
        )
    if is_unit_officer(user):
        reg = selectors.campaigns_to_register(user, today).aggregate(
            n=Count("pk"),
            due=Min("phases__closes_on", filter=Q(phases__kind=PhaseKind.REGISTRATION)),
        )
        out.append(
            Task(
                "campaigns.register",
                _("Campaign registrations to submit"),
                reg["n"],
                f"{reverse('campaigns:list')}?todo=register",
                deadline=reg["due"],
                order=23,
                urgent=is_urgent(reg["due"], today),
            )
        )
        sign = selectors.pledges_to_sign(user, year).count()
        sign_due = _phase_deadline(year, PhaseKind.PLEDGE) if sign else None
        out.append(
            Task(
                "campaigns.sign",
                _("Bloc pledges waiting for your unit's signature"),
                sign,
                f"{reverse('campaigns:my-blocs')}?year={year}&todo=sign",
                deadline=sign_due,
                order=24,
                urgent=is_urgent(sign_due, today),
            )
        )
        scores = selectors.scores_due(user, year, today).count()
        scores_due = _phase_deadline(year, PhaseKind.SCORING) if scores else None
        out.append(
            Task(
                "campaigns.scores",
                _("Blocs where your unit's year-end scores are incomplete"),
                scores,
                f"{reverse('campaigns:my-blocs')}?year={year}&todo=scores",
                deadline=scores_due,
                order=25,
                urgent=is_urgent(scores_due, today),
            )
        )
    return out
