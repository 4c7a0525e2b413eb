"""The blocs and bloc members sheets: import (row by row through the services) and export."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emulation_portal.validators import UNIT_NAME_MAX
from units import services
from units.exchange import ImportContext, Rows
from units.importers.common import (
    BATCH,
    RowInvalid,
    _choice,
    _code,
    _each,
    _guard,
    _name,
    _required,
    _unit_ref,
    _year,
)
from units.models import Bloc, BlocKind, BlocMembership, BlocRole


# -- blocs ---------------------------------------------------------------------------------
def import_blocs(ctx: ImportContext, rows: Rows) -> None:
    sheet = "blocs"
    existing = {b.code: b for b in Bloc.objects.all()}
    for rownum, row in _each(ctx, sheet, rows, key=lambda r: r.get("code")):

        def write(row=row):
            code = _code(row, "code")
            name = _name(row, "name", UNIT_NAME_MAX, getattr(existing.get(code), "name", None))
            if not name:
                raise RowInvalid("name", _("A value is required."))
            kind = _choice(row, "kind", BlocKind)
            bloc = existing.get(code)
            if bloc is None:
                services.create_bloc(ctx.actor, code=code, name=name, kind=kind)
                ctx.count(sheet, "created")
            elif (bloc.name, bloc.kind) != (name, kind):
                services.update_bloc(ctx.actor, bloc, name=name, kind=kind)
                ctx.count(sheet, "updated")
            else:
                ctx.count(sheet, "unchanged")

        _guard(ctx, sheet, rownum, write)


def export_blocs():
    for code, name, kind in Bloc.objects.order_by("code").values_list("code", "name", "kind"):
        yield {"code": code, "name": name, "kind": kind}


def import_bloc_members(ctx: ImportContext, rows: Rows) -> None:
    sheet = "bloc_members"
    blocs = {b.code: b for b in Bloc.objects.all()}
    ctx.preload_units(r.get("unit_code", "") for _n, r in rows)
    valid = []
    holders: dict = {}
    per_kind: dict = {}
    for rownum, row in _each(
        ctx, sheet, rows, key=lambda r: (r.get("bloc_code"), r.get("year"), r.get("unit_code"))
    ):

        def check(row=row, rownum=rownum):
            code = _required(row, "bloc_code")
            bloc = blocs.get(code)
            if bloc is None:
                raise RowInvalid("bloc_code", _("Unknown bloc code %(code)s.") % {"code": code})
            year = _year(row)
            unit = _unit_ref(ctx, row, "unit_code")
            role = _choice(row, "role", BlocRole)
            if role != BlocRole.MEMBER:
                other = holders.setdefault((bloc.pk, year, role), rownum)
                if other != rownum:
                    raise RowInvalid(
                        "role",
                        _("Row %(row)s already names this bloc's %(role)s for %(year)s.")
                        % {"row": other, "role": role, "year": year},
                    )
            other = per_kind.setdefault((unit.pk, year, bloc.kind), (rownum, bloc.code))
            if other[0] != rownum:
                raise RowInvalid(
                    "unit_code",
                    _("Row %(row)s already puts this unit in %(bloc)s in %(year)s.")
                    % {"row": other[0], "bloc": other[1], "year": year},
                )
            return bloc, year, unit, role

        result = _guard(ctx, sheet, rownum, check)
        if result:
            valid.append((rownum, result))
    current = {
        (m.bloc_id, m.year, m.unit_id): m
        for m in BlocMembership.objects.filter(
            bloc_id__in={b.pk for _r, (b, *_x) in valid},
            year__in={y for _r, (_b, y, *_x) in valid},
        )
    }
    # demotions first, so a leader and a member may swap roles within one file
    valid.sort(key=lambda item: item[1][3] != BlocRole.MEMBER)
    for rownum, (bloc, year, unit, role) in valid:
        m = current.get((bloc.pk, year, unit.pk))

        def write(bloc=bloc, year=year, unit=unit, role=role, m=m):
            if m is None:
                services.add_bloc_member(ctx.actor, bloc=bloc, year=year, unit=unit, role=role)
                ctx.count(sheet, "created")
            elif m.role != role:
                services.set_bloc_role(ctx.actor, bloc=bloc, year=year, unit=unit, role=role)
                ctx.count(sheet, "updated")
            else:
                ctx.count(sheet, "unchanged")

        _guard(ctx, sheet, rownum, write)


def export_bloc_members():
    for bloc, year, unit, role in (
        BlocMembership.objects.order_by("bloc__code", "year", "unit__code")
        .values_list("bloc__code", "year", "unit__code", "role")
        .iterator(chunk_size=BATCH)
    ):
        yield {"bloc_code": bloc, "year": str(year), "unit_code": unit, "role": role}
