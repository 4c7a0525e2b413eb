"""A ministry (BO) with a department (VP, the proposing unit) and its sub-unit; an officer
of VP; a person of VP eligible for BK_BO (CSTD_CS 2024 and 2025) and for LDTT."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.nominations import services
from emulation_portal.models import Role
from tests.nominations import factories as f


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users need no slow key stretching (the shared UserFactory hashes passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path, _private_media):
    """A media folder per test, so a test can see exactly which files were stored."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class World:
    ministry: object
    vp: object
    sub: object
    other: object
    officer: object
    other_officer: object
    office: object
    person: object


@pytest.fixture
def world(db, make_user):
    ministry = f.unit("BO", "Bộ Nông nghiệp và Môi trường", kind="BO")
    vp = f.unit("VP", "Văn phòng Bộ", parent=ministry, kind="VAN_PHONG")
    sub = f.unit("VP_TH", "Phòng Tổng hợp", parent=vp, kind="PHONG")
    other = f.unit("VU_KH", "Vụ Kế hoạch", parent=ministry)
    officer = f.officer(vp, "cb_vp")
    other_officer = f.officer(other, "cb_kh")
    office = make_user(Role.OFFICE, username="thidua", email="thidua@example.vn")
    person = f.person(sub, "P001", "Trần Thị Hoa")
    f.rate(person, {2024: "HTXSNV", 2025: "HTXSNV"})
    f.award(person, "CSTD_CS", 2024)
    f.award(person, "CSTD_CS", 2023, decision_number="12/QĐ-BNNMT")
    return World(ministry, vp, sub, other, officer, other_officer, office, person)


def upload(content=f.PDF, name="to-trinh.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def complete_bk(world):
    """A complete draft BK_BO nomination of ``world.person`` proposed by VP."""
    n = services.create_nomination(
        world.officer,
        award_type=f.award_type("BK_BO"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=world.person,
        background="Sinh năm 1985, chuyên viên chính.",
        achievements="Hoàn thành xuất sắc nhiệm vụ năm 2024 và 2025.",
        **f.deliberation(),
    )
    services.add_attachment(world.officer, n, upload(), kind="submission_letter")
    services.add_attachment(world.officer, n, upload(name="bien-ban.pdf"), kind="minutes")
    n.refresh_from_db()
    return n
