"""What the campaign workflows share: the business date (``as_of``), the permission
check, the state-table move, acted-at dates, points, a bloc's members and the pledge lock."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import Pledge
from emulation_portal.permissions import require
from units.models import BlocMembership

# The business date. Only the demo seeder moves it (to write past years' history through
# the same services); nothing a user sends can.
_as_of: ContextVar[date | None] = ContextVar("campaigns_as_of", default=None)


def _today() -> date:
    return _as_of.get() or timezone.localdate()


@contextmanager
def as_of(day: date):
    """Run the services as on ``day`` (deadlines are checked against it)."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


_require = require


def _when(at):
    """``at`` records an act done on paper earlier (e.g. the signatures at the signing
    meeting, entered afterwards); never in the future. Default: now."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValidationError(_("The date cannot be in the future."))
    return at


def _move(table: dict, name: str, current: str) -> str:
    allowed, target = table[name]
    if current not in allowed:
        raise ValidationError(
            _("This step is not possible in the current state (%(state)s).") % {"state": current}
        )
    return target


def _points(value, label: str) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({label: _("Enter a number of points.")}) from None
    if not points.is_finite():
        raise ValidationError({label: _("Enter a number of points.")})
    return points


def _members(bloc_id: int, year: int) -> list[BlocMembership]:
    return selectors.memberships(bloc_id, year)


def _lock_pledge(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().select_related("bloc").get(pk=pledge.pk)
