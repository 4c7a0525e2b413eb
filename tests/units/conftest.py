import pytest

from emulation_portal.models import Role
from tests.units.factories import make_person, make_unit
from units import services
from units.models import UnitKind


@pytest.fixture
def tree(db):
    """BO > (VP > P1), (TCCB); a person in each of VP, P1 and TCCB."""
    bo = make_unit("BO", "Bộ Nông nghiệp và Môi trường", UnitKind.BO)
    vp = make_unit("VP", "Văn phòng Bộ", UnitKind.VAN_PHONG, parent=bo)
    p1 = make_unit("P1", "Phòng Hành chính", UnitKind.PHONG, parent=vp)
    tccb = make_unit("TCCB", "Vụ Tổ chức cán bộ", UnitKind.VU, parent=bo)
    people = {
        "vp": make_person(vp, "NV1", "Nguyễn Thị Ánh"),
        "p1": make_person(p1, "NV2", "Đặng Văn Đức"),
        "tccb": make_person(tccb, "NV3", "Trần Minh Hoà"),
    }
    return {"bo": bo, "vp": vp, "p1": p1, "tccb": tccb, "people": people}


@pytest.fixture
def officer(make_user, tree):
    """A unit officer of Văn phòng Bộ (scope: VP and P1)."""
    user = make_user(Role.UNIT_OFFICER, username="officer_vp")
    services.assign_officer(None, user=user, unit=tree["vp"])
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users need no strong hashing; PBKDF2 per user made these tests slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
