"""E-mails sent after commit by ``campaigns.tasks``. Reads only; no business writes."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Ranking
from units.models import BlocMembership, UnitOfficer


def _officer_emails(unit_ids) -> dict[int, list[str]]:
    """Officers' e-mail addresses per unit id (officers of the unit itself)."""
    out: dict[int, list[str]] = {}
    rows = (
        UnitOfficer.objects.filter(unit_id__in=unit_ids, user__is_active=True)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    )
    for unit_id, email in rows:
        out.setdefault(unit_id, []).append(email)
    return out


def registration_reminders(campaign_id: int, unit_ids: list[int]) -> int:
    campaign = Campaign.objects.get(pk=campaign_id)
    emails = _officer_emails(unit_ids)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: register for %(campaign)s") % {"campaign": campaign.name}
        body = _(
            "Your unit has not yet submitted its emulation registration for %(campaign)s. "
            "Please register on the portal before the deadline."
        ) % {"campaign": campaign.name}
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, addresses) for addresses in emails.values()
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def ranking_published(ranking_id: int) -> int:
    ranking = Ranking.objects.select_related("bloc").get(pk=ranking_id)
    unit_ids = BlocMembership.objects.filter(bloc=ranking.bloc, year=ranking.year).values_list(
        "unit_id", flat=True
    )
    emails = _officer_emails(list(unit_ids))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(bloc)s: the %(year)s ranking is published") % {
            "bloc": ranking.bloc.name,
            "year": ranking.year,
        }
        body = _("The ranking of %(bloc)s for %(year)s is published on the portal.") % {
            "bloc": ranking.bloc.name,
            "year": ranking.year,
        }
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, addresses) for addresses in emails.values()
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
