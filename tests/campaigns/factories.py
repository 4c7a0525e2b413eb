"""Minimal factories for the registry models campaigns needs, plus campaigns' own."""

import datetime as dt

import factory

from campaigns.models import Campaign, CampaignKind
from emulation_portal.models import Role
from tests.factories import UserFactory
from units.models import Bloc, BlocKind, BlocMembership, BlocRole, Unit, UnitKind, UnitOfficer


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị số {n}")
    kind = UnitKind.VU
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        prefix = obj.parent.path if obj.parent_id else ""
        obj.path = f"{prefix}{obj.pk:08d}."
        obj.depth = obj.path.count(".") - 1
        obj.save(update_fields=["path", "depth"])


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    code = factory.Sequence(lambda n: f"KHOI_T{n}")
    name = factory.Sequence(lambda n: f"Khối thi đua thử {n}")
    kind = BlocKind.KHOI


def membership(bloc, year, unit, role=BlocRole.MEMBER):
    return BlocMembership.objects.create(
        bloc=bloc, year=year, unit=unit, role=role, bloc_kind=bloc.kind
    )


def officer(unit, username=None):
    user = UserFactory(role=Role.UNIT_OFFICER, **({"username": username} if username else {}))
    UnitOfficer.objects.create(user=user, unit=unit)
    return user


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    year = 2026
    kind = CampaignKind.ANNUAL
    name = factory.LazyAttribute(lambda o: f"Phong trào thi đua năm {o.year}")
    theme = "Đoàn kết, kỷ cương, đổi mới, sáng tạo"
    starts_on = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 1))
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 31))
