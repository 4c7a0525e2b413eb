"""The nominations deadline of a campaign for a unit, and the office reopening it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.models import (
    Nomination,
)
from awards.nominations.services.common import (
    _require,
)
from units.models import Unit


def _deadline_phase(campaign):
    from campaigns.models import Phase, PhaseKind

    return Phase.objects.filter(campaign=campaign, kind=PhaseKind.NOMINATIONS).first()


def deadline_for(nomination: Nomination) -> dt.date | None:
    """The nominations deadline of the campaign for the proposing unit (its extension if
    the office reopened it, else the phase's), or None without a campaign or phase."""
    if not nomination.campaign_id:
        return None
    from campaigns.models import PhaseExtension

    phase = _deadline_phase(nomination.campaign_id)
    if phase is None:
        return None
    ext = (
        PhaseExtension.objects.filter(phase=phase, unit_id=nomination.proposing_unit_id)
        .values_list("closes_on", flat=True)
        .first()
    )
    return ext or phase.closes_on


# --------------------------------------------------------------------------- deadlines


def reopen_deadline(actor, *, campaign, unit: Unit, closes_on: dt.date, reason: str):
    """The office gives one unit a later nominations deadline, with a reason (the campaign
    service records it and its audit event)."""
    from campaigns import services as campaign_services

    _require(actor, "nominations.reopen_deadline")
    phase = _deadline_phase(campaign)
    if phase is None:
        raise ValidationError(_("The campaign has no nominations phase."))
    return campaign_services.extend_phase(
        actor, phase, unit=unit, closes_on=closes_on, reason=reason
    )
