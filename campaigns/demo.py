"""Demo data for campaigns (seeder order 20), written through the services.

- Annual campaigns 2021-2025 with the ministry's real themes (seed-facts.md), closed; the
  2022 20th-anniversary thematic drive; the Prime Minister's national movements; and the
  2026 campaign launched and in progress.
- For Khối II, Khối VI and Cụm I: every year 2021-2025 a pledge (started from last year's),
  signed by every member at a signing meeting, scores with one adjustment by the leader,
  a published ranking, and a year-end meeting whose votes acclaim CO_BO / BK_BO candidates
  and re-elect the next year's leader and deputy already known from the registry (so the
  real leaders of seed-facts.md stay). Blocs I and II's May 2023 beach clean-up in Sầm Sơn
  is a joint activity with a photo.
- 2026: registrations from part of the units, Khối II's pledge being signed, Khối VI's
  locked with some scores, Cụm I's still a draft; the other blocs carried into 2026 by the
  office with their 2025 leader and deputy.

Every member unit gets an officer account (``cb_<unit code>``) to act for it, unless it has
one already (e.g. the registry's ``donvi`` and ``khoitruong``).
"""

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model

from campaigns import selectors, services
from campaigns.models import (
    BlocMeeting,
    Campaign,
    CampaignKind,
    MeetingKind,
    Pledge,
    PledgeState,
    Ranking,
    Score,
)
from campaigns.selectors import current_pledge
from emulation_portal.demo import demo_account
from emulation_portal.models import Role
from units.models import Bloc, BlocMembership, BlocRole, Unit, UnitOfficer

PAST_YEARS = range(2021, 2026)
CURRENT_YEAR = 2026
DEMO_BLOCS = ("KHOI_II", "KHOI_VI", "CUM_I")
REGISTRY_LOGINS = ("donvi", "khoitruong")  # the units seeder's unit-officer demo accounts

THEMES = {
    2021: "Đoàn kết, kỷ cương, đổi mới toàn diện để phát triển",
    2022: "Kỷ cương, trách nhiệm, đổi mới, hội nhập, hiệu quả",
    2023: "Đoàn kết, kỷ cương, đổi mới, sáng tạo, chuyển đổi số, chuyển đổi xanh",
    2024: "Đoàn kết, kỷ cương, đổi mới, sáng tạo, chuyển đổi số, chuyển đổi xanh",
    # 2025 and 2026: not in the facts; plausible demo themes
    2025: "Đoàn kết, kỷ cương, đổi mới, sáng tạo, chuyển đổi số, chuyển đổi xanh",
    2026: "Đoàn kết, kỷ cương, tinh gọn, hiệu quả, chuyển đổi số",
}

NATIONAL = [
    ("Cả nước chung sức xây dựng nông thôn mới", dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
    (
        "Cả nước chung tay vì người nghèo, không để ai bị bỏ lại phía sau",
        dt.date(2021, 1, 1),
        dt.date(2025, 12, 31),
    ),
    (
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        dt.date(2019, 1, 1),
        dt.date(2025, 12, 31),
    ),
    ("Thực hiện chuyển đổi số quốc gia", dt.date(2022, 1, 1), dt.date(2030, 12, 31)),
]

CRITERIA = [
    ("Hoàn thành nhiệm vụ chuyên môn được giao", "standard", 40),
    ("Tổ chức phong trào thi đua, đăng ký và thực hiện giao ước", "standard", 20),
    ("Cải cách hành chính, chuyển đổi số", "standard", 15),
    ("Công tác Đảng, đoàn thể; văn hóa công sở", "standard", 15),
    ("Tham gia hoạt động chung của Khối/Cụm", "standard", 10),
    ("Điểm thưởng: được tặng Cờ thi đua, Bằng khen trong năm", "bonus", 15),
    ("Điểm trừ: vi phạm, kỷ luật, chậm báo cáo", "penalty", 10),
]

# Real dates from seed-facts.md: (bloc, year, kind) -> (date, place)
KNOWN_MEETINGS = {
    ("CUM_I", 2021, MeetingKind.SIGNING): (dt.date(2021, 3, 25), "Sở TN&MT Bắc Ninh"),
    ("KHOI_VI", 2023, MeetingKind.SIGNING): (dt.date(2023, 3, 15), "Hà Nội"),
    ("KHOI_VI", 2022, MeetingKind.YEAR_END): (dt.date(2023, 3, 15), "Hà Nội"),
    ("KHOI_II", 2023, MeetingKind.YEAR_END): (dt.date(2024, 1, 10), "Hà Nội"),
}


def _moment(day: dt.date, hour: int = 9):
    """A past moment on ``day`` (the demo records paper acts at their real dates)."""
    from django.utils import timezone

    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(at, timezone.now())


def _fresh(user):
    """Drop the per-user caches of bloc memberships (they change as years are created)."""
    for attr in ("_campaigns_officer_paths", "_campaigns_memberships", "_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


class Clerks:
    """The officer account acting for each unit (created once)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.cache: dict[int, object] = {}

    def __call__(self, unit: Unit):
        if unit.pk not in self.cache:
            existing = UnitOfficer.objects.filter(unit=unit).select_related("user").first()
            if existing:
                user = existing.user
            else:
                from units import services as unit_services

                user = demo_account(
                    f"cb_{unit.code.lower()}"[:150],
                    Role.UNIT_OFFICER,
                    f"Cán bộ thi đua — {unit.short_name or unit.name}"[:200],
                    self.ctx.actor,
                )
                unit_services.assign_officer(self.ctx.actor, user=user, unit=unit)
            self.cache[unit.pk] = user
        return _fresh(self.cache[unit.pk])


def _office_actor(ctx):
    User = get_user_model()
    user = (
        User.objects.filter(username="thidua").first()
        or User.objects.filter(role=Role.OFFICE).first()
    )
    if user is None:
        user = demo_account(
            "thidua", Role.OFFICE, "Nguyễn Thị Thu Hà (Vụ Tổ chức cán bộ)", ctx.actor
        )
    return user


def _members(bloc, year):
    return list(
        BlocMembership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .order_by("unit__code")
    )


def _role(members, role):
    return next((m.unit for m in members if m.role == role), None)


def seed_campaigns(ctx, office) -> None:
    for year in PAST_YEARS:
        c = services.create_campaign(
            office,
            year=year,
            kind=CampaignKind.ANNUAL,
            name=f"Phong trào thi đua năm {year}",
            theme=THEMES[year],
            description="Phong trào thi đua thường xuyên của Bộ.",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
        )
        _phases(office, c, year)
        services.launch_campaign(office, c, reference=f"Kế hoạch số {10 + year % 100}/KH-BTNMT")
        services.close_campaign(office, c)
    drive = services.create_campaign(
        office,
        year=2022,
        kind=CampaignKind.THEMATIC,
        name=(
            "Đợt thi đua đặc biệt lập thành tích chào mừng Kỷ niệm 20 năm Ngày thành lập "
            "Bộ TN&MT (05/8/2002 - 05/8/2022)"
        ),
        theme="Chào mừng 20 năm thành lập Bộ",
        description="",
        starts_on=dt.date(2022, 5, 16),
        ends_on=dt.date(2022, 8, 5),
    )
    services.launch_campaign(office, drive, reference="Phát động ngày 16/5/2022")
    services.close_campaign(office, drive)
    for name, start, end in NATIONAL:
        c = services.create_campaign(
            office,
            year=start.year,
            kind=CampaignKind.NATIONAL,
            name=name,
            theme="",
            description="Phong trào do Thủ tướng Chính phủ phát động.",
            starts_on=start,
            ends_on=end,
        )
        services.launch_campaign(office, c)
        if end.year < CURRENT_YEAR:
            services.close_campaign(office, c)


def _phases(office, campaign, year):
    for kind, opens, closes in (
        ("registration", dt.date(year, 1, 5), dt.date(year, 2, 28)),
        ("pledge", dt.date(year, 2, 1), dt.date(year, 4, 30)),
        ("mid_year", dt.date(year, 6, 15), dt.date(year, 7, 31)),
        ("scoring", dt.date(year, 11, 15), dt.date(year + 1, 1, 15)),
        ("nominations", dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 15)),
    ):
        services.set_phase(office, campaign, kind=kind, opens_on=opens, closes_on=closes)


def _photo_file(name: str, color: tuple[int, int, int]):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 270), color)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 190, 480, 270], fill=(222, 200, 150))  # the beach
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _pledge(ctx, clerks, bloc, year, members, *, sign_all=True):
    leader_unit = _role(members, BlocRole.LEADER) or members[0].unit
    lead = clerks(leader_unit)
    pledge = current_pledge(bloc.pk, year) or services.start_pledge(lead, bloc, year)
    if pledge.state == PledgeState.DRAFT:
        if not pledge.criteria.exists():
            services.set_criteria(
                lead, pledge, [{"name": n, "kind": k, "max_points": m} for n, k, m in CRITERIA]
            )
        date, place = KNOWN_MEETINGS.get(
            (bloc.code, year, MeetingKind.SIGNING), (dt.date(year, 3, 20 + year % 5), "Hà Nội")
        )
        meeting = services.create_meeting(
            lead,
            bloc,
            year,
            kind=MeetingKind.SIGNING,
            held_on=date,
            place=place,
            host=leader_unit,
            title=f"Hội nghị ký kết giao ước thi đua năm {year}",
            attendees=[m.unit for m in members],
            minutes="Các đơn vị thống nhất nội dung giao ước và bảng điểm.",
        )
        services.update_pledge(
            lead,
            pledge,
            title=f"Giao ước thi đua năm {year} — {bloc.name}",
            text=(
                f'Hưởng ứng phong trào thi đua năm {year} với chủ đề "{THEMES[year]}", '
                f"các đơn vị thành viên {bloc.name} cùng giao ước thi đua."
            ),
            targets="100% đơn vị hoàn thành xuất sắc nhiệm vụ; 100% hồ sơ xử lý đúng hạn.",
            signing_meeting=meeting,
        )
        services.open_signing(lead, pledge)
    if sign_all:
        signers = members
    else:  # half the units sign; the registry's demo logins are left something to do
        waiting = [m for m in members if clerks(m.unit).username not in REGISTRY_LOGINS]
        signers = waiting[: max(1, len(members) // 2)]
    signed = set(pledge.signatures.values_list("unit_id", flat=True))
    pledge.refresh_from_db()
    at = _moment(pledge.signing_meeting.held_on) if pledge.signing_meeting else None
    for m in signers:
        if m.unit_id not in signed:
            services.sign_pledge(clerks(m.unit), pledge, m.unit, at=at)
    pledge.refresh_from_db()
    return pledge, lead


def _scores(ctx, clerks, pledge, members, lead, *, share=1.0):
    criteria = list(pledge.criteria.order_by("order"))
    for m in members[: max(1, round(len(members) * share))]:
        clerk = clerks(m.unit)
        for c in criteria:
            if c.kind == "penalty":
                points = Decimal(ctx.rng.choice([0, 0, 0, 1, 2]))
            elif c.kind == "bonus":
                points = Decimal(ctx.rng.choice([0, 5, 10, 15]))
            else:
                points = (c.max_points * Decimal(ctx.rng.randint(80, 100)) / 100).quantize(
                    Decimal("0.5")
                )
            services.save_self_score(
                clerk, c, m.unit, points=points, evidence="Báo cáo tổng kết, minh chứng kèm theo"
            )
    # the leader's officer adjusts another member's score, never their own unit's
    first = next(
        (
            s
            for s in Score.objects.filter(criterion=criteria[0], criterion__pledge=pledge)
            .select_related("unit")
            .order_by("unit__code")
            if not selectors.covers_unit(lead, s.unit)
        ),
        None,
    )
    if first and share >= 1:
        services.adjust_score(
            _fresh(lead),
            first,
            points=first.self_points - 1,
            reason="Minh chứng chưa đầy đủ cho một nhiệm vụ; trừ 1 điểm.",
            version=first.version,
        )


def _year_end(ctx, clerks, bloc, year, members, lead, ranking):
    entries = list(ranking.entries.order_by("rank").select_related("unit"))
    leader_unit = _role(members, BlocRole.LEADER) or members[0].unit
    date, place = KNOWN_MEETINGS.get(
        (bloc.code, year, MeetingKind.YEAR_END), (dt.date(year + 1, 1, 8 + year % 10), "Hà Nội")
    )
    meeting = services.create_meeting(
        _fresh(lead),
        bloc,
        year,
        kind=MeetingKind.YEAR_END,
        held_on=date,
        place=place,
        host=leader_unit,
        title=f"Hội nghị tổng kết công tác thi đua năm {year}",
        attendees=[m.unit for m in members],
        minutes=(
            "Hội nghị tổng kết, chấm điểm, xếp hạng; bình xét, suy tôn đơn vị dẫn đầu và "
            "bầu Khối trưởng, Khối phó năm sau."
        ),
    )
    nxt = _members(bloc, year + 1)
    next_leader = _role(nxt, BlocRole.LEADER)
    next_deputy = _role(nxt, BlocRole.DEPUTY)
    codes = [m.unit for m in members]
    if next_leader is None or next_leader not in codes:  # rotate: the best-ranked non-leader
        next_leader = (
            next(e.unit for e in entries if e.unit != leader_unit)
            if len(entries) > 1
            else entries[0].unit
        )
    if next_deputy is None or next_deputy not in codes or next_deputy == next_leader:
        next_deputy = next((e.unit for e in entries if e.unit not in (next_leader,)), None)
    top = entries[0].unit
    bk = [e.unit for e in entries[1:3]] or [top]
    for i, m in enumerate(members):
        clerk = clerks(m.unit)
        services.cast_acclamation_vote(
            clerk,
            meeting,
            voting_unit=m.unit,
            award_code="CO_BO",
            candidate=top if i < len(members) - 1 else bk[0],
        )
        services.cast_acclamation_vote(
            clerk, meeting, voting_unit=m.unit, award_code="BK_BO", candidate=bk[i % len(bk)]
        )
        services.cast_election_vote(
            clerk, meeting, voting_unit=m.unit, office="leader", candidate=next_leader
        )
        if next_deputy:
            services.cast_election_vote(
                clerk, meeting, voting_unit=m.unit, office="deputy", candidate=next_deputy
            )
    services.record_meeting_result(_fresh(lead), meeting, at=_moment(date, 16))


def seed_bloc_history(ctx, clerks, bloc) -> None:
    for year in PAST_YEARS:
        members = _members(bloc, year)
        if not members:
            continue
        pledge, lead = _pledge(ctx, clerks, bloc, year, members)
        if year == 2023 and bloc.code == "KHOI_II":
            _beach_cleanup(ctx, lead, bloc, members)
        else:  # the beach clean-up replaced Khối II's mid-year meeting in 2023
            services.create_meeting(
                _fresh(lead),
                bloc,
                year,
                kind=MeetingKind.MID_YEAR,
                held_on=dt.date(year, 7, 10),
                place="Hà Nội",
                host=_role(members, BlocRole.LEADER) or members[0].unit,
                title=f"Sơ kết 6 tháng đầu năm {year}",
                attendees=[m.unit for m in members],
                minutes="Đánh giá kết quả 6 tháng, thống nhất nhiệm vụ 6 tháng cuối năm.",
            )
        with services.as_of(dt.date(year, 12, 10)):  # scored at that year's end
            _scores(ctx, clerks, pledge, members, lead)
        ranking = services.compute_ranking(_fresh(lead), bloc, year)
        held_on, _place = KNOWN_MEETINGS.get(
            (bloc.code, year, MeetingKind.YEAR_END), (dt.date(year + 1, 1, 8 + year % 10), "")
        )
        services.publish_ranking(_fresh(lead), ranking, at=_moment(held_on, 16))
        _year_end(ctx, clerks, bloc, year, members, lead, ranking)


def _beach_cleanup(ctx, lead, bloc, members):
    other = Bloc.objects.filter(code="KHOI_I").first()
    meeting = services.create_meeting(
        _fresh(lead),
        bloc,
        2023,
        kind=MeetingKind.ACTIVITY,
        held_on=dt.date(2023, 5, 20),
        place="Bãi biển Sầm Sơn, Thanh Hóa",
        host=_role(members, BlocRole.LEADER),
        title='Khối I và Khối II: ra quân làm sạch bãi biển "Vì một đại dương xanh"',
        attendees=[m.unit for m in members],
        other_blocs=[other] if other else [],
        minutes="Hoạt động chung thay cho hội nghị sơ kết giữa năm.",
    )
    services.add_photo(
        _fresh(lead),
        meeting,
        _photo_file("sam-son-2023.jpg", (70, 140, 200)),
        caption="Đoàn viên Khối I và Khối II tại bãi biển Sầm Sơn",
    )


def carry_other_blocs(office) -> None:
    """Blocs whose year-end meeting is not in the demo: the office carries their members into
    the year in progress and keeps last year's leader and deputy (re-elected, as the
    registry's facts show them through 2025), so every bloc page has a current year."""
    from units import services as unit_services

    for bloc in Bloc.objects.exclude(code__in=DEMO_BLOCS).order_by("code"):
        last = _members(bloc, CURRENT_YEAR - 1)
        if not last or _members(bloc, CURRENT_YEAR):
            continue
        carried = unit_services.carry_bloc_forward(office, bloc=bloc, year=CURRENT_YEAR - 1)
        present = {m.unit_id for m in carried}
        for role in (BlocRole.LEADER, BlocRole.DEPUTY):
            unit = _role(last, role)
            if unit is not None and unit.pk in present:
                unit_services.set_bloc_role(
                    office, bloc=bloc, year=CURRENT_YEAR, unit=unit, role=role
                )


def seed_current_year(ctx, office, clerks) -> None:
    year = CURRENT_YEAR
    c = services.create_campaign(
        office,
        year=year,
        kind=CampaignKind.ANNUAL,
        name=f"Phong trào thi đua năm {year}",
        theme=THEMES[year],
        description="Phong trào thi đua thường xuyên của Bộ NN&MT.",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    services.launch_campaign(office, c, reference="Kế hoạch số 05/KH-BNNMT")
    units = [
        m.unit
        for m in BlocMembership.objects.filter(year=year)
        .select_related("unit")
        .order_by("unit__code")
    ]
    titles = ["TTLDXS", "TTLDXS", "TTLDTT", "CO_BO"]
    for i, unit in enumerate(units):
        if i % 3 == 2:
            continue  # one unit in three has not registered: the office sees and reminds
        services.save_registration(
            clerks(unit),
            c,
            unit,
            collective_title=titles[i % len(titles)],
            targets="Hoàn thành xuất sắc nhiệm vụ năm; không có cá nhân vi phạm kỷ luật.",
            initiatives=["Số hóa quy trình tiếp nhận hồ sơ thi đua, khen thưởng"],
            submit=i % 3 == 0,
        )
    _phases(office, c, year)
    for code, mode in (("KHOI_II", "signing"), ("KHOI_VI", "scoring"), ("CUM_I", "draft")):
        bloc = Bloc.objects.filter(code=code).first()
        members = _members(bloc, year) if bloc else []
        if not members or _role(members, BlocRole.LEADER) is None:
            continue
        if mode == "draft":
            services.start_pledge(clerks(_role(members, BlocRole.LEADER)), bloc, year)
            continue
        pledge, lead = _pledge(ctx, clerks, bloc, year, members, sign_all=mode == "scoring")
        if mode == "scoring":
            _scores(ctx, clerks, pledge, members, lead, share=0.5)


def seed(ctx) -> None:
    if Campaign.objects.exists():
        ctx.log("  campaigns: already seeded")
        return
    office = _office_actor(ctx)
    clerks = Clerks(ctx)
    seed_campaigns(ctx, office)
    for code in DEMO_BLOCS:
        bloc = Bloc.objects.filter(code=code).first()
        if bloc is None:
            ctx.log(f"  campaigns: bloc {code} missing (units seeder), skipped")
            continue
        seed_bloc_history(ctx, clerks, bloc)
    carry_other_blocs(office)
    seed_current_year(ctx, office, clerks)
    ctx.log(
        f"  campaigns: {Campaign.objects.count()} campaigns, {Pledge.objects.count()} pledges, "
        f"{Score.objects.count()} scores, {Ranking.objects.count()} rankings, "
        f"{BlocMeeting.objects.count()} meetings"
    )
