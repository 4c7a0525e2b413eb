"""What the nomination workflows share: the permission check, the stale-page error, the
row lock, the level of an award, the dossier's field names and text cleaning."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.models import (
    AwardRecord,
    AwardType,
    ConferringAuthority,
    Nomination,
    NominationLevel,
    NominationState,
)
from emulation_portal.permissions import require
from emulation_portal.text import nfc
from units.models import Unit

S = NominationState

DOSSIER_FIELDS = [
    "background",
    "achievements",
    "rewards_received",
    "initiative",
    "deliberation_date",
    "deliberation_attendees",
    "deliberation_votes",
]
CSTD_CODES = {"CSTD_CS", "CSTD_BO", "CSTD_TQ"}
# Short forms: a unit's list for these titles carries no individual achievement report.
SHORT_FORM_CODES = {"LDTT", "GK"}


_require = require


def _conflict():
    return ValidationError(
        _(
            "Someone else changed this nomination meanwhile. Reload to see their version; "
            "your changes were not saved."
        ),
        code="stale",
    )


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "proposing_unit", "person", "unit")
        .get(pk=nomination.pk)
    )


def level_for(award_type: AwardType) -> str:
    """Titles the unit head confers run inside the unit; the rest go to the ministry."""
    return (
        NominationLevel.UNIT
        if award_type.conferred_by == ConferringAuthority.UNIT_HEAD
        else NominationLevel.MINISTRY
    )


def rewards_history(subject, year: int) -> str:
    """Part III of the report from the award history: one line per record before ``year``."""
    field_name = "unit" if isinstance(subject, Unit) else "person"
    lines = []
    for rec in (
        AwardRecord.objects.live()
        .filter(**{field_name: subject}, year__lt=year)
        .select_related("award_type")
        .order_by("year", "award_type__order")
    ):
        ref = f" ({rec.decision_number})" if rec.decision_number else ""
        lines.append(f"{rec.year}: {rec.award_type.name_vi}{ref}")
    return "\n".join(lines)


def _clean_text(value) -> str:
    return nfc(str(value or "")).strip()
