"""Demo data of the registry (seeder ``units``, order 10).

The real structure from ``shared/domain/seed-facts.md``: the ministry (``BO``), its units
placed in blocs I-VII, the provincial departments of clusters I, IV and VIII, with the
leaders and deputies the ministry's reports name (2022 leaders of blocs I-VI; bloc II in
2022-2024; cluster I in 2021-2022; cluster VIII in 2023) and a plausible rotation for the
other years of 2021-2025. People are generated (common Vietnamese names) with five years
of ratings, some initiatives and a little discipline, deterministic under ``--seed``.

``--scale large`` adds 330 units and 30,000 people rated over 2016-2025; ``--scale
national`` adds 1,100 units and 1,000,000 people. Both are bulk-inserted (COPY on
PostgreSQL) in bounded memory, with one summary audit event each.
"""

from __future__ import annotations

import random

from django.db import transaction

from emulation_portal import audit
from emulation_portal import demo as portal_demo
from emulation_portal.models import Role
from units import bulk, services
from units.models import (
    Bloc,
    BlocKind,
    BlocMembership,
    BlocRole,
    Person,
    PersonYear,
    PositionLevel,
    Rating,
    Unit,
    UnitKind,
    UnitRating,
)

DEMO_YEARS = range(2021, 2026)  # 2026 is the year in progress
DEMO_PEOPLE = 900
SCALE_YEARS = range(2016, 2026)

# The ministry's leaders (plausible names, not the real office holders), in unit BO.
LEADERS = [
    ("LD_BO_01", "Trần Quốc Minh", "M", "Bộ trưởng"),
    ("LD_BO_02", "Hoàng Thị Lan", "F", "Thứ trưởng"),
    ("LD_BO_03", "Phan Văn Khánh", "M", "Thứ trưởng"),
]
HEAD_POSITION = "Thủ trưởng đơn vị"

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]

# (code, name, kind, parent code)
MINISTRY = ("BO", "Bộ Nông nghiệp và Môi trường", UnitKind.BO)
UNITS = [
    # Khối I: the ministry's departments (vụ)
    ("VU_PC", "Vụ Pháp chế", UnitKind.VU, "BO"),
    ("VU_TCCB", "Vụ Tổ chức cán bộ", UnitKind.VU, "BO"),
    ("VU_KHTC", "Vụ Kế hoạch - Tài chính", UnitKind.VU, "BO"),
    ("VU_HTQT", "Vụ Hợp tác quốc tế", UnitKind.VU, "BO"),
    ("VU_KHCN", "Vụ Khoa học và Công nghệ", UnitKind.VU, "BO"),
    # Khối II (2023: 6 units)
    ("VP_DANG_DOAN_THE", "Văn phòng Đảng - Đoàn thể", UnitKind.VAN_PHONG, "BO"),
    ("VP_BO", "Văn phòng Bộ", UnitKind.VAN_PHONG, "BO"),
    ("VP_MEKONG", "Văn phòng Thường trực Ủy ban sông Mê Công Việt Nam", UnitKind.VAN_PHONG, "BO"),
    (
        "VP_HDTLKS",
        "Văn phòng Hội đồng Đánh giá trữ lượng khoáng sản quốc gia",
        UnitKind.VAN_PHONG,
        "BO",
    ),
    ("THANH_TRA", "Thanh tra Bộ", UnitKind.KHAC, "BO"),
    ("TT_DIEU_DUONG", "Trung tâm Điều dưỡng và Phục hồi chức năng", UnitKind.TRUNG_TAM, "BO"),
    # sub-units of Văn phòng Bộ
    ("VP_BO_HC", "Phòng Hành chính - Văn thư", UnitKind.PHONG, "VP_BO"),
    ("VP_BO_TH", "Phòng Tổng hợp", UnitKind.PHONG, "VP_BO"),
    ("VP_BO_TV", "Phòng Quản trị - Tài vụ", UnitKind.PHONG, "VP_BO"),
    # Khối III: general departments
    ("TC_KTTV", "Tổng cục Khí tượng Thủy văn", UnitKind.CUC, "BO"),
    ("TC_QLDD", "Tổng cục Quản lý đất đai", UnitKind.CUC, "BO"),
    ("TC_BHD", "Tổng cục Biển và Hải đảo Việt Nam", UnitKind.CUC, "BO"),
    # Khối IV: agencies
    ("CUC_QLTNN", "Cục Quản lý tài nguyên nước", UnitKind.CUC, "BO"),
    ("CUC_DDBD", "Cục Đo đạc, Bản đồ và Thông tin địa lý Việt Nam", UnitKind.CUC, "BO"),
    ("CUC_BDKH", "Cục Biến đổi khí hậu", UnitKind.CUC, "BO"),
    ("CUC_VTQG", "Cục Viễn thám quốc gia", UnitKind.CUC, "BO"),
    ("CUC_CDS", "Cục Chuyển đổi số và Thông tin dữ liệu tài nguyên môi trường", UnitKind.CUC, "BO"),
    # Khối V: institutes, schools, press
    ("VIEN_CLCS", "Viện Chiến lược, Chính sách tài nguyên và môi trường", UnitKind.VIEN, "BO"),
    ("VIEN_KTTVBDKH", "Viện Khoa học Khí tượng Thủy văn và Biến đổi khí hậu", UnitKind.VIEN, "BO"),
    ("DH_TNMT_HN", "Trường Đại học Tài nguyên và Môi trường Hà Nội", UnitKind.TRUONG, "BO"),
    (
        "DH_TNMT_HCM",
        "Trường Đại học Tài nguyên và Môi trường Thành phố Hồ Chí Minh",
        UnitKind.TRUONG,
        "BO",
    ),
    ("BAO_TNMT", "Báo Tài nguyên và Môi trường", UnitKind.KHAC, "BO"),
    ("TAP_CHI_KTTV", "Tạp chí Khí tượng Thủy văn", UnitKind.KHAC, "BO"),
    # Khối VI: state companies (2022: 7 units)
    (
        "CT_TNMT_MN",
        "Công ty TNHH một thành viên Tài nguyên và Môi trường miền Nam",
        UnitKind.DOANH_NGHIEP,
        "BO",
    ),
    (
        "CT_TNMT_MB",
        "Công ty TNHH một thành viên Tài nguyên và Môi trường miền Bắc",
        UnitKind.DOANH_NGHIEP,
        "BO",
    ),
    ("CT_TNMT_VN", "Tổng công ty Tài nguyên và Môi trường Việt Nam", UnitKind.DOANH_NGHIEP, "BO"),
    ("CT_TDBD", "Công ty TNHH một thành viên Trắc địa Bản đồ", UnitKind.DOANH_NGHIEP, "BO"),
    ("CT_DDKS", "Công ty TNHH một thành viên Đo đạc và Khoáng sản", UnitKind.DOANH_NGHIEP, "BO"),
    (
        "CT_NXB",
        "Nhà xuất bản Tài nguyên - Môi trường và Bản đồ Việt Nam",
        UnitKind.DOANH_NGHIEP,
        "BO",
    ),
    ("CT_KTTV", "Công ty TNHH một thành viên Khí tượng Thủy văn", UnitKind.DOANH_NGHIEP, "BO"),
    # Khối VII: centres and funds
    (
        "TT_QHDTTNN",
        "Trung tâm Quy hoạch và Điều tra tài nguyên nước quốc gia",
        UnitKind.TRUNG_TAM,
        "BO",
    ),
    (
        "TT_TRUYEN_THONG",
        "Trung tâm Truyền thông tài nguyên và môi trường",
        UnitKind.TRUNG_TAM,
        "BO",
    ),
    ("TT_MLKTTV", "Trung tâm Mạng lưới khí tượng thủy văn và môi trường", UnitKind.TRUNG_TAM, "BO"),
    ("QUY_BVMT", "Quỹ Bảo vệ môi trường Việt Nam", UnitKind.KHAC, "BO"),
    ("TT_TTDL_KTTV", "Trung tâm Thông tin và Dữ liệu khí tượng thủy văn", UnitKind.TRUNG_TAM, "BO"),
]

PROVINCES = {
    "CUM_I": [
        "Hà Nội",
        "Bắc Ninh",
        "Hải Phòng",
        "Vĩnh Phúc",
        "Hưng Yên",
        "Hải Dương",
        "Ninh Bình",
        "Hà Nam",
        "Thái Bình",
        "Nam Định",
    ],
    "CUM_IV": ["Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế"],
    "CUM_VIII": ["Tiền Giang", "Long An", "Bến Tre", "Đồng Tháp", "Trà Vinh"],
}
PROVINCE_CODES = {
    "Hà Nội": "HN",
    "Bắc Ninh": "BN",
    "Hải Phòng": "HP",
    "Vĩnh Phúc": "VPH",
    "Hưng Yên": "HY",
    "Hải Dương": "HD",
    "Ninh Bình": "NB",
    "Hà Nam": "HNA",
    "Thái Bình": "TB",
    "Nam Định": "ND",
    "Thanh Hóa": "TH",
    "Nghệ An": "NA",
    "Hà Tĩnh": "HT",
    "Quảng Bình": "QB",
    "Quảng Trị": "QT",
    "Thừa Thiên Huế": "TTH",
    "Tiền Giang": "TG",
    "Long An": "LA",
    "Bến Tre": "BT",
    "Đồng Tháp": "DT",
    "Trà Vinh": "TV",
}


def so(province: str) -> str:
    return f"SO_{PROVINCE_CODES[province]}"


BLOC_MEMBERS = {
    "KHOI_I": ["VU_PC", "VU_TCCB", "VU_KHTC", "VU_HTQT", "VU_KHCN"],
    "KHOI_II": [
        "VP_DANG_DOAN_THE",
        "VP_BO",
        "VP_MEKONG",
        "VP_HDTLKS",
        "THANH_TRA",
        "TT_DIEU_DUONG",
    ],
    "KHOI_III": ["TC_KTTV", "TC_QLDD", "TC_BHD"],
    "KHOI_IV": ["CUC_QLTNN", "CUC_DDBD", "CUC_BDKH", "CUC_VTQG", "CUC_CDS"],
    "KHOI_V": [
        "VIEN_CLCS",
        "VIEN_KTTVBDKH",
        "DH_TNMT_HN",
        "DH_TNMT_HCM",
        "BAO_TNMT",
        "TAP_CHI_KTTV",
    ],
    "KHOI_VI": [
        "CT_TNMT_MN",
        "CT_TNMT_MB",
        "CT_TNMT_VN",
        "CT_TDBD",
        "CT_DDKS",
        "CT_NXB",
        "CT_KTTV",
    ],
    "KHOI_VII": ["TT_QHDTTNN", "TT_TRUYEN_THONG", "TT_MLKTTV", "QUY_BVMT", "TT_TTDL_KTTV"],
    **{code: [so(p) for p in provinces] for code, provinces in PROVINCES.items()},
}

# Facts from the ministry's reports: (bloc, year) -> (leader, deputy or None)
FACTS = {
    ("KHOI_I", 2022): ("VU_PC", "VU_TCCB"),
    ("KHOI_II", 2022): ("VP_MEKONG", None),
    ("KHOI_II", 2023): ("VP_HDTLKS", "VP_DANG_DOAN_THE"),
    ("KHOI_II", 2024): ("VP_BO", "VP_DANG_DOAN_THE"),
    ("KHOI_III", 2022): ("TC_KTTV", None),
    ("KHOI_IV", 2022): ("CUC_QLTNN", None),
    ("KHOI_V", 2022): ("VIEN_CLCS", None),
    ("KHOI_VI", 2022): ("CT_TNMT_MN", None),
    ("CUM_I", 2021): (so("Bắc Ninh"), None),
    ("CUM_I", 2022): (so("Hải Phòng"), None),
    ("CUM_IV", 2021): (so("Hà Tĩnh"), so("Thanh Hóa")),
    ("CUM_IV", 2022): (so("Quảng Bình"), so("Thanh Hóa")),
    ("CUM_VIII", 2023): (so("Tiền Giang"), so("Long An")),
}
# Plausible where the reports are silent (2025 of bloc II: the 2024 deputy's neighbour).
FACTS[("KHOI_II", 2025)] = ("THANH_TRA", "VP_BO")
FACTS[("KHOI_II", 2021)] = ("TT_DIEU_DUONG", "VP_MEKONG")


def heads(bloc: str, year: int) -> tuple[str, str]:
    """Leader and deputy of ``bloc`` in ``year``: the facts, else a rotation."""
    members = BLOC_MEMBERS[bloc]
    leader, deputy = FACTS.get((bloc, year), (None, None))
    i = year % len(members)
    leader = leader or members[i]
    if deputy is None:
        deputy = members[(i + 1) % len(members)]
        if deputy == leader:
            deputy = members[(i + 2) % len(members)]
    return leader, deputy


def _unit(ctx, code, name, kind, parent):
    existing = Unit.objects.filter(code=code).first()
    if existing:
        return existing
    return services.create_unit(ctx.actor, code=code, name=name, kind=kind, parent=parent)


def build_structure(ctx) -> dict[str, Unit]:
    """The real units, blocs and clusters with their members by year (idempotent)."""
    units = {"BO": _unit(ctx, *MINISTRY, None)}
    for code, name, kind, parent in UNITS:
        units[code] = _unit(ctx, code, name, kind, units[parent])
    units["SO"] = _unit(
        ctx, "SO", "Sở Tài nguyên và Môi trường các tỉnh, thành phố", UnitKind.KHAC, None
    )
    for provinces in PROVINCES.values():
        for province in provinces:
            units[so(province)] = _unit(
                ctx,
                so(province),
                f"Sở Tài nguyên và Môi trường {province}",
                UnitKind.SO,
                units["SO"],
            )
    for code, members in BLOC_MEMBERS.items():
        kind = BlocKind.CUM if code.startswith("CUM") else BlocKind.KHOI
        number = code.split("_")[1]
        name = f"{'Cụm' if kind == BlocKind.CUM else 'Khối'} thi đua số {number}"
        bloc = Bloc.objects.filter(code=code).first() or services.create_bloc(
            ctx.actor, code=code, name=name, kind=kind
        )
        for year in DEMO_YEARS:
            if BlocMembership.objects.filter(bloc=bloc, year=year).exists():
                continue
            leader, deputy = heads(code, year)
            for unit_code in members:
                role = (
                    BlocRole.LEADER
                    if unit_code == leader
                    else BlocRole.DEPUTY
                    if unit_code == deputy
                    else BlocRole.MEMBER
                )
                services.add_bloc_member(
                    ctx.actor, bloc=bloc, year=year, unit=units[unit_code], role=role
                )
    return units


def _rng(ctx, stream: int) -> random.Random:
    """A generator of its own per kind of data, derived from ``--seed``, so one part's
    draws never shift another's (re-seeding a part gives the same rows)."""
    return random.Random(ctx.seed * 1000 + stream)


def seed(ctx) -> None:
    units = build_structure(ctx)
    ctx.log(f"  {len(units)} units, {len(BLOC_MEMBERS)} blocs and clusters")
    donvi = portal_demo.demo_account(
        "donvi", Role.UNIT_OFFICER, "Phạm Thị Hồng (cán bộ thi đua, Văn phòng Bộ)", ctx.actor
    )
    services.assign_officer(ctx.actor, user=donvi, unit=units["VP_BO"])
    leader_2025, _deputy = heads("KHOI_II", 2025)
    khoitruong = portal_demo.demo_account(
        "khoitruong",
        Role.UNIT_OFFICER,
        f"Vũ Minh Tuấn (cán bộ thi đua, {units[leader_2025].name})",
        ctx.actor,
    )
    services.assign_officer(ctx.actor, user=khoitruong, unit=units[leader_2025])
    if not Person.objects.filter(code__startswith="CB").exists():
        # Ministry units get more people than provincial departments' thin demo rosters.
        targets = [(u.pk, u.code) for code, u in sorted(units.items()) if code not in ("BO", "SO")]
        weights = [1 if code.startswith("SO_") else 3 for _pk, code in targets]
        rated = UnitRating.objects.filter(unit_id__in=[pk for pk, _c in targets]).exists()
        ratings = (
            0
            if rated
            else bulk.generate_unit_ratings(_rng(ctx, 1), [pk for pk, _c in targets], DEMO_YEARS)
        )
        made = bulk.generate_people(
            ctx.actor,
            rng=_rng(ctx, 2),
            units=targets,
            count=DEMO_PEOPLE,
            years=DEMO_YEARS,
            prefix="CB",
            log=ctx.log,
            label="demo",
            unit_weights=weights,
            extra={"unit_ratings": ratings},
        )
        ctx.log(
            f"  {made.people} people, {made.years} ratings, {ratings} unit ratings, "
            f"{made.initiatives} initiatives, {made.disciplines} disciplines"
        )
        assign_position_levels(ctx, units)
    if ctx.scale:
        seed_scale(ctx, units["BO"])


def assign_position_levels(ctx, units: dict[str, Unit]) -> None:
    """Position levels of the demo (``codes.md``): the ministry's leaders (added to ``BO``)
    are LANH_DAO_BO; in each unit below the ministry one manager is made its head
    (LANH_DAO_VU); managers of state companies are DOANH_NHAN; the generator already
    recorded the other managers as QUAN_LY and everyone else as TRUC_TIEP."""
    for code, full_name, gender, position in LEADERS:
        if Person.objects.filter(code=code).exists():
            continue
        person = services.create_person(
            ctx.actor,
            code=code,
            full_name=full_name,
            gender=gender,
            unit=units["BO"],
            position=position,
            is_manager=True,
        )
        for year in DEMO_YEARS:
            services.set_person_year(
                ctx.actor,
                person=person,
                year=year,
                rating=Rating.HTXSNV,
                position_level=PositionLevel.LANH_DAO_BO,
            )
    heads, companies = [], []
    for code, unit in sorted(units.items()):
        if code in ("BO", "SO") or unit.kind == UnitKind.PHONG:
            continue
        if unit.kind == UnitKind.DOANH_NGHIEP:
            companies.append(unit.pk)
            continue
        head = (
            Person.objects.filter(unit=unit, is_manager=True, code__startswith="CB")
            .order_by("code")
            .first()
        )
        if head is not None:
            heads.append((head.pk, unit.pk))
    with transaction.atomic():
        promoted = 0
        for person_id, unit_id in heads:
            Person.objects.filter(pk=person_id).update(position=HEAD_POSITION)
            promoted += PersonYear.objects.filter(person_id=person_id, unit_id=unit_id).update(
                position_level=PositionLevel.LANH_DAO_VU
            )
        entrepreneurs = PersonYear.objects.filter(
            unit_id__in=companies, person__is_manager=True, position_level=PositionLevel.QUAN_LY
        ).update(position_level=PositionLevel.DOANH_NHAN)
        audit.record(
            ctx.actor,
            "units.demo_position_levels",
            object_type="generation",
            object_label="demo",
            after={"heads": len(heads), "head_years": promoted, "company_years": entrepreneurs},
        )
    ctx.log(f"  position levels: {len(heads)} heads, {entrepreneurs} company managers' years")


SCALES = {
    # departments x (1 + sub-units) units; people
    "large": {"prefix": "L", "departments": 30, "per_department": 10, "people": 30_000},
    "national": {"prefix": "N", "departments": 100, "per_department": 10, "people": 1_000_000},
}


def seed_scale(ctx, root: Unit) -> None:
    """Bulk data for benchmarks; skipped when this scale's data is already there."""
    spec = SCALES[ctx.scale]
    prefix = spec["prefix"]
    if Unit.objects.filter(code=f"{prefix}D001").exists():
        ctx.log(f"  scale {ctx.scale}: already generated")
        return
    units = bulk.generate_units(
        ctx.actor,
        root=root,
        prefix=prefix,
        departments=spec["departments"],
        per_department=spec["per_department"],
        log=ctx.log,
    )
    n = bulk.generate_unit_ratings(_rng(ctx, 3), [pk for pk, _c in units], SCALE_YEARS)
    bulk.generate_people(
        ctx.actor,
        rng=_rng(ctx, 4),
        units=units,
        count=spec["people"],
        years=SCALE_YEARS,
        prefix=f"{prefix}P",
        log=ctx.log,
        label=f"scale {ctx.scale}",
        extra={"units": len(units), "unit_ratings": n},
    )


def register() -> None:
    portal_demo.register("units", 10, seed)
