"""A ministry issuer (QĐ-BNNMT), a department issuer (QĐ-VP), people and units, and
approved nominations made directly in the table (the nomination workflow has its own
tests); the office user ``thidua`` proposed none of them."""

from dataclasses import dataclass

import pytest

from awards.models import AwardType, DecisionIssuer, Nomination, NominationLevel
from emulation_portal.models import Role
from tests.nominations import factories as f


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class World:
    ministry: object
    vp: object
    issuer: object
    vp_issuer: object
    office: object
    people: list


def approved(subject, code, year=2025, proposing_unit=None, state="approved", **kw):
    award = AwardType.objects.get(code=code)
    field = "person" if hasattr(subject, "full_name") else "unit"
    level = NominationLevel.UNIT if award.conferred_by == "unit_head" else NominationLevel.MINISTRY
    return Nomination.objects.create(
        **{field: subject},
        award_type=award,
        year=year,
        proposing_unit=proposing_unit or (subject.unit if field == "person" else subject.parent),
        level=level,
        state=state,
        **kw,
    )


def make_world(make_user, n_people=3) -> World:
    ministry = f.unit("BO", "Bộ Nông nghiệp và Môi trường", kind="BO")
    vp = f.unit("VP", "Văn phòng Bộ", parent=ministry, kind="VAN_PHONG")
    issuer = DecisionIssuer.objects.create(
        unit=ministry,
        is_ministry=True,
        name="BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        symbol="QĐ-BNNMT",
        submission_symbol="TTr-BNNMT",
        head_title="BỘ TRƯỞNG",
    )
    vp_issuer = DecisionIssuer.objects.create(
        unit=vp,
        name="VĂN PHÒNG BỘ",
        parent_name="BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        symbol="QĐ-VP",
        head_title="CHÁNH VĂN PHÒNG",
    )
    office = make_user(Role.OFFICE, username="thidua", email="thidua@example.vn")
    names = ["Trần Thị Hoa", "Nguyễn Văn Đức", "Lê Thị Ánh Tuyết", "Phạm Quốc Việt"]
    people = [
        f.person(vp, f"P{i:03d}", names[i % len(names)] + ("" if i < 4 else f" {i}"))
        for i in range(n_people)
    ]
    return World(ministry, vp, issuer, vp_issuer, office, people)


@pytest.fixture
def world(db, make_user):
    return make_world(make_user)
