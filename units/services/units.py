"""Units and their tree (materialised paths), closing a unit, and unit officers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import fold, nfc
from emulation_portal.validators import UNIT_NAME_MAX, check_name
from units.models import Unit, UnitKind, UnitOfficer
from units.services.common import _check_choice, _stored, check_code

PATH_WIDTH = 8


UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "active_from",
    "active_to",
    "successor",
]


def unit_search_text(unit: Unit) -> str:
    return fold(" ".join(filter(None, [unit.code, unit.name, unit.short_name])))[:400]


def segment(unit_id: int) -> str:
    return f"{unit_id:0{PATH_WIDTH}d}."


def _check_unit(unit: Unit, stored: dict | None = None) -> None:
    stored = stored or {}
    unit.code = check_code(unit.code)
    unit.name = nfc(unit.name).strip()
    unit.short_name = nfc(unit.short_name).strip()
    if not unit.name:
        raise ValidationError({"name": _("The name is required.")})
    check_name(unit.name, "name", UNIT_NAME_MAX, unchanged_from=stored.get("name"))
    check_name(unit.short_name, "short_name", 120, unchanged_from=stored.get("short_name"))
    _check_choice(unit.kind, UnitKind, "kind")
    if unit.active_from and unit.active_to and unit.active_to < unit.active_from:
        raise ValidationError({"active_to": _("The unit cannot close before it opens.")})
    clash = Unit.objects.filter(code=unit.code)
    if unit.pk:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("A unit with code %(code)s exists.") % {"code": unit.code}}
        )


@transaction.atomic
def create_unit(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    active_from: dt.date | None = None,
    active_to: dt.date | None = None,
) -> Unit:
    """Create a unit under ``parent`` (None: a root), with its path, depth and search text."""
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name or "",
        active_from=active_from,
        active_to=active_to,
    )
    _check_unit(unit)
    unit.search_text = unit_search_text(unit)
    unit.save()
    if parent is not None:
        parent = Unit.objects.only("path", "depth").get(pk=parent.pk)
        unit.path = parent.path + segment(unit.pk)
        unit.depth = parent.depth + 1
    else:
        unit.path = segment(unit.pk)
        unit.depth = 0
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    audit.record(actor, "unit.create", unit, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def update_unit(actor, unit: Unit, **changes) -> Unit:
    """Change a unit's fields; a new ``parent`` moves the whole subtree (paths and depths
    rewritten) and is refused if it would make a cycle."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit, UNIT_FIELDS)
    stored = _stored(unit, ["name", "short_name"])
    old_parent_id = unit.parent_id
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise TypeError(name)
        setattr(unit, name, value)
    _check_unit(unit, stored)
    if unit.successor_id == unit.pk:
        raise ValidationError({"successor": _("A unit cannot succeed itself.")})
    moved = unit.parent_id != old_parent_id
    if moved:
        check_no_cycle(unit, unit.parent)
    unit.search_text = unit_search_text(unit)
    unit.save()
    if moved:
        _rewrite_paths(unit)
    after = audit.snapshot(unit, UNIT_FIELDS)
    if after != before:
        audit.record(actor, "unit.update", unit, before=before, after=after)
    return unit


def check_no_cycle(unit: Unit, parent: Unit | None) -> None:
    """Refuse ``parent`` for ``unit`` if it is the unit itself or one of its sub-units
    (``unit.path`` as stored). Raises a ValidationError on ``parent``; writes nothing."""
    if parent is None:
        return
    parent_path = Unit.objects.values_list("path", flat=True).get(pk=parent.pk)
    if parent.pk == unit.pk or parent_path.startswith(unit.path):
        raise ValidationError(
            {
                "parent": _(
                    "%(parent)s is %(unit)s itself or one of its sub-units: the tree "
                    "cannot have a cycle."
                )
                % {"parent": parent.code, "unit": unit.code}
            }
        )


def _rewrite_paths(unit: Unit) -> None:
    """Recompute ``path`` and ``depth`` of ``unit`` and its whole subtree after a move."""
    old_prefix = unit.path
    if unit.parent_id:
        parent = Unit.objects.only("path", "depth").get(pk=unit.parent_id)
        new_prefix, new_depth = parent.path + segment(unit.pk), parent.depth + 1
    else:
        new_prefix, new_depth = segment(unit.pk), 0
    shift = new_depth - unit.depth
    subtree = list(Unit.objects.select_for_update().filter(path__startswith=old_prefix))
    for node in subtree:
        node.path = new_prefix + node.path[len(old_prefix) :]
        node.depth = node.depth + shift
    if any(len(node.path) > 255 for node in subtree):
        raise ValidationError({"parent": _("The tree would be too deep.")})
    Unit.objects.bulk_update(subtree, ["path", "depth"], batch_size=500)
    unit.path, unit.depth = new_prefix, new_depth


@transaction.atomic
def close_unit(actor, unit: Unit, *, active_to: dt.date, successor: Unit | None = None) -> Unit:
    """Close a unit (merged, renamed or dissolved) on ``active_to``; its history stays and
    ``successor`` names the unit that carries on."""
    return update_unit(actor, unit, active_to=active_to, successor=successor)


# -- officers ------------------------------------------------------------------------------
@transaction.atomic
def assign_officer(actor, *, user, unit: Unit) -> UnitOfficer:
    """Give ``user`` (a unit officer) the scope of ``unit`` and its sub-units."""
    from units.rules import forget_scope

    scope, created = UnitOfficer.objects.get_or_create(user=user, unit=unit)
    forget_scope(user)
    if created:
        audit.record(actor, "unit.officer_assign", scope, after={"user": user.pk, "unit": unit.pk})
    return scope


@transaction.atomic
def remove_officer(actor, *, user, unit: Unit) -> None:
    """Withdraw ``user``'s scope over ``unit``."""
    from units.rules import forget_scope

    forget_scope(user)
    for scope in UnitOfficer.objects.select_for_update().filter(user=user, unit=unit):
        audit.record(actor, "unit.officer_remove", scope, before={"user": user.pk, "unit": unit.pk})
        scope.delete()
