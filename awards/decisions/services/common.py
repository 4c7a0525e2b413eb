"""What the decision workflows share: the permission check, the row lock, the stale-page
error, Vietnamese date and money formats, and who may be put on which issuer's list."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.models import ConferringAuthority, Decision, DecisionIssuer, Nomination
from emulation_portal.permissions import require  # noqa: F401  (re-exported)
from emulation_portal.text import nfc


def conflict() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this decision meanwhile. Reload to see their version; "
            "your changes were not saved."
        ),
        code="stale",
    )


def lock(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("issuer", "award_type", "replaces")
        .get(pk=decision.pk)
    )


def clean(value) -> str:
    return nfc(str(value or "")).strip()


def lines(value) -> list[str]:
    """Non-empty lines of a multi-line field."""
    return [line.strip() for line in clean(value).splitlines() if line.strip()]


def vn_date(day: dt.date) -> str:
    """``ngày 05 tháng 02 năm 2026``: days below 10 and the months 1 and 2 get a leading
    zero (NĐ 30/2020, appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vnd(amount: int | None) -> str:
    """``760.000`` (Vietnamese thousands separator)."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def issuer_may_confer(issuer: DecisionIssuer, nomination: Nomination) -> bool:
    """The ministry confers the minister's awards; a unit its head's awards on nominations
    proposed within it."""
    authority = nomination.award_type.conferred_by
    if issuer.is_ministry:
        return authority == ConferringAuthority.MINISTER
    unit_path = issuer.unit.path
    return (
        authority == ConferringAuthority.UNIT_HEAD
        and bool(unit_path)
        and nomination.proposing_unit.path.startswith(unit_path)
    )


def nominee_label(nomination: Nomination) -> str:
    return str(nomination.nominee)
