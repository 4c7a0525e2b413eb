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


def build_scored_bloc(year: int, n_units: int, *, code: str | None = None, ranked=False):
    """A bloc of ``n_units`` with a locked 3-criterion pledge, every unit signed and scored
    (direct inserts: fast, for query-count tests). Returns (bloc, units, leader_user)."""
    from decimal import Decimal

    from django.utils import timezone

    from campaigns.models import Criterion, Pledge, Ranking, RankingEntry, Score, Signature

    bloc = BlocFactory(**({"code": code} if code else {}))
    units = [UnitFactory() for _ in range(n_units)]
    for i, unit in enumerate(units):
        membership(bloc, year, unit, BlocRole.LEADER if i == 0 else BlocRole.MEMBER)
    leader = officer(units[0])
    now = timezone.now()
    pledge = Pledge.objects.create(bloc=bloc, year=year, title="P", state="locked", locked_at=now)
    crits = Criterion.objects.bulk_create(
        [
            Criterion(pledge=pledge, order=1, name="A", kind="standard", max_points=60),
            Criterion(pledge=pledge, order=2, name="B", kind="bonus", max_points=10),
            Criterion(pledge=pledge, order=3, name="C", kind="penalty", max_points=5),
        ]
    )
    Signature.objects.bulk_create([Signature(pledge=pledge, unit=u, signed_at=now) for u in units])
    Score.objects.bulk_create(
        [
            Score(
                criterion=c,
                unit=u,
                max_points=c.max_points,
                self_points=Decimal((i * 7 + c.order) % int(c.max_points)),
            )
            for i, u in enumerate(units)
            for c in crits
        ]
    )
    if ranked:
        ranking = Ranking.objects.create(
            bloc=bloc, year=year, pledge=pledge, computed_at=now, published_at=now
        )
        RankingEntry.objects.bulk_create(
            [
                RankingEntry(
                    ranking=ranking,
                    unit=u,
                    rank=i + 1,
                    total=0,
                    standard_total=0,
                    bonus_total=0,
                    penalty_total=0,
                )
                for i, u in enumerate(units)
            ]
        )
    return bloc, units, leader
