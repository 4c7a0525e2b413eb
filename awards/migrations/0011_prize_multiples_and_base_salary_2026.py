"""Prize money as rule-set data, and the base salary from 1 Jul 2026.

Multiples of the base salary (``shared/domain/rules.md``, "Prize money"): the collective
ones and the individual titles are read in NĐ 152/2025 art. 50, 51, 54 (``confirmed``);
the individual forms are half the collective ones by the long-standing rule, not read in
NĐ 152 (``confirmed`` off, so the admin shows them as to be checked). They are seeded in
every rule set of the 2022 Law: NĐ 98/2023's own table was not read either, so the sets of
its period carry the same figures, unconfirmed. KNC carries no money.

Base salary 2,530,000 VND from 1 Jul 2026 (NĐ 161/2026, read second-hand). ``seed`` is
idempotent (the test suite runs it again after a flush, see tests/conftest.py)."""

import datetime
from decimal import Decimal

from django.db import migrations

ND152 = "Nghị định 152/2025/NĐ-CP, Điều 50, 51, 54"
HALF = "Nghị định 152/2025/NĐ-CP (mức cá nhân bằng một nửa mức tập thể, chưa đối chiếu văn bản)"
# code, subject, multiple, confirmed
MULTIPLES = [
    ("CSTD_TQ", "person", "4.5", True),
    ("CSTD_BO", "person", "3.0", True),
    ("CSTD_CS", "person", "1.0", True),
    ("LDTT", "person", "0.3", True),
    ("CO_CP", "unit", "12", True),
    ("CO_BO", "unit", "8", True),
    ("TTLDXS", "unit", "1.5", True),
    ("TTLDTT", "unit", "0.8", True),
    ("BK_TTG", "unit", "7", True),
    ("BK_BO", "unit", "3", True),
    ("GK", "unit", "0.6", True),
    ("HCLD3", "unit", "9", True),
    ("HCLD2", "unit", "15", True),
    ("HCLD1", "unit", "18", True),
    ("BK_TTG", "person", "3.5", False),
    ("BK_BO", "person", "1.5", False),
    ("GK", "person", "0.3", False),
    ("HCLD3", "person", "4.5", False),
    ("HCLD2", "person", "7.5", False),
    ("HCLD1", "person", "9", False),
]
RULE_SETS = ["LTDKT-2022", "ND152-2025", "ND152-2025-TT62"]


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    RuleSet = apps.get_model("awards", "RuleSet")
    PrizeMultiple = apps.get_model("awards", "PrizeMultiple")
    BaseSalary.objects.get_or_create(
        effective_from=datetime.date(2026, 7, 1),
        defaults={"amount": 2_530_000, "legal_reference": "Nghị định 161/2026/NĐ-CP"},
    )
    types = {t.code: t for t in AwardType.objects.all()}
    for rule_set in RuleSet.objects.filter(code__in=RULE_SETS):
        nd98 = rule_set.code == "LTDKT-2022"
        for code, subject, multiple, confirmed in MULTIPLES:
            if code not in types:
                continue
            PrizeMultiple.objects.get_or_create(
                rule_set=rule_set,
                award_type=types[code],
                subject=subject,
                defaults={
                    "multiple": Decimal(multiple),
                    "legal_reference": (ND152 if confirmed else HALF)
                    + ("; áp dụng cho giai đoạn Nghị định 98/2023/NĐ-CP" if nd98 else ""),
                    "confirmed": confirmed and not nd98,
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("awards", "PrizeMultiple").objects.all().delete()
    apps.get_model("awards", "BaseSalary").objects.filter(
        effective_from=datetime.date(2026, 7, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0010_decisions")]

    operations = [migrations.RunPython(seed, unseed)]
