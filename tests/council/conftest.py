"""A ministry council of 15 voting members (chair, two vice-chairs, eleven members and a
secretary who votes), its term, the office, and nominations accepted for the council:
CSTD_BO (90%) for people and CO_BO (80%) for units."""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from awards.council import services
from awards.models import AttendanceStatus, AwardType, MemberRole, Nomination
from emulation_portal.models import Role
from tests.factories import UserFactory
from tests.nominations import factories as f

YEAR = 2025
DAY = dt.date(2026, 1, 20)


@dataclass
class World:
    ministry: object
    vp: object
    office: object
    council: object
    term: object
    members: list
    chair: object
    secretary: object
    people: list = field(default_factory=list)
    units: list = field(default_factory=list)


def accepted(*, person=None, unit=None, code="CSTD_BO", proposing_unit):
    return Nomination.objects.create(
        person=person,
        unit=unit,
        award_type=AwardType.objects.get(code=code),
        year=YEAR,
        proposing_unit=proposing_unit,
        level="ministry",
        state="accepted",
    )


@pytest.fixture(autouse=True)
def _english():
    """Service tests match the messages' English ids; the API tests ask for Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    ministry = f.unit("BO", "Bộ Nông nghiệp và Môi trường", kind="BO")
    vp = f.unit("VP", "Văn phòng Bộ", parent=ministry, kind="VAN_PHONG")
    office = UserFactory(role=Role.OFFICE, username="thidua")
    council = services.create_council(
        office, name="Hội đồng Thi đua - Khen thưởng Bộ", level="ministry", unit=ministry
    )
    term = services.create_term(
        office, council, starts_on=dt.date(2025, 1, 1), decision_number="100/QĐ-BNNMT"
    )
    roles = (
        [MemberRole.CHAIR, MemberRole.FIRST_VICE_CHAIR, MemberRole.STANDING_VICE_CHAIR]
        + [MemberRole.MEMBER] * 11
        + [MemberRole.SECRETARY]
    )
    members = []
    for i, role in enumerate(roles, 1):
        user = UserFactory(role=Role.COUNCIL, username=f"hd{i:02d}")
        members.append(services.add_member(office, term, user=user, role=role, order=i))
    people = [f.person(vp, f"CB{i:03d}", f"Nguyễn Văn {i}") for i in range(1, 4)]
    units = [f.unit(f"CUC{i}", f"Cục {i}", parent=ministry) for i in range(1, 3)]
    return World(
        ministry, vp, office, council, term, members, members[0], members[-1], people, units
    )


@pytest.fixture
def make_session(world):
    """A session with the given nominations on its agenda and attendance recorded
    (``present`` members present in order, then ``written`` with a written opinion, the rest
    absent); opened unless ``open_it`` is false."""

    def make(nominations, *, present=15, written=0, open_it=True, secret=True):
        s = services.create_session(
            world.office,
            world.council,
            title="Phiên họp xét khen thưởng năm 2025",
            date=DAY,
            year=YEAR,
            place="Hà Nội",
            secret=secret,
        )
        result = services.build_agenda(world.office, s, nominations)
        assert not result.refused, result.refused
        for i, m in enumerate(world.members):
            status = (
                AttendanceStatus.PRESENT
                if i < present
                else AttendanceStatus.WRITTEN
                if i < present + written
                else AttendanceStatus.ABSENT
            )
            services.set_attendance(world.office, s, m, status)
        if open_it:
            s = services.transition(world.office, s, "open")
        s.refresh_from_db()
        return s

    return make


def vote_all(session, members, choice_for):
    """Each member casts; ``choice_for(index, item)`` gives the choice. Returns receipts."""
    receipts = []
    items = list(session.items.order_by("order"))
    for i, m in enumerate(members):
        receipts.append(services.cast(m.user, session, {it.pk: choice_for(i, it) for it in items}))
    return receipts
