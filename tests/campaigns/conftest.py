"""A bloc of four units with one officer each; unit A leads the bloc in the year."""

from dataclasses import dataclass

import pytest

from tests.campaigns.factories import BlocFactory, UnitFactory, membership, officer
from units.models import BlocRole

YEAR = 2025


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English; pages still render in the request's
    language (Vietnamese by default) through LocaleMiddleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users need no slow key stretching (the shared UserFactory hashes passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class BlocSetup:
    bloc: object
    year: int
    units: list
    officers: list
    outsider_unit: object
    outsider: object

    @property
    def leader(self):
        return self.officers[0]


@pytest.fixture
def bloc_setup(db):
    bloc = BlocFactory(code="KHOI_II", name="Khối thi đua số II")
    units = [UnitFactory(code=f"DV_{c}", name=f"Đơn vị {c}") for c in "ABCD"]
    roles = [BlocRole.LEADER, BlocRole.DEPUTY, BlocRole.MEMBER, BlocRole.MEMBER]
    for unit, role in zip(units, roles, strict=True):
        membership(bloc, YEAR, unit, role)
    officers = [officer(u, f"cb_{u.code.lower()}") for u in units]
    outsider_unit = UnitFactory(code="DV_X", name="Đơn vị ngoài khối")
    outsider = officer(outsider_unit, "cb_x")
    return BlocSetup(bloc, YEAR, units, officers, outsider_unit, outsider)


@pytest.fixture
def locked_pledge(bloc_setup):
    """The bloc's pledge with a 3-line scoring table, signed by every member and locked."""
    from campaigns import services

    s = bloc_setup
    pledge = services.start_pledge(s.leader, s.bloc, s.year)
    services.set_criteria(
        s.leader,
        pledge,
        [
            {"name": "Nhiệm vụ chuyên môn", "kind": "standard", "max_points": 60},
            {"name": "Điểm thưởng", "kind": "bonus", "max_points": 10},
            {"name": "Điểm trừ", "kind": "penalty", "max_points": 5},
        ],
    )
    services.open_signing(s.leader, pledge)
    for unit, user in zip(s.units, s.officers, strict=True):
        services.sign_pledge(user, pledge, unit)
    pledge.refresh_from_db()
    return pledge
