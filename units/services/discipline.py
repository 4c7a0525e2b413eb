"""Discipline measures on a person: add, edit, delete."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import nfc
from emulation_portal.validators import LONG_TEXT_MAX, check_length, check_name
from units.models import Discipline, DisciplineLevel, Person
from units.services.common import _check_choice, _stored, check_year

# -- discipline ----------------------------------------------------------------------------
DISCIPLINE_FIELDS = ["level", "start_date", "end_date", "decision_ref", "reason"]


def _check_discipline(d: Discipline, stored: dict | None = None) -> None:
    stored = stored or {}
    d.decision_ref = nfc(d.decision_ref).strip()
    check_name(d.decision_ref, "decision_ref", 120, unchanged_from=stored.get("decision_ref"))
    check_length(d.reason, "reason", LONG_TEXT_MAX)
    _check_choice(d.level, DisciplineLevel, "level")
    if d.start_date is None:
        raise ValidationError({"start_date": _("The start date is required.")})
    check_year(d.start_date.year, "start_date")
    if d.end_date and d.end_date < d.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    clash = Discipline.objects.filter(person=d.person, level=d.level, start_date=d.start_date)
    if d.pk:
        clash = clash.exclude(pk=d.pk)
    if clash.exists():
        raise ValidationError(_("This discipline is already recorded."))


@transaction.atomic
def add_discipline(
    actor,
    *,
    person: Person,
    level: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    decision_ref: str = "",
    reason: str = "",
) -> Discipline:
    """Record a disciplinary measure (in force from start through end; open if no end)."""
    d = Discipline(
        person=person,
        level=level,
        start_date=start_date,
        end_date=end_date,
        decision_ref=decision_ref or "",
        reason=reason or "",
    )
    _check_discipline(d)
    d.save()
    audit.record(actor, "person.discipline_add", d, after=audit.snapshot(d, DISCIPLINE_FIELDS))
    return d


@transaction.atomic
def update_discipline(actor, discipline: Discipline, **changes) -> Discipline:
    """Change a discipline record (e.g. set its end date)."""
    d = Discipline.objects.select_for_update().get(pk=discipline.pk)
    stored = _stored(d, ["decision_ref"])
    audit.apply_changes(
        actor,
        "person.discipline_update",
        d,
        DISCIPLINE_FIELDS,
        changes,
        check=lambda d: _check_discipline(d, stored),
    )
    return d


@transaction.atomic
def delete_discipline(actor, discipline: Discipline) -> None:
    """Delete a discipline record entered by mistake."""
    d = Discipline.objects.select_for_update().get(pk=discipline.pk)
    audit.record(actor, "person.discipline_delete", d, before=audit.snapshot(d, DISCIPLINE_FIELDS))
    d.delete()
