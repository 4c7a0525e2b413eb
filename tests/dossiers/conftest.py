"""The decisions' world (ministry issuer, office, people) plus a nomination with a full
dossier: a submission letter, report texts, an award record and evidence files."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.base import ContentFile

from awards.models import Attachment, AwardRecord, AwardType, Batch
from tests.decisions.conftest import World, approved, make_world  # noqa: F401


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db, make_user):
    return make_world(make_user)


def pdf_bytes(text: str, pages: int = 1) -> bytes:
    """A small real PDF (WeasyPrint) with ``pages`` pages of ``text``."""
    from emulation_portal import pdf

    body = "".join(f'<p style="page-break-after: always">{text} {i}</p>' for i in range(pages))
    return pdf.render_html_to_pdf(f"<html><body>{body}</body></html>")


def attach(owner, name: str, data: bytes, content_type="application/pdf", kind="evidence"):
    field = "batch" if isinstance(owner, Batch) else "nomination"
    att = Attachment(
        **{field: owner},
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    att.file.save("upload.pdf", ContentFile(data), save=False)
    att.save()
    return att


def full_nomination(world, person=None, code="BK_BO"):
    """A person's nomination on a letter, with texts, an earlier award and one evidence PDF."""
    person = person or world.people[0]
    person.birth_date = dt.date(1980, 3, 7)
    person.position = "Chuyên viên chính"
    person.save()
    batch = Batch.objects.create(
        proposing_unit=world.vp,
        year=2025,
        award_type=AwardType.objects.get(code=code),
        number="15/TTr-VP",
        title="Về việc đề nghị tặng Bằng khen của Bộ trưởng năm 2025",
    )
    n = approved(
        person,
        code,
        batch=batch,
        background="Tốt nghiệp Đại học Thủy lợi năm 2002; vào ngành năm 2003.",
        achievements="Hoàn thành xuất sắc nhiệm vụ được giao; chủ trì đề án số hóa hồ sơ thi đua.",
        rewards_received="Giấy khen của Chánh Văn phòng năm 2021.",
    )
    AwardRecord.objects.create(
        person=person,
        award_type=AwardType.objects.get(code="CSTD_CS"),
        year=2023,
        decision_number="112/QĐ-VP",
        decision_date=dt.date(2024, 1, 8),
    )
    attach(n, "Sáng kiến cải tiến quy trình.pdf", pdf_bytes("Chứng nhận sáng kiến", 2))
    return n


def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def decided(world, people, *, publish=True, number=5, day=None, code="BK_BO"):
    """A signed (and by default published) decision of the ministry for ``people``."""
    from awards.decisions import services
    from awards.models import DecisionCounter

    day = day or dt.date(2026, 2, 5)
    DecisionCounter.objects.get_or_create(
        issuer=world.issuer, symbol="QĐ-BNNMT", year=day.year, defaults={"last_number": number - 1}
    )
    d = services.create_draft(
        world.office,
        issuer=world.issuer,
        award_type=AwardType.objects.get(code=code),
        year=2025,
        nomination_ids=[approved(p, code).pk for p in people],
        signer_name="Nguyễn Văn Hưng",
    )
    d = services.sign(world.office, d, date=day)
    if publish:
        d = services.publish(world.office, d)
    return d
