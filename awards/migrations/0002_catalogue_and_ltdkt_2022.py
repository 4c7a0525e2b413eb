"""Seed the award catalogue, the base salary and the rule set of the 2022 Law (LTDKT-2022),
so a fresh database holds them right after ``migrate``. Data is frozen here on purpose:
later changes go through the admin (or a new rule set), never by editing this file."""

import datetime
from decimal import Decimal

from django.db import migrations

LAW = "Luật Thi đua, Khen thưởng số 06/2022/QH15"
DECREE = "Nghị định 98/2023/NĐ-CP (nay là Nghị định 152/2025/NĐ-CP)"
VOTE = "Nghị định 98/2023/NĐ-CP, Điều 30"

# code, vi, en, subject, category, conferred_by, council_vote, person x, unit x
CATALOGUE = [
    ("LDTT", "Lao động tiên tiến", "Advanced worker", "person", "title", "unit_head", False, "0.3", None),
    ("CSTD_CS", "Chiến sĩ thi đua cơ sở", "Grassroots emulation fighter", "person", "title", "unit_head", True, "1.0", None),
    ("CSTD_BO", "Chiến sĩ thi đua cấp Bộ", "Ministry emulation fighter", "person", "title", "minister", True, "3.0", None),
    ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", "National emulation fighter", "person", "title", "prime_minister", True, "4.5", None),
    ("TTLDTT", "Tập thể lao động tiên tiến", "Advanced labour collective", "unit", "title", "unit_head", False, None, "0.8"),
    ("TTLDXS", "Tập thể lao động xuất sắc", "Excellent labour collective", "unit", "title", "minister", False, None, "1.5"),
    ("CO_BO", "Cờ thi đua của Bộ", "Ministry emulation flag", "unit", "title", "minister", True, None, "8"),
    ("CO_CP", "Cờ thi đua của Chính phủ", "Government emulation flag", "unit", "title", "prime_minister", True, None, "12"),
    ("GK", "Giấy khen", "Certificate of merit", "both", "form", "unit_head", False, None, "0.6"),
    ("BK_BO", "Bằng khen của Bộ trưởng", "Minister's certificate of merit", "both", "form", "minister", False, None, "3"),
    ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "Prime Minister's certificate of merit", "both", "form", "prime_minister", False, None, "7"),
    ("HCLD3", "Huân chương Lao động hạng Ba", "Labour Order, third class", "both", "form", "president", False, None, "9"),
    ("HCLD2", "Huân chương Lao động hạng Nhì", "Labour Order, second class", "both", "form", "president", False, None, "15"),
    ("HCLD1", "Huân chương Lao động hạng Nhất", "Labour Order, first class", "both", "form", "president", False, None, "18"),
    ("KNC", "Kỷ niệm chương của ngành", "Sector commemorative medal", "person", "form", "minister", False, None, None),
]

NO_DISCIPLINE_SELF = {"no_discipline": {"min_level": "KHIEN_TRACH", "scope": "self"}}
NO_WARNING_MEMBERS = {"no_discipline": {"min_level": "CANH_CAO", "scope": "members"}}


def _after_chain(award, with_excellent):
    then = [
        {"rating_at_least": "HTTNV", "years": 5},
        {"holds_award": "CSTD_CS", "times": 3, "window": 5},
    ]
    if with_excellent:
        then.insert(1, {"rating_at_least": "HTXSNV", "times": 1, "window": 5})
    return {"after_award": {"award": award, "then": {"all": then}}}


# code, subject, condition, legal reference, vote threshold, description
RULES = [
    (
        "LDTT", "person",
        {"all": [{"rating_at_least": "HTTNV", "years": 1}, NO_DISCIPLINE_SELF]},
        f"{LAW}; {DECREE}", None,
        "Rated HTTNV or better in the year; no discipline in force. "
        "“Active in emulation” is checked by the unit.",
    ),
    (
        "CSTD_CS", "person",
        {"all": [
            {"eligible_for": "LDTT"},
            {"any": [
                {"rating_at_least": "HTXSNV", "years": 1},
                {"initiative": {"scope": "CO_SO", "within_years": 1}},
            ]},
        ]},
        f"{LAW}; {DECREE}; {VOTE}", "0.800",
        "LDTT in the year and either HTXSNV or an initiative / scientific project recognised "
        "at base scope or wider.",
    ),
    (
        "CSTD_BO", "person",
        {"all": [
            {"consecutive": {"award": "CSTD_CS", "years": 3}},
            {"initiative": {"scope": "BO", "within_years": 3}},
            NO_DISCIPLINE_SELF,
        ]},
        f"{LAW}; {DECREE}; {VOTE}", "0.900",
        "CSTD_CS in each of 3 consecutive years and an initiative or scientific work at "
        "ministry scope.",
    ),
    (
        "CSTD_TQ", "person",
        {"all": [
            {"holds_award": "CSTD_BO", "times": 1, "window": 1},
            {"holds_award": "CSTD_BO", "times": 2, "window": 4},
            {"initiative": {"scope": "TOAN_QUOC", "within_years": 6}},
            NO_DISCIPLINE_SELF,
        ]},
        f"{LAW}; {DECREE}; {VOTE}", "0.900",
        "CSTD_BO for two consecutive periods (this year and 3 years before) and an initiative "
        "or scientific work of national scope.",
    ),
    (
        "TTLDTT", "unit",
        {"all": [
            {"rating_at_least": "HTTNV", "years": 1},
            {"members_share": {"award": "LDTT", "share": 0.7}},
            NO_WARNING_MEMBERS,
        ]},
        f"{LAW}; {DECREE}", None,
        "Completed its tasks well; at least 70% of members LDTT; no member disciplined at "
        "warning or above.",
    ),
    (
        "TTLDXS", "unit",
        {"all": [
            {"rating_at_least": "HTXSNV", "years": 1},
            {"members_share": {"rating_at_least": "HTNV", "share": 1}},
            {"members_share": {"award": "LDTT", "share": 0.7}},
            {"members_share": {"award": "CSTD_CS", "at_least": 1}},
            NO_WARNING_MEMBERS,
        ]},
        f"{LAW}; {DECREE}", None,
        "Completed its tasks excellently; every member HTNV or better; at least 70% LDTT; at "
        "least one CSTD_CS; no member disciplined at warning or above.",
    ),
    (
        "CO_BO", "unit",
        {"any": [
            {"all": [{"bloc_role": "leader"}, {"rating_at_least": "HTXSNV", "years": 1}]},
            {"manual": "Leader of a thematic movement lasting 3 years or more"},
        ]},
        f"{LAW}; {DECREE}; {VOTE}", "0.800",
        "Leads its bloc or cluster in the year (ranking and acclamation) and exceeded its "
        "targets; or leads a thematic movement of 3 years or more.",
    ),
    (
        "CO_CP", "unit",
        {"any": [
            {"all": [{"eligible_for": "CO_BO"}, {"bloc_role": "leader"}]},
            {"manual": "Leader of a Prime Minister's movement lasting 5 years or more"},
        ]},
        f"{LAW}; {DECREE}; {VOTE}", "0.800",
        "Chosen among the collectives that lead a ministry bloc or cluster; or leads a Prime "
        "Minister's movement of 5 years or more.",
    ),
    (
        "GK", "person",
        {"all": [{"rating_at_least": "HTTNV", "years": 1}, NO_DISCIPLINE_SELF]},
        f"{LAW}; {DECREE}", None,
        "Conferred by the head of the unit; no chain. Assumption: rated HTTNV or better.",
    ),
    (
        "GK", "unit",
        {"all": [{"rating_at_least": "HTTNV", "years": 1}, NO_WARNING_MEMBERS]},
        f"{LAW}; {DECREE}", None,
        "Conferred by the head of the unit; no chain. Assumption: completed its tasks well.",
    ),
    (
        "BK_BO", "person",
        {"all": [
            NO_DISCIPLINE_SELF,
            {"any": [
                {"consecutive": {"award": "CSTD_CS", "years": 2}},
                {"all": [
                    {"rating_at_least": "HTXSNV", "years": 2},
                    {"initiative": {"scope": "CO_SO", "within_years": 2, "count": 2}},
                ]},
                {"manual": "Outstanding in a thematic movement, or an ad hoc achievement"},
            ]},
        ]},
        f"{LAW}; {DECREE}", None,
        "CSTD_CS in 2 consecutive years; or HTXSNV in 2 consecutive years with 2 initiatives "
        "or scientific works at base scope; thematic and ad hoc paths are assessed by hand.",
    ),
    (
        "BK_BO", "unit",
        {"all": [
            NO_WARNING_MEMBERS,
            {"any": [
                {"rating_at_least": "HTXSNV", "years": 2},
                {"consecutive": {"award": "TTLDXS", "years": 2}},
                {"manual": "Outstanding in a thematic movement, or an ad hoc achievement"},
            ]},
        ]},
        f"{LAW}; {DECREE}", None,
        "2 consecutive years completing tasks excellently, or TTLDXS in 2 consecutive years.",
    ),
    (
        "BK_TTG", "person",
        {"all": [NO_DISCIPLINE_SELF, _after_chain("BK_BO", with_excellent=False)]},
        f"{LAW}; {DECREE}", None,
        "Holds BK_BO, then at least 5 consecutive years after it rated HTTNV or better, "
        "including 3 years of CSTD_CS.",
    ),
    (
        "HCLD3", "person",
        {"all": [
            NO_DISCIPLINE_SELF,
            {"any": [
                _after_chain("BK_TTG", with_excellent=True),
                {"manual": "Long-service path for leaders by years in post (details unconfirmed)"},
            ]},
        ]},
        f"{LAW}; {DECREE}", None,
        "Holds BK_TTG, then at least 5 consecutive years after it rated HTTNV or better, with "
        "at least 1 year HTXSNV and 3 years of CSTD_CS.",
    ),
    (
        "HCLD2", "person",
        {"all": [NO_DISCIPLINE_SELF, _after_chain("HCLD3", with_excellent=True)]},
        f"{LAW}; {DECREE}", None,
        "UNCONFIRMED under the 2022 Law: modelled like HCLD3 after an HCLD3; tune when the "
        "criteria are confirmed.",
    ),
    (
        "HCLD1", "person",
        {"all": [NO_DISCIPLINE_SELF, _after_chain("HCLD2", with_excellent=True)]},
        f"{LAW}; {DECREE}", None,
        "UNCONFIRMED under the 2022 Law: modelled like HCLD3 after an HCLD2; tune when the "
        "criteria are confirmed.",
    ),
    (
        "KNC", "person",
        {"manual": "Long service in the sector (criteria unconfirmed)"},
        f"{LAW}; {DECREE}", None,
        "Criteria unconfirmed: assessed by the office.",
    ),
]


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    RuleSet = apps.get_model("awards", "RuleSet")
    Rule = apps.get_model("awards", "Rule")
    types = {}
    for order, (code, vi, en, subject, category, by, vote, px, ux) in enumerate(CATALOGUE, 1):
        types[code], _ = AwardType.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": vi, "name_en": en, "subject": subject, "category": category,
                "conferred_by": by, "council_vote": vote, "order": order * 10,
                "multiplier_person": Decimal(px) if px else None,
                "multiplier_unit": Decimal(ux) if ux else None,
            },
        )
    BaseSalary.objects.get_or_create(
        effective_from=datetime.date(2023, 7, 1),
        defaults={"amount": 1_800_000, "legal_reference": "Nghị định 24/2023/NĐ-CP"},
    )
    BaseSalary.objects.get_or_create(
        effective_from=datetime.date(2024, 7, 1),
        defaults={"amount": 2_340_000, "legal_reference": "Nghị định 73/2024/NĐ-CP"},
    )
    rule_set, _ = RuleSet.objects.get_or_create(
        code="LTDKT-2022",
        defaults={
            "name": "Luật Thi đua, Khen thưởng 2022",
            "effective_from": datetime.date(2024, 1, 1),
            "legal_reference": f"{LAW}; {DECREE}; Thông tư 15/2025/TT-BNV",
            "notes": "No quota (the 15% cap on CSTD_CS came from a repealed decree).",
        },
    )
    for code, subject, condition, ref, vote, description in RULES:
        Rule.objects.update_or_create(
            rule_set=rule_set, award_type=types[code], subject=subject,
            defaults={
                "condition": condition, "legal_reference": ref, "description": description,
                "vote_threshold": Decimal(vote) if vote else None,
                "quota_enabled": False,
                "quota_share": Decimal("0.150") if code == "CSTD_CS" else None,
                "quota_base": types["LDTT"] if code == "CSTD_CS" else None,
            },
        )


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    RuleSet.objects.filter(code="LTDKT-2022").delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
