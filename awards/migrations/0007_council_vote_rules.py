"""Seed the council's vote rules into every rule set present (after 0004 split LTDKT-2022
by period), with their legal references (``shared/domain/rules.md``, "Council votes"):

- ballot required for CSTD_CS, CSTD_BO, CSTD_TQ, CO_BO, CO_CP;
- at least 90% of ALL members for CSTD_BO and CSTD_TQ, 80% for CSTD_CS, CO_BO and CO_CP
  (NĐ 98/2023 art. 30(7); NĐ 152/2025's article not read: the same numbers are kept and
  the reference says so);
- quorum 2/3 of the members (each ministry's council regulation, e.g. TT 25/2025/TT-BKHCN
  art. 23), secret ballot, ties under a quota ranked by approvals and settled by the chair.

``seed`` is idempotent and is run again by the test suite after a flush
(tests/conftest.py). A rule whose threshold an administrator already set is left with it.
"""

from decimal import Decimal

from django.db import migrations

THRESHOLDS = {
    "CSTD_BO": Decimal("0.900"),
    "CSTD_TQ": Decimal("0.900"),
    "CSTD_CS": Decimal("0.800"),
    "CO_BO": Decimal("0.800"),
    "CO_CP": Decimal("0.800"),
}
QUORUM = "quorum 2/3: quy chế hội đồng thi đua - khen thưởng của Bộ (vd. Thông tư 25/2025/TT-BKHCN, Điều 23)"
ND98 = "Nghị định 98/2023/NĐ-CP, Điều 30 khoản 7"
ND152 = (
    "Nghị định 152/2025/NĐ-CP (tỷ lệ như Nghị định 98/2023/NĐ-CP, Điều 30 khoản 7; "
    "điều khoản của Nghị định 152 chưa đối chiếu)"
)


def vote_reference(rule_set_reference: str, code: str) -> str:
    share = "90%" if THRESHOLDS[code] == Decimal("0.900") else "80%"
    decree = ND152 if "152/2025" in (rule_set_reference or "") else ND98
    return f"{decree}: ≥ {share} tổng số thành viên hội đồng; {QUORUM}"


def seed(apps, schema_editor):
    Rule = apps.get_model("awards", "Rule")
    for rule in Rule.objects.filter(award_type__code__in=list(THRESHOLDS)).select_related(
        "award_type", "rule_set"
    ):
        code = rule.award_type.code
        rule.ballot_required = True
        if rule.vote_threshold is None:
            rule.vote_threshold = THRESHOLDS[code]
        rule.vote_base = "all_members"
        rule.quorum_numerator, rule.quorum_denominator = 2, 3
        rule.ballot_secret = True
        rule.tie_rule = "rank_chair"
        rule.vote_legal_reference = vote_reference(rule.rule_set.legal_reference, code)
        rule.save(
            update_fields=[
                "ballot_required",
                "vote_threshold",
                "vote_base",
                "quorum_numerator",
                "quorum_denominator",
                "ballot_secret",
                "tie_rule",
                "vote_legal_reference",
            ]
        )


def unseed(apps, schema_editor):
    Rule = apps.get_model("awards", "Rule")
    Rule.objects.update(ballot_required=False, vote_legal_reference="")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_rule_sets_by_decree_period"),
        ("awards", "0006_council"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
