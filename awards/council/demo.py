"""Demo council (seeder ``council``, order 45), written through the services.

The ministry's council of 15 (term from 1 Jan 2024, decision 15/QĐ-BNNMT): the minister's
deputy chairs, ``hoidong`` sits as a member, a secretary from the office votes and keeps
the minutes. Two sessions, on the Cờ thi đua của Bộ (CO_BO, 80% of all members):

- a past one (20 Jan 2025, achievements of 2024): 14 present and one written opinion,
  voted, closed (the minutes rendered), published;
- an open one (today, achievements of 2025): 14 present, one absent with a written
  opinion, four members have voted; ``hoidong`` can vote now.

The office's ``thidua`` proposes the units' nominations and ``thidua2`` (who did not
propose them) reviews, accepts and runs the council's steps: the separation of duties.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.council import services
from awards.models import AttendanceStatus, AwardType, Council, MemberRole
from emulation_portal.models import Role
from units.models import Unit

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MEMBERS = (
    [
        ("hd_chutich", MemberRole.CHAIR, "Nguyễn Văn Hưng", "Thứ trưởng"),
        ("hd_phochutich", MemberRole.FIRST_VICE_CHAIR, "Lê Minh Quân", "Thứ trưởng"),
        ("hd_thuongtruc", MemberRole.STANDING_VICE_CHAIR, "Phạm Thị Thu", "Vụ trưởng Vụ TCCB"),
        ("hoidong", MemberRole.MEMBER, "Trần Văn Minh", "Chánh Văn phòng Bộ"),
    ]
    + [
        (f"hd_uyvien{i:02d}", MemberRole.MEMBER, name, "Ủy viên")
        for i, name in enumerate(
            [
                "Đặng Quốc Khánh",
                "Vũ Thị Hạnh",
                "Bùi Đức Long",
                "Hoàng Thị Yến",
                "Ngô Văn Tài",
                "Đỗ Minh Châu",
                "Trịnh Văn Sơn",
                "Lý Thị Ngọc",
                "Phan Văn Đức",
                "Mai Thị Hương",
            ],
            1,
        )
    ]
    + [("hd_thuky", MemberRole.SECRETARY, "Cao Thị Lan", "Chuyên viên Vụ TCCB")]
)


def _log_refusal(ctx, label, exc):
    ctx.log(f"  council: {label} skipped ({'; '.join(getattr(exc, 'messages', [str(exc)]))})")


def _accepted_flags(ctx, proposer, reviewer, units, year):
    """CO_BO nominations of ``units`` for ``year``, proposed by ``proposer`` and accepted by
    ``reviewer`` (with a written override where the engine says no)."""
    from awards.nominations import services as ns

    co_bo = AwardType.objects.get(code="CO_BO")
    out = []
    for unit in units:
        try:
            n = ns.create_nomination(
                proposer,
                award_type=co_bo,
                year=year,
                proposing_unit=unit,
                unit=unit,
                background=f"{unit.name}: đơn vị trực thuộc Bộ.",
                achievements="Dẫn đầu khối thi đua; hoàn thành xuất sắc toàn diện nhiệm vụ năm.",
                deliberation_date=dt.date(year, 12, 20),
                deliberation_attendees=15,
                deliberation_votes=14,
            )
            for kind, name in (("submission_letter", "to-trinh.pdf"), ("minutes", "bien-ban.pdf")):
                ns.add_attachment(
                    proposer, n, SimpleUploadedFile(name, PDF, "application/pdf"), kind=kind
                )
            n = ns.record_verdict(proposer, n)
            if n.eligible is False:
                ns.override_verdict(
                    reviewer,
                    n,
                    reason="Đơn vị dẫn đầu khối thi đua; Thường trực Hội đồng đề nghị đưa ra "
                    "Hội đồng xem xét.",
                )
            n = ns.transition(proposer, n, "submit")
            n = ns.transition(reviewer, n, "start_review")
            n = ns.transition(reviewer, n, "accept")
        except (ValidationError, PermissionDenied) as exc:
            _log_refusal(ctx, f"CO_BO {year} {unit.code}", exc)
            continue
        out.append(n)
    return out


def _attend(office, session, members, written=()):
    for m in members:
        status = AttendanceStatus.WRITTEN if m in written else AttendanceStatus.PRESENT
        services.set_attendance(office, session, m, status)


def seed(ctx) -> None:
    if Council.objects.exists():
        ctx.log("  council: already seeded")
        return
    User = get_user_model()
    office = User.objects.filter(username="thidua").first()
    office2 = User.objects.filter(username="thidua2").first()
    ministry = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if office is None or office2 is None or ministry is None:
        ctx.log("  council: needs the units and nominations seeders (thidua2); skipped")
        return
    from emulation_portal.demo import demo_account

    council = services.create_council(
        office, name="Hội đồng Thi đua - Khen thưởng Bộ", level="ministry", unit=ministry
    )
    term = services.create_term(
        office,
        council,
        starts_on=dt.date(2024, 1, 1),
        decision_number="15/QĐ-BNNMT",
        decision_date=dt.date(2023, 12, 20),
    )
    units = list(Unit.objects.filter(parent=ministry).order_by("code"))
    members = []
    for order, (username, role, name, position) in enumerate(MEMBERS, 1):
        user = demo_account(username, Role.COUNCIL, name, ctx.actor)
        own = units[order % len(units)] if units and role == MemberRole.MEMBER else None
        members.append(
            services.add_member(
                office, term, user=user, role=role, position=position, unit=own, order=order
            )
        )
    secretary = members[-1]
    candidates = [u for u in units if u.code != "VP_BO"]

    # The past session: 2024 achievements, published.
    past_flags = _accepted_flags(ctx, office, office2, candidates[:3], 2024)
    if past_flags:
        past = services.create_session(
            office2,
            council,
            title="Phiên họp xét Cờ thi đua của Bộ năm 2024",
            date=dt.date(2025, 1, 20),
            year=2024,
            place="Hà Nội",
        )
        services.build_agenda(office2, past, past_flags)
        _attend(office2, past, members, written=members[5:6])
        services.transition(office2, past, "open")
        items = list(past.items.order_by("order"))
        for i, m in enumerate(members):
            choices = {
                it.pk: "approve" if (i + k) % 7 or k == 0 else "disapprove"
                for k, it in enumerate(items)
            }
            if i == 5:
                services.enter_written_opinion(secretary.user, past, m, choices)
            else:
                services.cast(m.user, past, choices)
        services.transition(office2, past, "close")
        services.transition(office2, past, "publish")

    # The open session: 2025 achievements; hoidong has not voted yet.
    flags = _accepted_flags(ctx, office, office2, candidates[3:6] or candidates[:3], 2025)
    if flags:
        session = services.create_session(
            office2,
            council,
            title="Phiên họp xét Cờ thi đua của Bộ năm 2025",
            date=timezone.localdate(),
            year=2025,
            place="Phòng họp tầng 3, trụ sở Bộ",
        )
        services.build_agenda(office2, session, flags)
        _attend(office2, session, members, written=members[14:15])
        services.transition(office2, session, "open")
        items = list(session.items.order_by("order"))
        for m in members[4:8]:
            services.cast(m.user, session, {it.pk: "approve" for it in items})
    ctx.log(f"  council: {council.name}, {len(members)} members")
