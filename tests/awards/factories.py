"""Factories for the awards tests, including our own for units models (no waiting on the
units engineer's factories)."""

import datetime

import factory

from awards.models import AwardKind, AwardRecord, AwardType
from units.models import (
    Bloc,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitRating,
)
from units.services import segment


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = "VU"

    @factory.post_generation
    def materialised_path(self, create, extracted, **kwargs):
        """A root unit's path, as the units services would write it (subtree filters)."""
        if create and not self.path:
            prefix = self.parent.path if self.parent_id else ""
            self.path = prefix + segment(self.pk)
            self.depth = prefix.count(".")
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:04d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    gender = "M"
    unit = factory.SubFactory(UnitFactory)


def rate(person, ratings: dict[int, str], unit=None):
    """Give ``person`` a rating per year: {2022: "HTTNV", ...}."""
    for year, rating in ratings.items():
        PersonYear.objects.update_or_create(
            person=person, year=year, defaults={"rating": rating, "unit": unit or person.unit}
        )


def rate_unit(unit, ratings: dict[int, str]):
    for year, rating in ratings.items():
        UnitRating.objects.update_or_create(unit=unit, year=year, defaults={"rating": rating})


def award(subject, code: str, year: int, kind=AwardKind.CONG_TRANG, **kw):
    field = "unit" if isinstance(subject, Unit) else "person"
    return AwardRecord.objects.create(
        **{field: subject},
        award_type=AwardType.objects.get(code=code),
        year=year,
        kind=kind,
        source="manual",
        **kw,
    )


def initiative(person, year: int, scope="CO_SO", title=None, kind="initiative"):
    return Initiative.objects.create(
        person=person, year=year, scope=scope, kind=kind, title=title or f"Sáng kiến {year}"
    )


def discipline(person, start: datetime.date, end: datetime.date | None = None, level="CANH_CAO"):
    return Discipline.objects.create(person=person, level=level, start_date=start, end_date=end)


def bloc_member(unit, year: int, role="member", code="KHOI_T", kind="KHOI"):
    bloc, _ = Bloc.objects.get_or_create(code=code, defaults={"name": code, "kind": kind})
    return BlocMembership.objects.create(bloc=bloc, year=year, unit=unit, role=role)
