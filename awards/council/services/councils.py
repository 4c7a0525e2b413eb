"""Councils, their terms and members (written by the office; audited)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards.models import Council, CouncilLevel, CouncilMember, CouncilTerm, MemberRole
from emulation_portal import audit
from emulation_portal.models import Role
from emulation_portal.text import nfc

from .common import require


@transaction.atomic
def create_council(actor, *, name: str, level: str, unit) -> Council:
    """Create a council (the ministry's, or a unit's own) for ``unit``."""
    require(actor, "council.manage")
    name = nfc(name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the council a name.")})
    if level not in CouncilLevel.values:
        raise ValidationError({"level": _("Choose a valid level.")})
    if Council.objects.filter(unit=unit, level=level).exists():
        raise ValidationError(_("This unit already has a council of this level."))
    council = Council.objects.create(name=name, level=level, unit=unit)
    audit.record(actor, "council.create", council, after=audit.snapshot(council))
    return council


@transaction.atomic
def create_term(
    actor,
    council: Council,
    *,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    decision_number: str,
    decision_date: dt.date | None = None,
) -> CouncilTerm:
    """Open a term of ``council`` appointed by a decision; terms of a council never
    overlap."""
    require(actor, "council.manage")
    decision_number = nfc(decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Give the number of the appointing decision.")})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The term ends before it starts.")})
    overlapping = council.terms.exclude(ends_on__lt=starts_on)
    if ends_on:
        overlapping = overlapping.exclude(starts_on__gt=ends_on)
    if overlapping.exists():
        raise ValidationError(_("The term overlaps another term of this council."))
    term = CouncilTerm.objects.create(
        council=council,
        starts_on=starts_on,
        ends_on=ends_on,
        decision_number=decision_number,
        decision_date=decision_date,
    )
    audit.record(actor, "council.term.create", term, after=audit.snapshot(term))
    return term


@transaction.atomic
def add_member(
    actor,
    term: CouncilTerm,
    *,
    user,
    role: str = MemberRole.MEMBER,
    position: str = "",
    unit=None,
    votes: bool = True,
    order: int = 100,
) -> CouncilMember:
    """Appoint ``user`` (an account with the council role) to ``term`` with ``role``."""
    require(actor, "council.manage")
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if user.role != Role.COUNCIL or not user.is_active:
        raise ValidationError(
            {"user": _("Only an active account with the council member role can sit on a council.")}
        )
    if term.members.filter(user=user).exists():
        raise ValidationError({"user": _("This person is already a member of this term.")})
    if role == MemberRole.CHAIR and term.members.filter(role=MemberRole.CHAIR).exists():
        raise ValidationError({"role": _("This term already has a chair.")})
    try:
        with transaction.atomic():
            member = CouncilMember.objects.create(
                term=term,
                user=user,
                role=role,
                position=nfc(position or "").strip(),
                unit=unit,
                votes=votes,
                order=order,
            )
    except IntegrityError:
        raise ValidationError(_("This person is already a member of this term.")) from None
    audit.record(actor, "council.member.add", member, after=audit.snapshot(member))
    return member


def member_units(users) -> dict[int, int]:
    """{user id: own unit id} of council members in a current term (the resolver the
    conflict-of-interest check asks: ``nominations.conflicts``). One query."""
    today = dt.date.today()
    out: dict[int, int] = {}
    for user_id, unit_id in (
        CouncilMember.objects.filter(user__in=[u.pk for u in users], unit__isnull=False)
        .filter(term__starts_on__lte=today)
        .exclude(term__ends_on__lt=today)
        .values_list("user_id", "unit_id")
    ):
        out[user_id] = unit_id
    return out
