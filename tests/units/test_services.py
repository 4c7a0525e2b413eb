import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from emulation_portal.models import AuditEvent
from emulation_portal.text import fold
from tests.units.factories import make_bloc, make_person, make_unit
from units import services
from units.models import BlocKind, BlocMembership, BlocRole, PersonYear, Unit, UnitKind
from units.selectors import search, subtree, unit_year_people


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_paths_depth_and_search_text(tree):
    bo, vp, p1 = tree["bo"], tree["vp"], tree["p1"]
    for u in (bo, vp, p1):
        u.refresh_from_db()
    assert vp.path.startswith(bo.path) and p1.path.startswith(vp.path)
    assert (bo.depth, vp.depth, p1.depth) == (0, 1, 2)
    assert set(subtree(vp)) == {vp, p1}
    assert vp.search_text == "vp van phong bo"
    assert tree["people"]["p1"].search_text == "dang van duc nv2"


def test_move_rewrites_subtree_and_refuses_cycles(tree):
    bo, vp, p1, tccb = tree["bo"], tree["vp"], tree["p1"], tree["tccb"]
    services.update_unit(None, vp, parent=tccb)
    p1.refresh_from_db()
    tccb.refresh_from_db()
    assert p1.path.startswith(tccb.path) and p1.depth == 3
    with pytest.raises(ValidationError, match="cycle"):
        services.update_unit(None, tccb, parent=p1)
    tccb.refresh_from_db()
    assert tccb.parent_id == bo.pk
    with pytest.raises(ValidationError):
        services.update_unit(None, bo, parent=bo)


def test_duplicate_code_and_bad_dates_refused(tree):
    with pytest.raises(ValidationError):
        make_unit("VP")
    import datetime as dt

    with pytest.raises(ValidationError):
        make_unit("X1", active_from=dt.date(2020, 1, 2), active_to=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        make_person(tree["vp"], birth_date=dt.date(2090, 1, 1))
    with pytest.raises(ValidationError, match="reserved"):  # /units/new/ is the create page
        make_unit("new")
    assert Unit.objects.count() == 4


def test_every_write_is_audited(tree):
    before = AuditEvent.objects.count()
    services.set_person_year(None, person=tree["people"]["vp"], year=2024, rating="HTXSNV")
    services.set_unit_rating(None, unit=tree["vp"], year=2024, rating="HTTNV")
    assert AuditEvent.objects.count() == before + 2
    # no change: no event
    services.set_person_year(None, person=tree["people"]["vp"], year=2024, rating="HTXSNV")
    assert AuditEvent.objects.count() == before + 2


def test_year_out_of_range(tree):
    with pytest.raises(ValidationError, match="2999"):
        services.set_person_year(None, person=tree["people"]["vp"], year=2999, rating="HTNV")
    assert not PersonYear.objects.exists()


def test_rate_people_grid_refuses_outsiders(tree):
    vp = tree["vp"]
    inside, outside = tree["people"]["vp"], tree["people"]["tccb"]
    with pytest.raises(ValidationError):
        services.rate_people(
            None, unit=vp, year=2024, ratings={inside.pk: "HTTNV", outside.pk: "HTTNV"}
        )
    assert not PersonYear.objects.exists()
    assert services.rate_people(None, unit=vp, year=2024, ratings={inside.pk: "HTTNV"}) == 1
    assert services.rate_people(None, unit=vp, year=2024, ratings={inside.pk: "HTTNV"}) == 0
    assert list(unit_year_people(vp, 2024)) == [inside]


def test_search_is_accent_free(tree):
    from units.models import Person

    assert list(search(Person.objects.all(), "nguyen thi anh")) == [tree["people"]["vp"]]
    assert list(search(Person.objects.all(), "DUC")) == [tree["people"]["p1"]]
    assert list(search(Person.objects.all(), "đức")) == [tree["people"]["p1"]]
    assert fold("Đặng") == "dang"


def test_bloc_leader_deputy_and_one_bloc_per_kind(tree):
    b1, b2 = make_bloc("K1"), make_bloc("K2")
    cum = make_bloc("C1", kind=BlocKind.CUM)
    vp, tccb, p1 = tree["vp"], tree["tccb"], tree["p1"]
    services.add_bloc_member(None, bloc=b1, year=2024, unit=vp, role=BlocRole.LEADER)
    with pytest.raises(ValidationError, match="leader"):
        services.add_bloc_member(None, bloc=b1, year=2024, unit=tccb, role=BlocRole.LEADER)
    services.add_bloc_member(None, bloc=b1, year=2024, unit=tccb, role=BlocRole.DEPUTY)
    with pytest.raises(ValidationError, match="deputy"):
        services.add_bloc_member(None, bloc=b1, year=2024, unit=p1, role=BlocRole.DEPUTY)
    with pytest.raises(ValidationError, match="Khối"):
        services.add_bloc_member(None, bloc=b2, year=2024, unit=vp)
    services.add_bloc_member(None, bloc=cum, year=2024, unit=vp)  # another kind: fine
    services.add_bloc_member(None, bloc=b2, year=2025, unit=vp)  # another year: fine
    assert BlocMembership.objects.count() == 4


def test_database_refuses_two_leaders_even_without_services(tree):
    b1 = make_bloc("K1")
    BlocMembership.objects.create(bloc=b1, year=2024, unit=tree["vp"], role="leader")
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocMembership.objects.create(bloc=b1, year=2024, unit=tree["tccb"], role="leader")
    b2 = make_bloc("K2")
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocMembership.objects.create(bloc=b2, year=2024, unit=tree["vp"], role="member")


def test_carry_forward_is_idempotent_and_set_role(tree):
    b1 = make_bloc("K1")
    services.add_bloc_member(None, bloc=b1, year=2024, unit=tree["vp"], role=BlocRole.LEADER)
    services.add_bloc_member(None, bloc=b1, year=2024, unit=tree["tccb"], role=BlocRole.DEPUTY)
    created = services.carry_bloc_forward(None, bloc=b1, year=2024)
    assert {(m.unit.code, m.role) for m in created} == {("VP", "member"), ("TCCB", "member")}
    assert services.carry_bloc_forward(None, bloc=b1, year=2024) == []
    services.set_bloc_role(None, bloc=b1, year=2025, unit=tree["tccb"], role=BlocRole.LEADER)
    with pytest.raises(ValidationError):
        services.set_bloc_role(None, bloc=b1, year=2025, unit=tree["vp"], role=BlocRole.LEADER)
    assert BlocMembership.objects.get(bloc=b1, year=2025, unit=tree["vp"]).role == "member"
    with pytest.raises(ValidationError):
        services.set_bloc_role(None, bloc=b1, year=2025, unit=tree["p1"], role=BlocRole.MEMBER)


def test_closed_unit_keeps_history_and_points_to_successor(tree):
    import datetime as dt

    old = make_unit("OLD", "Tổng cục cũ", UnitKind.CUC, parent=tree["bo"])
    services.set_unit_rating(None, unit=old, year=2023, rating="HTXSNV")
    services.close_unit(None, old, active_to=dt.date(2024, 12, 31), successor=tree["tccb"])
    old.refresh_from_db()
    assert not old.is_active and old.successor == tree["tccb"]
    assert old.ratings.get().rating == "HTXSNV"
