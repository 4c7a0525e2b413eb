"""A bloc of four units with one officer each; unit A leads the bloc in the year."""

from dataclasses import dataclass

import pytest

from tests.campaigns.factories import BlocFactory, UnitFactory, membership, officer
from units.models import BlocRole

YEAR = 2025


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
