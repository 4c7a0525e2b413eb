"""E-mails about nominations, sent after commit by ``awards.nominations.tasks``. Reads only.

Recipients: on submit, the reviewers (the office for ministry-level titles; the officers of
the proposing unit for unit-level ones); on return and accept, the officers of the
proposing unit and the nomination's author; on an objection, the office.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import Nomination, NominationLevel
from awards.models.nominations import EDITABLE_STATES
from emulation_portal.models import Role, User
from units.models import Unit, UnitOfficer


def _office_emails() -> set[str]:
    return set(
        User.objects.filter(is_active=True, role__in=[Role.OFFICE, Role.ADMIN])
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _officer_emails(unit_ids) -> dict[int, set[str]]:
    """Officers' addresses per unit id, counting officers of units above (their scope
    covers the unit)."""
    units = list(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "path"))
    if not units:
        return {}
    prefixes = {path[: i + 1] for _pk, path in units for i, ch in enumerate(path) if ch == "."}
    rows = (
        UnitOfficer.objects.filter(unit__path__in=prefixes, user__is_active=True)
        .exclude(user__email="")
        .values_list("unit__path", "user__email")
    )
    out: dict[int, set[str]] = {}
    for officer_path, email in rows:
        for pk, path in units:
            if path.startswith(officer_path):
                out.setdefault(pk, set()).add(email)
    return out


def recipients(nomination: Nomination, event: str) -> set[str]:
    officers = _officer_emails([nomination.proposing_unit_id]).get(
        nomination.proposing_unit_id, set()
    )
    if event == "submit":
        return officers if nomination.level == NominationLevel.UNIT else _office_emails()
    if event in ("return", "accept"):
        author = nomination.created_by.email if nomination.created_by_id else ""
        return officers | ({author} if author else set())
    if event == "objection":
        return _office_emails()
    return set()


def nomination_event(nomination_id: int, event: str) -> int:
    n = Nomination.objects.select_related(
        "award_type", "person", "unit", "proposing_unit", "created_by"
    ).get(pk=nomination_id)
    to = sorted(recipients(n, event))
    if not to or event not in ("submit", "return", "accept", "objection"):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        label = f"{n.award_type.name} {n.year} - {n.nominee}"
        subject = {
            "submit": _("Nomination submitted: %(n)s"),
            "return": _("Nomination returned for correction: %(n)s"),
            "accept": _("Nomination accepted for the council: %(n)s"),
            "objection": _("Objection raised against a nominee: %(n)s"),
        }[event] % {"n": label}
        body = _("%(unit)s: %(what)s. Open the portal to see the dossier.") % {
            "unit": n.proposing_unit.name,
            "what": subject,
        }
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, to)], fail_silently=False)


def deadline_reminders(days: int = 3, today: dt.date | None = None) -> int:
    """E-mail the officers of units with draft or returned nominations whose nominations
    deadline (the unit's extension, else the phase's) is exactly ``days`` days away."""
    from campaigns.models import Phase, PhaseExtension, PhaseKind

    today = today or timezone.localdate()
    target = today + dt.timedelta(days=days)
    pending = Nomination.objects.filter(state__in=EDITABLE_STATES, campaign__isnull=False)
    phases = {
        p.campaign_id: p
        for p in Phase.objects.filter(
            kind=PhaseKind.NOMINATIONS,
            campaign_id__in=pending.values("campaign_id"),
        )
    }
    if not phases:
        return 0
    extensions = {
        (e.phase_id, e.unit_id): e.closes_on
        for e in PhaseExtension.objects.filter(phase__in=list(phases.values()))
    }
    counts: dict[int, int] = {}
    for campaign_id, unit_id in pending.filter(Q(campaign_id__in=list(phases))).values_list(
        "campaign_id", "proposing_unit_id"
    ):
        phase = phases[campaign_id]
        deadline = extensions.get((phase.pk, unit_id), phase.closes_on)
        if deadline == target:
            counts[unit_id] = counts.get(unit_id, 0) + 1
    if not counts:
        return 0
    emails = _officer_emails(list(counts))
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id, n in counts.items():
            to = sorted(emails.get(unit_id, ()))
            if not to:
                continue
            subject = _("Reminder: nominations are due on %(date)s") % {
                "date": target.strftime("%d/%m/%Y")
            }
            body = _(
                "Your unit has %(n)s nomination(s) not yet submitted. The deadline is %(date)s."
            ) % {"n": n, "date": target.strftime("%d/%m/%Y")}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, to))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
