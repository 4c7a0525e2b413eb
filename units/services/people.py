"""A person's record: create and edit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import fold, nfc
from emulation_portal.validators import PERSON_NAME_MAX, check_name
from units.models import Gender, Person, Unit
from units.services.common import _check_choice, _stored, check_code

PERSON_FIELDS = ["code", "full_name", "gender", "birth_date", "position", "is_manager", "unit"]


def person_search_text(person: Person) -> str:
    return fold(f"{person.full_name} {person.code}")[:400]


# -- people --------------------------------------------------------------------------------
def _check_person(person: Person, stored: dict | None = None) -> None:
    stored = stored or {}
    person.code = check_code(person.code)
    person.full_name = " ".join(nfc(person.full_name).split())
    person.position = nfc(person.position).strip()
    if not person.full_name:
        raise ValidationError({"full_name": _("The full name is required.")})
    check_name(
        person.full_name, "full_name", PERSON_NAME_MAX, unchanged_from=stored.get("full_name")
    )
    check_name(person.position, "position", 200, unchanged_from=stored.get("position"))
    _check_choice(person.gender, Gender, "gender")
    if person.birth_date:
        today = timezone.localdate()
        if person.birth_date < dt.date(1900, 1, 1) or person.birth_date > today:
            raise ValidationError({"birth_date": _("The birth date is impossible.")})
    if person.unit_id is None:
        raise ValidationError({"unit": _("The unit is required.")})
    clash = Person.objects.filter(code=person.code)
    if person.pk:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("A person with code %(code)s exists.") % {"code": person.code}}
        )


@transaction.atomic
def create_person(
    actor,
    *,
    code: str,
    full_name: str,
    gender: str,
    unit: Unit,
    birth_date: dt.date | None = None,
    position: str = "",
    is_manager: bool = False,
) -> Person:
    """Add a person to ``unit``."""
    person = Person(
        code=code,
        full_name=full_name,
        gender=gender,
        unit=unit,
        birth_date=birth_date,
        position=position or "",
        is_manager=bool(is_manager),
    )
    _check_person(person)
    person.search_text = person_search_text(person)
    person.save()
    audit.record(actor, "person.create", person, after=audit.snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def update_person(actor, person: Person, **changes) -> Person:
    """Change a person's details or current unit (the years already recorded keep their
    own unit)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    stored = _stored(person, ["full_name", "position"])

    def check(p: Person) -> None:
        _check_person(p, stored)
        p.search_text = person_search_text(p)

    audit.apply_changes(actor, "person.update", person, PERSON_FIELDS, changes, check=check)
    return person
