"""A campaign's life (draft, launched, closed), its phases and deadline extensions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignState, Phase, PhaseExtension, PhaseKind
from campaigns.services.common import _move, _require
from emulation_portal import audit
from units.models import MAX_YEAR, MIN_YEAR, Unit

CAMPAIGN_FIELDS = ["year", "kind", "name", "theme", "description", "starts_on", "ends_on"]


# The campaign's life: draft -> launched -> closed.
CAMPAIGN_MOVES = {
    "launch": ({CampaignState.DRAFT}, CampaignState.LAUNCHED),
    "close": ({CampaignState.LAUNCHED}, CampaignState.CLOSED),
}


def _check_campaign(data: dict, exclude_pk=None):
    year = data["year"]
    if not (isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR):
        raise ValidationError(
            {
                "year": _("The year %(year)s is out of range (%(min)s-%(max)s).")
                % {"year": data["year"], "min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    if data["kind"] == "annual":
        clash = Campaign.objects.filter(year=data["year"], kind="annual").exclude(pk=exclude_pk)
        if clash.exists():
            raise ValidationError(
                {"year": _("There is already an annual campaign for %(year)s.") % data}
            )


@transaction.atomic
def create_campaign(actor, **data) -> Campaign:
    """Create a draft campaign (office only)."""
    _require(actor, "campaigns.manage_campaign")
    data = {k: data.get(k, "") for k in CAMPAIGN_FIELDS}
    _check_campaign(data)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(**data)
    except IntegrityError:
        raise ValidationError(
            {"year": _("There is already an annual campaign for %(year)s.") % data}
        ) from None
    audit.record(
        actor, "campaign.create", campaign, after=audit.snapshot(campaign, CAMPAIGN_FIELDS)
    )
    return campaign


@transaction.atomic
def update_campaign(actor, campaign: Campaign, **data) -> Campaign:
    """Change a campaign's name, theme, dates (not once closed)."""
    _require(actor, "campaigns.manage_campaign")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state == CampaignState.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."))
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    merged = {**before, **{k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}}
    for k in ("starts_on", "ends_on"):
        if isinstance(merged[k], str):
            merged[k] = date.fromisoformat(merged[k])
    _check_campaign(merged, exclude_pk=campaign.pk)
    for k, v in merged.items():
        setattr(campaign, k, v)
    campaign.save()
    audit.record(
        actor,
        "campaign.update",
        campaign,
        before=before,
        after=audit.snapshot(campaign, CAMPAIGN_FIELDS),
    )
    return campaign


@transaction.atomic
def launch_campaign(actor, campaign: Campaign, *, reference: str = "") -> Campaign:
    """Launch (phát động) a draft campaign: records when, by whom and the document."""
    _require(actor, "campaigns.manage_campaign")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.state = _move(CAMPAIGN_MOVES, "launch", campaign.state)
    campaign.launched_at = timezone.now()
    campaign.launched_by = actor
    campaign.launch_reference = reference[:200]
    campaign.save(update_fields=["state", "launched_at", "launched_by", "launch_reference"])
    audit.record(
        actor,
        "campaign.launch",
        campaign,
        before={"state": "draft"},
        after={"state": campaign.state, "reference": campaign.launch_reference},
    )
    return campaign


@transaction.atomic
def close_campaign(actor, campaign: Campaign) -> Campaign:
    """Close a launched campaign; registrations are no longer accepted."""
    _require(actor, "campaigns.manage_campaign")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.state = _move(CAMPAIGN_MOVES, "close", campaign.state)
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["state", "closed_at"])
    audit.record(
        actor,
        "campaign.close",
        campaign,
        before={"state": "launched"},
        after={"state": campaign.state},
    )
    return campaign


@transaction.atomic
def set_phase(actor, campaign: Campaign, *, kind: str, opens_on: date, closes_on: date) -> Phase:
    """Create or move the phase ``kind`` of ``campaign``."""
    _require(actor, "campaigns.manage_campaign")
    if kind not in PhaseKind.values:
        raise ValidationError({"kind": _("Unknown phase.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The deadline is before the opening date.")})
    phase = Phase.objects.select_for_update().filter(campaign=campaign, kind=kind).first()
    before = audit.snapshot(phase, ["opens_on", "closes_on"]) if phase else None
    if phase is None:
        phase = Phase(campaign=campaign, kind=kind)
    phase.opens_on, phase.closes_on = opens_on, closes_on
    phase.save()
    audit.record(
        actor,
        "campaign.set_phase",
        phase,
        before=before,
        after=audit.snapshot(phase, ["kind", "opens_on", "closes_on"]),
    )
    return phase


@transaction.atomic
def extend_phase(actor, phase: Phase, *, unit: Unit, closes_on: date, reason: str):
    """Give ``unit`` a later deadline for ``phase``; a reason is required."""
    _require(actor, "campaigns.extend_deadline")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if closes_on <= phase.closes_on:
        raise ValidationError({"closes_on": _("The new deadline must be after the phase's.")})
    ext, created = PhaseExtension.objects.update_or_create(
        phase=phase,
        unit=unit,
        defaults={"closes_on": closes_on, "reason": reason, "granted_by": actor},
    )
    audit.record(
        actor,
        "campaign.extend_phase",
        ext,
        after={"unit": unit.code, "closes_on": closes_on, "reason": reason},
    )
    return ext
