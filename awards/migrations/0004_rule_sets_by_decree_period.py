"""Split the seeded rule set of the 2022 Law by the period of its detailing texts.

NĐ 98/2023/NĐ-CP detailed the Law until 30 Jun 2025; NĐ 152/2025/NĐ-CP replaced it on
1 Jul 2025, and the sector's circular TT 62/2025/TT-BNNMT applies from 31 Oct 2025. A verdict
cites the texts of its period, so the criteria (unchanged) are copied into one rule set per
period, each rule's legal reference rewritten for its period:

- ``LTDKT-2022``: 1 Jan 2024 - 30 Jun 2025, NĐ 98/2023 (code kept: recorded verdicts,
  nominations and links refer to it);
- ``ND152-2025``: 1 Jul 2025 - 30 Oct 2025, NĐ 152/2025;
- ``ND152-2025-TT62``: from 31 Oct 2025, open-ended, NĐ 152/2025 and TT 62/2025/TT-BNNMT.

Rules are copied field by field from the model's concrete fields, so fields added to
``Rule`` by other migrations travel too. ``seed`` is idempotent (the test suite runs it
again after a flush, see tests/conftest.py): it closes LTDKT-2022, rewrites its references,
and creates the missing sets and rules; rules already present in a new set are left as
they are. Recorded verdicts keep their rule set and their snapshot.
"""

import datetime

from django.db import migrations

LAW = "Luật Thi đua, Khen thưởng số 06/2022/QH15"
# What 0002 seeded: one reference for the whole period, naming both decrees.
SEEDED_DECREE = "Nghị định 98/2023/NĐ-CP (nay là Nghị định 152/2025/NĐ-CP)"
SEEDED_VOTE = "Nghị định 98/2023/NĐ-CP, Điều 30"
ND98 = "Nghị định 98/2023/NĐ-CP"
ND152 = "Nghị định 152/2025/NĐ-CP"
TT15 = "Thông tư 15/2025/TT-BNV"
TT62 = "Thông tư 62/2025/TT-BNNMT"

FIRST = "LTDKT-2022"
FIRST_END = datetime.date(2025, 6, 30)
# code, name, from, to, legal reference of the set, cites TT 62
PERIODS = [
    (
        "ND152-2025",
        "Luật Thi đua, Khen thưởng 2022 - Nghị định 152/2025/NĐ-CP",
        datetime.date(2025, 7, 1),
        datetime.date(2025, 10, 30),
        f"{LAW}; {ND152}; {TT15}",
        False,
    ),
    (
        "ND152-2025-TT62",
        "Luật Thi đua, Khen thưởng 2022 - Nghị định 152/2025/NĐ-CP, Thông tư 62/2025/TT-BNNMT",
        datetime.date(2025, 10, 31),
        None,
        f"{LAW}; {ND152}; {TT15}; {TT62}",
        True,
    ),
]


def nd98_reference(text: str) -> str:
    """A reference of the NĐ 98 period: the decree of that period only."""
    return text.replace(SEEDED_DECREE, ND98)


def nd152_reference(text: str, with_tt62: bool) -> str:
    """The same reference for the NĐ 152 period (NĐ 98's article on council votes has no
    confirmed counterpart in NĐ 152, so the decree is cited without it)."""
    text = nd98_reference(text).replace(f"; {SEEDED_VOTE}", "").replace(SEEDED_VOTE, ND152)
    text = text.replace(ND98, ND152)
    if with_tt62 and TT62 not in text:
        text = f"{text}; {TT62}"
    return text


def seed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    Rule = apps.get_model("awards", "Rule")
    first = RuleSet.objects.filter(code=FIRST).first()
    if first is None:  # nothing seeded (0002 reversed): nothing to split
        return
    first.effective_to = FIRST_END
    first.name = "Luật Thi đua, Khen thưởng 2022 - Nghị định 98/2023/NĐ-CP"
    first.legal_reference = f"{LAW}; {ND98}"
    first.save()
    originals = list(Rule.objects.filter(rule_set=first).order_by("pk"))
    for rule in originals:
        reference = nd98_reference(rule.legal_reference)
        if reference != rule.legal_reference:
            rule.legal_reference = reference
            rule.save(update_fields=["legal_reference"])
    copied = [f.attname for f in Rule._meta.concrete_fields if f.name not in ("id", "rule_set")]
    for code, name, start, end, reference, with_tt62 in PERIODS:
        rule_set, _ = RuleSet.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "effective_from": start,
                "effective_to": end,
                "legal_reference": reference,
                "notes": first.notes,
            },
        )
        present = set(
            Rule.objects.filter(rule_set=rule_set).values_list("award_type_id", "subject")
        )
        for rule in originals:
            if (rule.award_type_id, rule.subject) in present:
                continue
            values = {name: getattr(rule, name) for name in copied}
            values["legal_reference"] = nd152_reference(rule.legal_reference, with_tt62)
            Rule.objects.create(rule_set=rule_set, **values)


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    RuleSet.objects.filter(code__in=[p[0] for p in PERIODS], verdicts__isnull=True).delete()
    RuleSet.objects.filter(code=FIRST).update(effective_to=None)


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_nominations")]

    operations = [migrations.RunPython(seed, unseed)]
