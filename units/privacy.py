"""Need to know: who reads a person's birth date and disciplinary record.

The office and the officers of the person's unit (its subtree's officers included) read
both. Anyone else reads discipline only where a higher app says they need it: awards'
council registers, through :func:`register_discipline_viewer`, "the nominees on the agenda
of a session this user sits on", so council members judge the people they vote on and no
one else. Staff viewers read neither.

A viewer function is ``fn(user) -> QuerySet of person ids | None`` (None: nobody for this
user); it must run a fixed number of queries, since lists apply it once per page.
"""

from collections.abc import Callable

import rules
from django.db.models import Q, QuerySet

from emulation_portal.permissions import is_office, is_unit_officer
from units.rules import officer_units

ViewerFunc = Callable[[object], "QuerySet | None"]

_DISCIPLINE_VIEWERS: dict[str, ViewerFunc] = {}
_CACHE_ATTR = "_units_discipline_people"


def register_discipline_viewer(key: str, fn: ViewerFunc) -> None:
    """Let ``fn`` name further people whose discipline a user may read (see module doc)."""
    _DISCIPLINE_VIEWERS[key] = fn


def _in_own_units(user, person) -> bool:
    return bool(is_unit_officer(user) and person.unit_id in officer_units(user))


@rules.predicate
def can_see_birth_date(user, person) -> bool:
    """The office, or an officer whose scope holds the person's unit."""
    if is_office(user):
        return True
    if person is None:
        return False
    return _in_own_units(user, person)


def _extra_people(user) -> frozenset[int]:
    """Ids of the people the registered viewers open to ``user`` (cached on the user
    object, i.e. once per request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        ids: set[int] = set()
        for fn in _DISCIPLINE_VIEWERS.values():
            people = fn(user)
            if people is not None:
                ids.update(people)
        cached = frozenset(ids)
        setattr(user, _CACHE_ATTR, cached)
    return cached


@rules.predicate
def can_see_discipline(user, person) -> bool:
    """The office, an officer of the person's unit, or a user a registered viewer opens
    the person to (a council member for the nominees on their sessions' agendas)."""
    if can_see_birth_date(user, person):
        return True
    if person is None or not (user and user.is_authenticated):
        return False
    return person.pk in _extra_people(user)


def discipline_people_q(user, prefix: str = "") -> Q:
    """A filter on ``<prefix>`` (a person) keeping the people whose discipline ``user``
    may read; for querysets of Discipline use ``prefix="person__"``."""
    if is_office(user):
        return Q()
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    key = f"{prefix}pk__in" if prefix else "pk__in"
    if is_unit_officer(user):
        q |= Q(**{f"{prefix}unit_id__in": officer_units(user)})
    extra = _extra_people(user) if user and user.is_authenticated else frozenset()
    if extra:
        q |= Q(**{key: extra})
    return q


rules.add_perm("units.read_birth_date", can_see_birth_date)
rules.add_perm("units.read_discipline", can_see_discipline)
