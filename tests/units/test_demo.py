"""The demo seeder: real blocs and clusters, accounts, deterministic generated people; the
bulk generator writes one summary audit event."""

import random

import pytest

from emulation_portal import demo as portal_demo
from emulation_portal.models import AuditEvent
from units import bulk, demo
from units.exchange import export_rows
from units.models import Bloc, BlocMembership, Person, PersonYear, Unit, UnitOfficer
from units.rules import officer_units


def run_seed(seed=7, scale=None):
    ctx = portal_demo.SeedContext(
        rng=random.Random(seed), seed=seed, scale=scale, actor=None, log=lambda *_: None
    )
    demo.seed(ctx)


def snapshot():
    return {spec.name: list(rows) for spec, rows in export_rows()}


@pytest.mark.django_db
def test_seed_builds_real_structure_and_is_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_PEOPLE", 120)
    run_seed()
    assert set(Bloc.objects.values_list("code", flat=True)) == {
        "KHOI_I",
        "KHOI_II",
        "KHOI_III",
        "KHOI_IV",
        "KHOI_V",
        "KHOI_VI",
        "KHOI_VII",
        "CUM_I",
        "CUM_IV",
        "CUM_VIII",
    }
    assert Bloc.objects.get(code="KHOI_II").name == "Khối thi đua số II"
    leader = BlocMembership.objects.get(bloc__code="KHOI_II", year=2024, role="leader")
    assert leader.unit.name == "Văn phòng Bộ"
    assert (
        BlocMembership.objects.get(bloc__code="CUM_I", year=2022, role="leader").unit.name
        == "Sở Tài nguyên và Môi trường Hải Phòng"
    )
    assert BlocMembership.objects.filter(bloc__code="CUM_I", year=2025).count() == 10
    for year in range(2021, 2026):
        for bloc in Bloc.objects.all():
            roles = list(
                BlocMembership.objects.filter(bloc=bloc, year=year).values_list("role", flat=True)
            )
            assert roles.count("leader") == 1 and roles.count("deputy") == 1
    donvi = UnitOfficer.objects.get(user__username="donvi")
    assert donvi.unit.code == "VP_BO"
    assert officer_units(donvi.user) >= {Unit.objects.get(code="VP_BO_HC").pk}
    khoitruong = UnitOfficer.objects.get(user__username="khoitruong")
    assert (
        BlocMembership.objects.get(bloc__code="KHOI_II", year=2025, role="leader").unit
        == khoitruong.unit
    )
    assert Person.objects.filter(code__startswith="CB").count() == 120
    assert Person.objects.filter(code__startswith="LD_BO_").count() == len(demo.LEADERS)
    levels = set(PersonYear.objects.values_list("position_level", flat=True))
    assert {"LANH_DAO_BO", "LANH_DAO_VU", "QUAN_LY", "TRUC_TIEP"} <= levels and "" not in levels
    assert set(PersonYear.objects.values_list("year", flat=True)) == set(range(2021, 2026))
    first = snapshot()
    # seeding again adds nothing
    run_seed()
    assert snapshot() == first


@pytest.mark.django_db
def test_same_seed_same_people_other_seed_other_people():
    root = Unit.objects.create(code="R", name="R", kind="BO", path="00000001.")
    units = [(root.pk, "R")]

    def people(seed):
        Person.objects.all().delete()
        bulk.generate_people(
            None,
            rng=random.Random(seed),
            units=units,
            count=40,
            years=range(2021, 2026),
            prefix="X",
            log=lambda *_: None,
        )
        return list(Person.objects.order_by("code").values_list("full_name", "birth_date"))

    first = people(1)
    assert people(1) == first
    assert people(2) != first


@pytest.mark.django_db
def test_bulk_generation_one_summary_event_and_valid_rows():
    root = demo._unit(
        portal_demo.SeedContext(random.Random(1), 1, None, None, print), "BO", "Bộ", "BO", None
    )
    units = bulk.generate_units(
        None, root=root, prefix="T", departments=2, per_department=3, log=lambda *_: None
    )
    assert len(units) == 8
    d1 = Unit.objects.get(code="TD001")
    assert set(Unit.objects.filter(path__startswith=d1.path).values_list("code", flat=True)) == {
        "TD001",
        "TD001P01",
        "TD001P02",
        "TD001P03",
    }
    before = AuditEvent.objects.count()
    made = bulk.generate_people(
        None,
        rng=random.Random(3),
        units=units,
        count=250,
        years=range(2016, 2026),
        prefix="TP",
        log=lambda *_: None,
    )
    assert AuditEvent.objects.count() == before + 1
    assert made.people == Person.objects.count() == 250
    assert made.years == PersonYear.objects.count() > 250 * 5
    p = Person.objects.first()
    assert p.search_text and p.search_text.isascii()
    # ids and sequences stay usable after explicit-id inserts
    from tests.units.factories import make_person

    assert make_person(d1).pk > p.pk
