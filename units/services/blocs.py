"""Emulation blocs and their membership per year: members, roles, carrying a year forward."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import nfc
from emulation_portal.validators import LONG_TEXT_MAX, UNIT_NAME_MAX, check_length, check_name
from units.models import Bloc, BlocKind, BlocMembership, BlocRole, Unit
from units.services.common import _check_choice, check_code, check_year


# -- blocs ---------------------------------------------------------------------------------
@transaction.atomic
def create_bloc(actor, *, code: str, name: str, kind: str, description: str = "") -> Bloc:
    """Create a bloc (KHOI) or cluster (CUM)."""
    code = check_code(code)
    name = nfc(name).strip()
    if not name:
        raise ValidationError({"name": _("The name is required.")})
    check_name(name, "name", UNIT_NAME_MAX)
    check_length(description or "", "description", LONG_TEXT_MAX)
    _check_choice(kind, BlocKind, "kind")
    if Bloc.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A bloc with code %(code)s exists.") % {"code": code}})
    bloc = Bloc.objects.create(code=code, name=name, kind=kind, description=description or "")
    audit.record(actor, "bloc.create", bloc, after=audit.snapshot(bloc, ["code", "name", "kind"]))
    return bloc


@transaction.atomic
def update_bloc(
    actor,
    bloc: Bloc,
    *,
    name: str | None = None,
    kind: str | None = None,
    description: str | None = None,
) -> Bloc:
    """Rename a bloc or change its kind (refused once it has members: the kind is part of
    each membership's uniqueness)."""
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    before = audit.snapshot(bloc, ["name", "kind", "description"])
    if name is not None:
        stored_name, bloc.name = bloc.name, nfc(name).strip()
        if not bloc.name:
            raise ValidationError({"name": _("The name is required.")})
        check_name(bloc.name, "name", UNIT_NAME_MAX, unchanged_from=stored_name)
    if kind is not None and kind != bloc.kind:
        _check_choice(kind, BlocKind, "kind")
        if bloc.memberships.exists():
            raise ValidationError(
                {"kind": _("A bloc with members cannot change between bloc and cluster.")}
            )
        bloc.kind = kind
    if description is not None:
        bloc.description = check_length(description, "description", LONG_TEXT_MAX)
    after = audit.snapshot(bloc, ["name", "kind", "description"])
    if after != before:
        bloc.save()
        audit.record(actor, "bloc.update", bloc, before=before, after=after)
    return bloc


def _check_membership(
    bloc: Bloc, year: int, unit: Unit, role: str, exclude_pk: int | None = None
) -> None:
    _check_choice(role, BlocRole, "role")
    others = BlocMembership.objects.filter(year=year).exclude(pk=exclude_pk)
    if role in (BlocRole.LEADER, BlocRole.DEPUTY):
        holder = (
            others.filter(bloc=bloc, role=role).exclude(unit=unit).select_related("unit").first()
        )
        if holder:
            msg = (
                _("%(bloc)s already has a leader in %(year)s: %(unit)s.")
                if role == BlocRole.LEADER
                else _("%(bloc)s already has a deputy in %(year)s: %(unit)s.")
            )
            raise ValidationError(
                {"role": msg % {"bloc": bloc.code, "year": year, "unit": holder.unit.name}}
            )
    elsewhere = (
        others.filter(unit=unit, bloc_kind=bloc.kind)
        .exclude(bloc=bloc)
        .select_related("bloc")
        .first()
    )
    if elsewhere:
        raise ValidationError(
            {
                "unit": _(
                    "%(unit)s is already in %(other)s in %(year)s; a unit belongs to one "
                    "bloc of a kind per year."
                )
                % {"unit": unit.name, "other": elsewhere.bloc.name, "year": year}
            }
        )


def _save_membership(m: BlocMembership) -> None:
    try:
        with transaction.atomic():
            m.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "The bloc's membership changed at the same time (another leader, deputy or "
                "bloc for this unit); reload and try again."
            )
        ) from None


@transaction.atomic
def add_bloc_member(
    actor, *, bloc: Bloc, year: int, unit: Unit, role: str = BlocRole.MEMBER
) -> BlocMembership:
    """Put ``unit`` in ``bloc`` for ``year`` with ``role``; refuses a second leader or
    deputy, a unit already in another bloc of the same kind that year, or a duplicate."""
    year = check_year(year)
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)  # serialises the bloc's changes
    if BlocMembership.objects.filter(bloc=bloc, year=year, unit=unit).exists():
        raise ValidationError(
            {
                "unit": _("%(unit)s is already a member of %(bloc)s in %(year)s.")
                % {"unit": unit.name, "bloc": bloc.code, "year": year}
            }
        )
    _check_membership(bloc, year, unit, role)
    m = BlocMembership(bloc=bloc, year=year, unit=unit, role=role, bloc_kind=bloc.kind)
    _save_membership(m)
    audit.record(
        actor,
        "bloc.member_add",
        m,
        after={"bloc": bloc.code, "year": year, "unit": unit.code, "role": role},
    )
    return m


@transaction.atomic
def set_bloc_role(actor, *, bloc: Bloc, year: int, unit: Unit, role: str) -> BlocMembership:
    """Change ``unit``'s role in ``bloc`` for ``year`` (it must be a member already)."""
    year = check_year(year)
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    m = BlocMembership.objects.select_for_update().filter(bloc=bloc, year=year, unit=unit).first()
    if m is None:
        raise ValidationError(
            {
                "unit": _("%(unit)s is not a member of %(bloc)s in %(year)s.")
                % {"unit": unit.name, "bloc": bloc.code, "year": year}
            }
        )
    if m.role == role:
        return m
    _check_membership(bloc, year, unit, role, exclude_pk=m.pk)
    before = {"role": m.role}
    m.role = role
    _save_membership(m)
    audit.record(actor, "bloc.member_role", m, before=before, after={"role": role})
    return m


@transaction.atomic
def remove_bloc_member(actor, *, bloc: Bloc, year: int, unit: Unit) -> None:
    """Take ``unit`` out of ``bloc`` for ``year``."""
    for m in BlocMembership.objects.select_for_update().filter(bloc=bloc, year=year, unit=unit):
        audit.record(
            actor,
            "bloc.member_remove",
            m,
            before={"bloc": bloc.code, "year": year, "unit": unit.code, "role": m.role},
        )
        m.delete()


@transaction.atomic
def carry_bloc_forward(actor, *, bloc: Bloc, year: int) -> list[BlocMembership]:
    """Copy the members of ``year`` into ``year + 1`` as plain members (idempotent: units
    already in the bloc next year are left as they are). Units closed before next year, or
    already in another bloc of the same kind next year, are skipped. Returns the new rows."""
    year = check_year(year)
    target = check_year(year + 1)
    bloc = Bloc.objects.select_for_update().get(pk=bloc.pk)
    source = list(BlocMembership.objects.filter(bloc=bloc, year=year).select_related("unit"))
    taken = set(
        BlocMembership.objects.filter(year=target, bloc_kind=bloc.kind).values_list(
            "unit_id", flat=True
        )
    )
    start_next = dt.date(target, 1, 1)
    created = []
    for m in source:
        if m.unit_id in taken:
            continue
        if m.unit.active_to and m.unit.active_to < start_next:
            continue
        new = BlocMembership(
            bloc=bloc, year=target, unit=m.unit, role=BlocRole.MEMBER, bloc_kind=bloc.kind
        )
        _save_membership(new)
        created.append(new)
    if created:
        audit.record(
            actor,
            "bloc.carry_forward",
            bloc,
            after={"from": year, "to": target, "units": [m.unit.code for m in created]},
        )
    return created
