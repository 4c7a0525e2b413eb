"""A unit's registration for a campaign and the reminders to units that have not registered."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors, tasks
from campaigns.models import Campaign, CampaignState, PhaseKind, Registration, RegistrationEntry
from campaigns.services.common import _require, _today
from emulation_portal import audit
from units.models import Person, Unit


@dataclass
class PersonTarget:
    person: Person
    title_code: str


def registration_closed_reason(campaign: Campaign, unit: Unit) -> str | None:
    """Why ``unit`` can no longer register for ``campaign`` (the campaign is not running,
    or the unit's registration deadline has passed), or None while it can. Changes nothing;
    the registration page shows the reason before anyone types."""
    if campaign.state != CampaignState.LAUNCHED:
        return _("Registration is only possible while the campaign runs.")
    phase = campaign.phases.filter(kind=PhaseKind.REGISTRATION).first()
    if phase is not None:
        deadline = selectors.phase_deadline(phase, unit)
        if _today() > deadline:
            return _("The registration deadline (%(date)s) has passed.") % {
                "date": deadline.strftime("%d/%m/%Y")
            }
    return None


def _check_registration_open(campaign: Campaign, unit: Unit):
    reason = registration_closed_reason(campaign, unit)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def save_registration(
    actor,
    campaign: Campaign,
    unit: Unit,
    *,
    collective_title: str,
    targets: str = "",
    people: list[PersonTarget] | None = None,
    initiatives: list[str] | None = None,
    submit: bool = False,
) -> Registration:
    """Create or replace ``unit``'s registration for ``campaign`` (its entries are replaced
    as a whole); ``submit`` marks it submitted. Only the unit's officer, before the deadline.
    """
    _require(actor, "campaigns.edit_registration", unit)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_registration_open(campaign, unit)
    collective_title = (collective_title or "").strip().upper()
    if not collective_title:
        raise ValidationError({"collective_title": _("Choose the collective title aimed for.")})
    people = people or []
    initiatives = [t.strip() for t in (initiatives or []) if t and t.strip()]
    seen = set()
    outside = [t.person for t in people if not t.person.unit.path.startswith(unit.path)]
    if outside:
        raise ValidationError(
            {
                "people": _("Not in this unit: %(people)s")
                % {"people": ", ".join(f"{p.full_name} ({p.code})" for p in outside)}
            }
        )
    for target in people:
        key = (target.person.pk, target.title_code)
        if key in seen:
            raise ValidationError(
                _("%(person)s is listed twice for the same title.") % {"person": target.person}
            )
        seen.add(key)
    reg, created = Registration.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit, defaults={"collective_title": collective_title}
    )
    before = (
        None
        if created
        else {
            **audit.snapshot(reg, ["collective_title", "targets", "state"]),
            "entries": reg.entries.count(),
        }
    )
    reg.collective_title = collective_title
    reg.targets = targets or ""
    if submit:
        reg.state = Registration.State.SUBMITTED
        reg.submitted_at = timezone.now()
        reg.submitted_by = actor
    reg.save()
    reg.entries.all().delete()
    RegistrationEntry.objects.bulk_create(
        [
            RegistrationEntry(
                registration=reg, kind="person", person=t.person, title_code=t.title_code.upper()
            )
            for t in people
        ]
        + [
            RegistrationEntry(registration=reg, kind="initiative", initiative_title=title[:500])
            for title in initiatives
        ]
    )
    audit.record(
        actor,
        "registration.submit" if submit else "registration.save",
        reg,
        before=before,
        after={
            **audit.snapshot(reg, ["collective_title", "targets", "state"]),
            "people": [(t.person.code, t.title_code) for t in people],
            "initiatives": initiatives,
        },
    )
    return reg


@transaction.atomic
def remind_unregistered(actor, campaign: Campaign) -> list[int]:
    """Remind the units that have not submitted a registration (by e-mail, after commit);
    returns their ids."""
    _require(actor, "campaigns.remind")
    status = selectors.registration_status(campaign)
    unit_ids = [u.pk for u in status["missing"]]
    if unit_ids:
        Registration.objects.filter(campaign=campaign, unit_id__in=unit_ids).update(
            reminded_at=timezone.now()
        )
        from emulation_portal.jobs import enqueue

        enqueue(tasks.send_registration_reminders, campaign.pk, unit_ids)
    audit.record(
        actor, "registration.remind", campaign, after={"units": [u.code for u in status["missing"]]}
    )
    return unit_ids
