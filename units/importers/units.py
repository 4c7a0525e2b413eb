"""The units sheet: import (row by row through the services) and export."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from emulation_portal.validators import UNIT_NAME_MAX
from units import services
from units.exchange import ImportContext, Rows
from units.importers.common import BATCH, RowInvalid, _choice, _code, _each, _guard, _message, _name
from units.models import Unit, UnitKind


# -- units ---------------------------------------------------------------------------------
def import_units(ctx: ImportContext, rows: Rows) -> None:
    sheet = "units"
    ctx.preload_units()
    db_parent = dict(Unit.objects.values_list("code", "parent__code"))
    parsed: dict[str, tuple[int, dict]] = {}
    for rownum, row in _each(ctx, sheet, rows, key=lambda r: r.get("code")):

        def check(row=row):
            code = _code(row, "code")
            name = _name(row, "name", UNIT_NAME_MAX, getattr(ctx.unit(code), "name", None))
            if not name:
                raise RowInvalid("name", _("A value is required."))
            kind = _choice(row, "kind", UnitKind)
            parent = row.get("parent_code", "")
            if parent == code:
                raise RowInvalid("parent_code", _("A unit cannot be its own parent."))
            return code, {"name": name, "kind": kind, "parent": parent}

        result = _guard(ctx, sheet, rownum, check)
        if result:
            parsed[result[0]] = (rownum, result[1])
    # parents must exist, in the file or already; the final tree must have no cycle
    final_parent = dict(db_parent)
    final_parent.update({code: v["parent"] or None for code, (_r, v) in parsed.items()})
    for code, (rownum, values) in list(parsed.items()):
        parent = values["parent"]
        if parent and parent not in parsed and ctx.unit(parent) is None:
            ctx.error(
                sheet, rownum, "parent_code", _("Unknown parent unit %(code)s.") % {"code": parent}
            )
            del parsed[code]
    for code, (rownum, _values) in list(parsed.items()):
        seen, node = set(), code
        while node is not None and node not in seen:
            seen.add(node)
            node = final_parent.get(node)
        if node is not None:  # came back to a unit already on the chain: a cycle
            ctx.error(
                sheet,
                rownum,
                "parent_code",
                _("The parent units form a cycle through %(code)s.") % {"code": node},
            )
            parsed.pop(code)
    # parents first

    def depth(code, guard=0):
        p = final_parent.get(code)
        return 0 if not p or guard > 300 else 1 + depth(p, guard + 1)

    codes = {"created": [], "updated": []}
    for code in sorted(parsed, key=depth):
        rownum, values = parsed[code]
        parent = ctx.unit(values["parent"]) if values["parent"] else None
        if values["parent"] and parent is None:
            continue  # its parent failed; already reported
        unit = ctx.unit(code)
        try:
            if unit is None:
                unit = services.create_unit(
                    ctx.actor, code=code, name=values["name"], kind=values["kind"], parent=parent
                )
                ctx.count(sheet, "created")
                codes["created"].append(code)
            elif (unit.name, unit.kind, unit.parent_id) != (
                values["name"],
                values["kind"],
                parent.pk if parent else None,
            ):
                unit = services.update_unit(
                    ctx.actor, unit, name=values["name"], kind=values["kind"], parent=parent
                )
                ctx.count(sheet, "updated")
                codes["updated"].append(code)
            else:
                ctx.count(sheet, "unchanged")
            ctx.remember_unit(unit)
        except ValidationError as exc:
            column, message = _message(exc)
            ctx.error(sheet, rownum, {"parent": "parent_code"}.get(column, column), message)


def export_units():
    for code, name, kind, parent in (
        Unit.objects.order_by("path")
        .values_list("code", "name", "kind", "parent__code")
        .iterator(chunk_size=BATCH)
    ):
        yield {"code": code, "name": name, "kind": kind, "parent_code": parent or ""}
