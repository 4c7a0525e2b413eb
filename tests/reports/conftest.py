"""A small world for the figures: the ministry with two departments (one with a sub-unit),
people with their years, levels and awards, a unit's own awards and a superseded record."""

import datetime

import pytest
from django.utils import timezone

from awards.models import AwardKind
from tests.awards.factories import PersonFactory, UnitFactory, award, bloc_member, rate
from units.models import PersonYear


@pytest.fixture
def world(db):
    bo = UnitFactory(code="BO", name="Bộ", kind="BO")
    vp = UnitFactory(code="VP", name="Văn phòng", kind="VAN_PHONG", parent=bo)
    vp_hc = UnitFactory(code="VP_HC", name="Phòng Hành chính", kind="PHONG", parent=vp)
    vu = UnitFactory(code="VU", name="Vụ Pháp chế", kind="VU", parent=bo)
    UnitFactory(code="EMPTY", name="Trung tâm trống", kind="TRUNG_TAM", parent=bo)

    def person(code, unit, gender="M", manager=False, level="", year_unit=None):
        p = PersonFactory(code=code, unit=unit, gender=gender, is_manager=manager)
        rate(p, {2025: "HTTNV"}, unit=year_unit or unit)
        PersonYear.objects.filter(person=p, year=2025).update(position_level=level)
        return p

    a = person("A", vp, "F", manager=True, level="LANH_DAO_VU")
    b = person("B", vp_hc, "F")  # no level, frontline
    c = person("C", vp_hc, "M", manager=True)  # no level, manager: QUAN_LY
    d = person("D", vu, "M", level="TRUC_TIEP")
    # moved from VU to VP in 2026: in 2025 they count in VU
    e = person("E", vp, "F", level="QUAN_LY", year_unit=vu)
    # no row for 2025: not staff; an award counts in the current unit with the fallback
    f = PersonFactory(code="F", unit=vu, gender="F", is_manager=False)
    award(a, "LDTT", 2025)
    award(a, "CSTD_CS", 2025)
    award(b, "LDTT", 2025)
    award(b, "BK_BO", 2025, kind=AwardKind.DOT_XUAT)
    award(c, "LDTT", 2025)
    award(d, "LDTT", 2025)
    award(e, "BK_BO", 2025)
    award(f, "GK", 2025, kind=AwardKind.CHUYEN_DE)
    award(vp, "TTLDXS", 2025)
    award(vu, "TTLDTT", 2025)
    award(vp_hc, "TTLDTT", 2025)
    # superseded by a replacing decision: never counted
    award(d, "CSTD_CS", 2025, superseded_at=timezone.now())
    # another year: not counted in 2025
    award(d, "LDTT", 2024)
    rate(d, {2024: "HTTNV"})
    bloc_member(vp, 2025, role="leader")
    bloc_member(vu, 2025, role="member", code="KHOI_U")
    return {"bo": bo, "vp": vp, "vp_hc": vp_hc, "vu": vu, "date": datetime.date(2025, 12, 1)}
