"""Nominations test data, written through the services so paths and audit are real."""

import datetime as dt
import io
import itertools
import zipfile

from awards.models import AwardRecord, AwardType
from emulation_portal.models import Role
from tests.factories import UserFactory
from units import services as unit_services
from units.models import PersonYear, UnitOfficer

_seq = itertools.count(1)
YEAR = 2025


def unit(code=None, name=None, parent=None, kind="VU"):
    n = next(_seq)
    return unit_services.create_unit(
        None, code=code or f"NU{n:04d}", name=name or f"Đơn vị {n}", kind=kind, parent=parent
    )


def person(unit, code=None, name=None, gender="F"):
    n = next(_seq)
    return unit_services.create_person(
        None,
        code=code or f"NP{n:05d}",
        full_name=name or f"Nguyễn Thị {n}",
        gender=gender,
        unit=unit,
    )


def officer(unit, username=None):
    user = UserFactory(
        role=Role.UNIT_OFFICER,
        email=f"{username or 'officer'}{next(_seq)}@example.vn",
        **({"username": username} if username else {}),
    )
    UnitOfficer.objects.create(user=user, unit=unit)
    return user


def rate(p, ratings: dict[int, str]):
    for year, rating in ratings.items():
        PersonYear.objects.update_or_create(
            person=p, year=year, defaults={"rating": rating, "unit": p.unit}
        )


def award(subject, code, year, **kw):
    field = "person" if hasattr(subject, "full_name") else "unit"
    return AwardRecord.objects.create(
        **{field: subject}, award_type=AwardType.objects.get(code=code), year=year, **kw
    )


def award_type(code):
    return AwardType.objects.get(code=code)


# --- files -----------------------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 30 + b"\xff\xd9"


def docx_bytes(with_document=True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            z.writestr("word/document.xml", "<w:document/>")
        else:
            z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def deliberation():
    return {
        "deliberation_date": dt.date(YEAR, 12, 1),
        "deliberation_attendees": 9,
        "deliberation_votes": 8,
    }
