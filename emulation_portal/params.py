"""Query parameters read by hand in API views, bounded so bad input is a 400, never a 500."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

# A year the portal can hold: records go back to the first emulation movement, plans forward.
YEAR_MIN, YEAR_MAX = 1900, 2100


def query_int(params, name: str, *, min_value: int, max_value: int, required: bool = False):
    """``params[name]`` as an int within [min_value, max_value], None when absent."""
    raw = params.get(name, "")
    if raw in (None, ""):
        if required:
            raise ValidationError({name: [_("This parameter is required.")]})
        return None
    raw = raw.strip()
    value = int(raw) if raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 12 else None
    if value is None or not min_value <= value <= max_value:
        raise ValidationError(
            {
                name: [
                    _("Give a whole number from %(min)s to %(max)s.")
                    % {"min": min_value, "max": max_value}
                ]
            }
        )
    return value


def query_year(params, name: str = "year", *, required: bool = False):
    """A year parameter, from YEAR_MIN to YEAR_MAX."""
    return query_int(params, name, min_value=YEAR_MIN, max_value=YEAR_MAX, required=required)
