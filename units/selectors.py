"""Reads of the registry, scoped to the user asking."""

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from emulation_portal.text import fold
from units.models import Bloc, BlocMembership, Person, PersonYear, PositionLevel, Unit
from units.rules import is_reader, is_unit_officer, scope_q


def counted_position_level(prefix: str = ""):
    """The SQL expression of the level a person's year counts at, on a ``PersonYear``
    query (``prefix`` leads from another model to the ``PersonYear``): the recorded level,
    else ``QUAN_LY`` for a manager and ``TRUC_TIEP`` for anyone else."""
    return Case(
        When(~Q(**{f"{prefix}position_level": ""}), then=F(f"{prefix}position_level")),
        When(**{f"{prefix}person__is_manager": True}, then=Value(PositionLevel.QUAN_LY)),
        default=Value(PositionLevel.TRUC_TIEP),
        output_field=CharField(),
    )


def counted_position_level_q(level: str, prefix: str = "") -> Q:
    """A filter on ``PersonYear`` rows that count at ``level`` (with the fallback)."""
    q = Q(**{f"{prefix}position_level": level})
    if level == PositionLevel.QUAN_LY:
        q |= Q(**{f"{prefix}position_level": "", f"{prefix}person__is_manager": True})
    elif level == PositionLevel.TRUC_TIEP:
        q |= Q(**{f"{prefix}position_level": "", f"{prefix}person__is_manager": False})
    return q


def subtree(unit: Unit, include_self: bool = True) -> QuerySet[Unit]:
    """``unit`` and every unit below it: one prefix filter on ``path``."""
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def visible_units(user) -> QuerySet[Unit]:
    """Every unit for readers and the office; a unit officer's own subtree(s) otherwise."""
    if is_reader(user):
        return Unit.objects.all()
    if is_unit_officer(user):
        return Unit.objects.filter(scope_q(user))
    return Unit.objects.none()


def visible_people(user) -> QuerySet[Person]:
    """Every person for readers and the office; a unit officer sees the people whose
    current unit is in their scope."""
    if is_reader(user):
        return Person.objects.all()
    if is_unit_officer(user):
        return Person.objects.filter(scope_q(user, "unit__"))
    return Person.objects.none()


def search(qs: QuerySet, text: str) -> QuerySet:
    """Accent-insensitive search on ``search_text``: every word must appear ("nguyen thi
    anh" finds "Nguyễn Thị Ánh"; "d" matches "đ")."""
    folded = fold(text)
    if not folded:
        return qs
    q = Q()
    for word in folded.split()[:8]:
        q &= Q(search_text__contains=word)
    return qs.filter(q)


def by_name(qs: QuerySet[Person], searching: bool) -> QuerySet[Person]:
    """People in name order (then code). With a search, the sort key is an expression:
    ordered by the bare column, the planner walks the name index and tests every person
    against the words (common ones like "thi" fool its estimate), about a second at a
    million people; sorting the matches the trigram index finds is a tenth of that."""
    if searching:
        return qs.order_by(Concat("full_name", Value("")), "code")
    return qs.order_by("full_name", "code")


def people_in_subtree(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit__path__startswith=unit.path)


def unit_year_people(unit: Unit, year: int) -> QuerySet[Person]:
    """The unit's people for ``year``: those whose year names the unit, or, without a
    recorded year, whose current unit it is (``codes.md``)."""
    recorded = PersonYear.objects.filter(year=year, unit=unit).values("person_id")
    without = Person.objects.filter(unit=unit).exclude(years__year=year)
    return Person.objects.filter(Q(pk__in=recorded) | Q(pk__in=without.values("pk")))


def bloc_years(bloc: Bloc) -> list[int]:
    return sorted(
        set(BlocMembership.objects.filter(bloc=bloc).values_list("year", flat=True)),
        reverse=True,
    )


def unit_bloc_by_year(unit: Unit) -> QuerySet[BlocMembership]:
    return (
        BlocMembership.objects.filter(unit=unit)
        .select_related("bloc")
        .order_by("-year", "bloc_kind")
    )
