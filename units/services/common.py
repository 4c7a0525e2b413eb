"""What the registry's writes share: the checks of codes, years and choices, and the
stored values an audit event compares."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import MAX_YEAR, MIN_YEAR

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


# Codes appear in page addresses (/units/<code>/, /people/<code>/) beside these words.
RESERVED_CODES = frozenset({"new"})


# -- shared checks -------------------------------------------------------------------------
def last_allowed_year() -> int:
    """Years after the one in progress cannot be rated or recorded yet."""
    return min(timezone.localdate().year + 1, MAX_YEAR)


def check_year(year, field: str = "year") -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({field: _("The year must be a number such as 2024.")}) from None
    if not MIN_YEAR <= year <= last_allowed_year():
        raise ValidationError(
            {
                field: _("The year %(year)s is out of range (%(min)s-%(max)s).")
                % {"year": year, "min": MIN_YEAR, "max": last_allowed_year()}
            }
        )
    return year


def check_code(code: str, field: str = "code") -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise ValidationError(
            {
                field: _(
                    "The code %(code)s is not valid: use 1-40 letters, digits, '_', '-' or "
                    "'.', starting with a letter or digit."
                )
                % {"code": code or "∅"}
            }
        )
    if code in RESERVED_CODES:
        raise ValidationError(
            {
                field: _("The code %(code)s is reserved by the portal's addresses; choose another.")
                % {"code": code}
            }
        )
    return code


def _check_choice(value, choices, field: str):
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("%(value)s is not one of: %(choices)s.")
                % {"value": value or "∅", "choices": ", ".join(choices.values)}
            }
        )
    return value


# -- units ---------------------------------------------------------------------------------
def _stored(obj, fields: list[str]) -> dict:
    """The values of ``fields`` as stored, before a change: kept values pass ``check_name``."""
    return {f: getattr(obj, f) for f in fields}
