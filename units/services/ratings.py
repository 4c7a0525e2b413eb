"""A person's year (unit, position, rating) and the yearly ratings of people and units."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from emulation_portal import audit
from units.models import Person, PersonYear, PositionLevel, Rating, Unit, UnitRating
from units.services.common import _check_choice, check_year


@transaction.atomic
def set_person_year(
    actor,
    *,
    person: Person,
    year: int,
    rating: str = "",
    unit: Unit | None = None,
    position_level: str | None = None,
) -> PersonYear:
    """Record ``person``'s unit, rating and position level for ``year`` (blank rating: not
    rated yet). The unit defaults to the year's recorded unit, else the person's current
    unit; ``position_level`` None keeps the recorded level ("" clears it)."""
    year = check_year(year)
    if rating:
        _check_choice(rating, Rating, "rating")
    if position_level:
        _check_choice(position_level, PositionLevel, "position_level")
    fields = ["unit", "rating", "position_level"]
    py = PersonYear.objects.select_for_update().filter(person=person, year=year).first()
    if py is None:
        py = PersonYear(person=person, year=year, unit_id=(unit.pk if unit else person.unit_id))
        py.rating = rating or ""
        py.position_level = position_level or ""
        try:
            with transaction.atomic():
                py.save()
        except IntegrityError:
            raise ValidationError(
                _("The year %(year)s of %(person)s was recorded at the same time; reload.")
                % {"year": year, "person": person}
            ) from None
        audit.record(actor, "person.rate", py, after=audit.snapshot(py, fields))
        return py
    before = audit.snapshot(py, fields)
    if unit is not None:
        py.unit = unit
    py.rating = rating or ""
    if position_level is not None:
        py.position_level = position_level
    after = audit.snapshot(py, fields)
    if after != before:
        py.save(update_fields=fields)
        audit.record(actor, "person.rate", py, before=before, after=after)
    return py


@transaction.atomic
def rate_people(
    actor, *, unit: Unit, year: int, ratings: dict[int, str], levels: dict[int, str] | None = None
) -> int:
    """The rating grid: set many people's ratings (and, when ``levels`` is given, position
    levels) for ``year`` in one go (``ratings`` / ``levels`` map person id -> code or "").
    Only people whose current unit is ``unit`` or whose year is recorded in ``unit`` may be
    rated here. Returns how many people's years changed."""
    year = check_year(year)
    levels = levels or {}
    allowed = set(Person.objects.filter(unit=unit).values_list("pk", flat=True)) | set(
        PersonYear.objects.filter(unit=unit, year=year).values_list("person_id", flat=True)
    )
    bad = [pk for pk in {*ratings, *levels} if pk not in allowed]
    if bad:
        raise ValidationError(_("Some of these people do not belong to this unit."))
    for code in ratings.values():
        if code:
            _check_choice(code, Rating, "rating")
    for code in levels.values():
        if code:
            _check_choice(code, PositionLevel, "position_level")
    ids = list(dict.fromkeys([*ratings, *levels]))
    people = Person.objects.in_bulk(ids)
    changed = 0
    existing = {
        py.person_id: py
        for py in PersonYear.objects.select_for_update().filter(year=year, person_id__in=ids)
    }
    for pk in ids:
        py = existing.get(pk)
        code = ratings.get(pk, py.rating if py else "")
        level = levels.get(pk, py.position_level if py else "")
        if py is None and not code and not level:
            continue
        if py is not None and py.rating == (code or "") and py.position_level == (level or ""):
            continue
        set_person_year(
            actor,
            person=people[pk],
            year=year,
            rating=code or "",
            unit=unit if py is None else None,
            position_level=level or "",
        )
        changed += 1
    return changed


@transaction.atomic
def set_unit_rating(actor, *, unit: Unit, year: int, rating: str) -> UnitRating:
    """Record the unit's own rating for ``year``."""
    year = check_year(year)
    _check_choice(rating, Rating, "rating")
    row = UnitRating.objects.select_for_update().filter(unit=unit, year=year).first()
    if row is None:
        try:
            with transaction.atomic():
                row = UnitRating.objects.create(unit=unit, year=year, rating=rating)
        except IntegrityError:
            raise ValidationError(_("This rating was recorded at the same time; reload.")) from None
        audit.record(actor, "unit.rate", row, after={"rating": rating, "year": year})
    elif row.rating != rating:
        before = {"rating": row.rating, "year": year}
        row.rating = rating
        row.save(update_fields=["rating"])
        audit.record(actor, "unit.rate", row, before=before, after={"rating": rating, "year": year})
    return row
