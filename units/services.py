"""Every write to the registry: units and their tree, people, yearly ratings, discipline,
initiatives, blocs and their membership per year, unit officers.

Each function takes ``actor`` first, runs in a transaction, locks the rows it changes,
records an audit event per write, and raises ``ValidationError`` with a translated message
for bad input (the database constraints stand behind every check).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation_portal import audit
from emulation_portal.text import fold, nfc
from emulation_portal.validators import (
    LONG_TEXT_MAX,
    PERSON_NAME_MAX,
    TITLE_MAX,
    UNIT_NAME_MAX,
    check_length,
    check_name,
)
from units.models import (
    MAX_YEAR,
    MIN_YEAR,
    Bloc,
    BlocKind,
    BlocMembership,
    BlocRole,
    Discipline,
    DisciplineLevel,
    Gender,
    Initiative,
    InitiativeKind,
    InitiativeScope,
    Person,
    PersonYear,
    PositionLevel,
    Rating,
    Unit,
    UnitKind,
    UnitOfficer,
    UnitRating,
)

PATH_WIDTH = 8
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
# Codes appear in page addresses (/units/<code>/, /people/<code>/) beside these words.
RESERVED_CODES = frozenset({"new"})
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
PERSON_FIELDS = ["code", "full_name", "gender", "birth_date", "position", "is_manager", "unit"]


# -- shared checks -------------------------------------------------------------------------
def last_allowed_year() -> int:
    """Years after the one in progress cannot be rated or recorded yet."""
    return min(timezone.localdate().year + 1, MAX_YEAR)


def check_year(year, field: str = "year") -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({field: _("The year must be a number such as 2024.")}) from None
    if not MIN_YEAR <= year <= last_allowed_year():
        raise ValidationError(
            {
                field: _("The year %(year)s is out of range (%(min)s-%(max)s).")
                % {"year": year, "min": MIN_YEAR, "max": last_allowed_year()}
            }
        )
    return year


def check_code(code: str, field: str = "code") -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise ValidationError(
            {
                field: _(
                    "The code %(code)s is not valid: use 1-40 letters, digits, '_', '-' or "
                    "'.', starting with a letter or digit."
                )
                % {"code": code or "∅"}
            }
        )
    if code in RESERVED_CODES:
        raise ValidationError(
            {
                field: _("The code %(code)s is reserved by the portal's addresses; choose another.")
                % {"code": code}
            }
        )
    return code


def _check_choice(value, choices, field: str):
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("%(value)s is not one of: %(choices)s.")
                % {"value": value or "∅", "choices": ", ".join(choices.values)}
            }
        )
    return value


def unit_search_text(unit: Unit) -> str:
    return fold(" ".join(filter(None, [unit.code, unit.name, unit.short_name])))[:400]


def person_search_text(person: Person) -> str:
    return fold(f"{person.full_name} {person.code}")[:400]


def segment(unit_id: int) -> str:
    return f"{unit_id:0{PATH_WIDTH}d}."


# -- units ---------------------------------------------------------------------------------
def _stored(obj, fields: list[str]) -> dict:
    """The values of ``fields`` as stored, before a change: kept values pass ``check_name``."""
    return {f: getattr(obj, f) for f in fields}


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


# -- initiatives ---------------------------------------------------------------------------
INITIATIVE_FIELDS = ["year", "title", "kind", "scope", "recognized_on", "recognized_by"]


def _check_initiative(i: Initiative, stored: dict | None = None) -> None:
    stored = stored or {}
    i.year = check_year(i.year)
    i.title = " ".join(nfc(i.title).split())
    if not i.title:
        raise ValidationError({"title": _("The title is required.")})
    check_name(i.title, "title", TITLE_MAX, unchanged_from=stored.get("title"))
    i.recognized_by = nfc(i.recognized_by).strip()
    check_name(i.recognized_by, "recognized_by", 300, unchanged_from=stored.get("recognized_by"))
    _check_choice(i.kind, InitiativeKind, "kind")
    _check_choice(i.scope, InitiativeScope, "scope")
    if i.recognized_on and not (i.year - 1 <= i.recognized_on.year <= i.year + 3):
        raise ValidationError(
            {"recognized_on": _("The recognition date is far from the initiative's year.")}
        )
    if i.recognized_on and i.recognized_on > timezone.localdate():
        raise ValidationError({"recognized_on": _("The recognition date is in the future.")})
    clash = Initiative.objects.filter(person=i.person, year=i.year, title=i.title)
    if i.pk:
        clash = clash.exclude(pk=i.pk)
    if clash.exists():
        raise ValidationError(_("This initiative is already recorded for that year."))


@transaction.atomic
def add_initiative(
    actor,
    *,
    person: Person,
    year: int,
    title: str,
    scope: str,
    kind: str = InitiativeKind.INITIATIVE,
    recognized_on: dt.date | None = None,
    recognized_by: str = "",
) -> Initiative:
    """Record an initiative or scientific project of ``person``."""
    i = Initiative(
        person=person,
        year=year,
        title=title,
        scope=scope,
        kind=kind,
        recognized_on=recognized_on,
        recognized_by=recognized_by or "",
    )
    _check_initiative(i)
    i.save()
    audit.record(actor, "person.initiative_add", i, after=audit.snapshot(i, INITIATIVE_FIELDS))
    return i


@transaction.atomic
def update_initiative(actor, initiative: Initiative, **changes) -> Initiative:
    """Change an initiative's details."""
    i = Initiative.objects.select_for_update().get(pk=initiative.pk)
    stored = _stored(i, ["title", "recognized_by"])
    audit.apply_changes(
        actor,
        "person.initiative_update",
        i,
        INITIATIVE_FIELDS,
        changes,
        check=lambda i: _check_initiative(i, stored),
    )
    return i


@transaction.atomic
def delete_initiative(actor, initiative: Initiative) -> None:
    """Delete an initiative entered by mistake."""
    i = Initiative.objects.select_for_update().get(pk=initiative.pk)
    audit.record(actor, "person.initiative_delete", i, before=audit.snapshot(i, INITIATIVE_FIELDS))
    i.delete()


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
