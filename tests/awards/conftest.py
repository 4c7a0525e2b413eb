import pytest

from awards import eligibility
from tests.awards.factories import PersonFactory, UnitFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users are made with a password; hashing it properly is slow and beside the point."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def unit(db):
    return UnitFactory(code="VP", name="Văn phòng Bộ")


@pytest.fixture
def person(unit):
    return PersonFactory(code="P001", full_name="Trần Thị Hoa", gender="F", unit=unit)


@pytest.fixture
def verdict():
    """``verdict(year, subject, code)``: the engine's verdict for one subject and award."""

    def get(year, subject, code):
        (v,) = eligibility.judge_subject(year, subject, award_codes=[code])
        return v

    return get
