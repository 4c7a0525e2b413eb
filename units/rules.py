"""Who may read and write the registry.

A unit officer's scope is the units they serve and all their sub-units (``UnitOfficer``);
they read and write people, yearly ratings, discipline and initiatives there only. Staff
viewers and council members read everything; the emulation office does everything. Other
apps reuse :func:`officer_units`, :func:`can_manage_unit` and :func:`can_manage_person`.
"""

import rules
from django.db.models import Q

from emulation_portal.permissions import (
    is_admin,
    is_council_member,
    is_office,
    is_staff_member,
    is_unit_officer,
    is_viewer,
)

_CACHE_ATTR = "_units_officer_scope"


def officer_paths(user) -> list[str]:
    """The materialised paths of the units ``user`` serves as unit officer (cached on the
    user object, i.e. once per request)."""
    if not (user and getattr(user, "is_authenticated", False)):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from units.models import UnitOfficer

        paths = list(UnitOfficer.objects.filter(user=user).values_list("unit__path", flat=True))
        cached = {"paths": paths, "ids": None}
        setattr(user, _CACHE_ATTR, cached)
    return cached["paths"]


def scope_q(user, prefix: str = "") -> Q:
    """A filter on ``<prefix>path`` matching the units in ``user``'s officer scope
    (subtrees included); matches nothing without a scope."""
    paths = officer_paths(user)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def officer_units(user) -> frozenset[int]:
    """Ids of the units in ``user``'s scope, sub-units included; cached per user object."""
    if not (user and getattr(user, "is_authenticated", False)):
        return frozenset()
    officer_paths(user)
    cached = getattr(user, _CACHE_ATTR)
    if cached["ids"] is None:
        from units.models import Unit

        cached["ids"] = (
            frozenset(Unit.objects.filter(scope_q(user)).values_list("pk", flat=True))
            if cached["paths"]
            else frozenset()
        )
    return cached["ids"]


def forget_scope(user) -> None:
    """Drop the cached scope (after assigning or removing a unit)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


is_reader = is_office | is_viewer | is_council_member


@rules.predicate
def can_manage_unit(user, unit) -> bool:
    """The office, or a unit officer whose scope holds ``unit`` (with no unit given: any
    unit officer, for showing the way in; the object check decides)."""
    if is_office(user):
        return True
    if not is_unit_officer(user):
        return False
    if unit is None:
        return bool(officer_paths(user))
    return unit.pk in officer_units(user)


@rules.predicate
def can_manage_person(user, person) -> bool:
    """The office, or a unit officer whose scope holds the person's current unit."""
    if is_office(user):
        return True
    if not is_unit_officer(user):
        return False
    if person is None:
        return bool(officer_paths(user))
    return person.unit_id in officer_units(user)


@rules.predicate
def can_view_unit(user, unit) -> bool:
    return bool(is_reader(user) or can_manage_unit(user, unit))


@rules.predicate
def can_view_person(user, person) -> bool:
    return bool(is_reader(user) or can_manage_person(user, person))


# pages and API
rules.add_perm("units.browse", is_reader | is_unit_officer)
rules.add_perm("units.view_unit", can_view_unit)
rules.add_perm("units.view_person", can_view_person)
rules.add_perm("units.change_person", can_manage_person)
rules.add_perm("units.add_person", can_manage_unit)
rules.add_perm("units.rate_unit_year", can_manage_unit)
rules.add_perm("units.set_unit_rating", is_office)
rules.add_perm("units.import_data", is_office)
rules.add_perm("units.export_data", is_office)
rules.add_perm("units.view_bloc", is_staff_member)
rules.add_perm("units.view_blocmembership", is_staff_member)

# Django admin (office staff); the app-label perm opens the app's section
rules.add_perm("units", is_office)
for _model in (
    "unit",
    "unitofficer",
    "person",
    "personyear",
    "unitrating",
    "discipline",
    "initiative",
    "bloc",
    "blocmembership",
):
    for _action in ("add", "change", "delete", "view"):
        _name = f"units.{_action}_{_model}"
        if not rules.perm_exists(_name):
            rules.add_perm(_name, is_office)

__all__ = [
    "can_manage_person",
    "can_manage_unit",
    "forget_scope",
    "is_admin",
    "is_reader",
    "officer_units",
    "scope_q",
]
