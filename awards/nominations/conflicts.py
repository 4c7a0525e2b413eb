"""Conflicts of interest: who "belongs to" the nominee's unit or its parent unit.

A user belongs to a unit when

- they are a unit officer (``units.UnitOfficer``) of that very unit, or
- a resolver registered with :func:`register_member_unit_resolver` (the council's member
  profiles, once they exist) names that unit as the user's own unit.

The nominee's unit is the nominated unit itself, or, for a person, the unit the person
belonged to in the nomination's year (their ``PersonYear`` row), else their current unit.
The units checked are that unit and its parent (one level up). An officer whose scope is a
higher unit (e.g. the whole ministry) does not "belong" to every unit below it.
"""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from units.models import PersonYear, Unit, UnitOfficer

# func(users) -> {user_id: unit_id}
_RESOLVERS: list[Callable[[list], dict[int, int]]] = []


def register_member_unit_resolver(func: Callable[[list], dict[int, int]]) -> None:
    """Let a higher service (the council's member profiles) say which unit each user
    belongs to. Called with the list of users; returns {user id: unit id}."""
    if func not in _RESOLVERS:
        _RESOLVERS.append(func)


def nominee_unit(nomination) -> Unit:
    if nomination.unit_id:
        return nomination.unit
    unit_id = (
        PersonYear.objects.filter(person_id=nomination.person_id, year=nomination.year)
        .values_list("unit_id", flat=True)
        .first()
    ) or nomination.person.unit_id
    return Unit.objects.select_related("parent").get(pk=unit_id)


def conflicted_members(nomination, users: Iterable) -> list[tuple[object, str]]:
    """The users among ``users`` who belong to the nominee's unit or its parent unit, each
    with the reason in the user's language. A fixed number of queries."""
    users = list(users)
    if not users:
        return []
    unit = nominee_unit(nomination)
    parent = unit.parent if unit.parent_id else None
    targets = {unit.pk: unit}
    if parent is not None:
        targets[parent.pk] = parent
    by_user: dict[int, set[int]] = {}
    for user_id, unit_id in UnitOfficer.objects.filter(
        user__in=[u.pk for u in users], unit_id__in=list(targets)
    ).values_list("user_id", "unit_id"):
        by_user.setdefault(user_id, set()).add(unit_id)
    own: dict[int, int] = {}
    for resolver in _RESOLVERS:
        own.update(resolver(users))
    out = []
    for user in users:
        reasons = []
        for unit_id in sorted(by_user.get(user.pk, ())):
            which = targets[unit_id]
            msg = (
                _("Officer of the nominee's unit %(unit)s.")
                if unit_id == unit.pk
                else _("Officer of the parent unit %(unit)s.")
            )
            reasons.append(msg % {"unit": which.name})
        own_unit = own.get(user.pk)
        if own_unit in targets:
            msg = (
                _("Works in the nominee's unit %(unit)s.")
                if own_unit == unit.pk
                else _("Works in the parent unit %(unit)s.")
            )
            reasons.append(msg % {"unit": targets[own_unit].name})
        if reasons:
            out.append((user, " ".join(reasons)))
    return out
