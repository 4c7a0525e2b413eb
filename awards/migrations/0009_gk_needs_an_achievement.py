"""Giấy khen for a person needs an achievement besides a good rating (Law art. 75, rules.md
GK row: "besides completing the year's tasks, needs an achievement in a campaign or an ad
hoc achievement"). The seeded rule granted it on the rating alone.

In every rule set, the person GK rule still in its seeded form becomes: rated HTTNV or
better, no discipline, and either an achievement on record (an ad hoc or thematic reward
of the year, of another award type) or an achievement the office assesses (``manual``). A
rule an administrator has already changed is left as it is. ``seed`` is idempotent and is
run again by the test suite after a flush (tests/conftest.py).
"""

from django.db import migrations

NO_DISCIPLINE_SELF = {"no_discipline": {"min_level": "KHIEN_TRACH", "scope": "self"}}
SEEDED = {"all": [{"rating_at_least": "HTTNV", "years": 1}, NO_DISCIPLINE_SELF]}
SEEDED_DESCRIPTION = (
    "Conferred by the head of the unit; no chain. Assumption: rated HTTNV or better."
)
ACHIEVEMENT = "An achievement in an emulation campaign or an ad hoc achievement (Law art. 75)"
CONDITION = {
    "all": [
        {"rating_at_least": "HTTNV", "years": 1},
        {
            "any": [
                {"achievement": {"kinds": ["dot_xuat", "chuyen_de"], "within_years": 1}},
                {"manual": ACHIEVEMENT},
            ]
        },
        NO_DISCIPLINE_SELF,
    ]
}
DESCRIPTION = (
    "Conferred by the head of the unit; no chain. Rated HTTNV or better, and an achievement "
    "in an emulation campaign or an ad hoc achievement (Law art. 75): an ad hoc or thematic "
    "reward of the year on record shows one; otherwise the office assesses it."
)


def seed(apps, schema_editor):
    Rule = apps.get_model("awards", "Rule")
    for rule in Rule.objects.filter(award_type__code="GK", subject="person"):
        if rule.condition != SEEDED:
            continue
        rule.condition = CONDITION
        if rule.description == SEEDED_DESCRIPTION:
            rule.description = DESCRIPTION
        rule.save(update_fields=["condition", "description"])


def unseed(apps, schema_editor):
    Rule = apps.get_model("awards", "Rule")
    for rule in Rule.objects.filter(award_type__code="GK", subject="person"):
        if rule.condition == CONDITION:
            rule.condition = SEEDED
            if rule.description == DESCRIPTION:
                rule.description = SEEDED_DESCRIPTION
            rule.save(update_fields=["condition", "description"])


class Migration(migrations.Migration):
    dependencies = [("awards", "0008_dossier_and_review_texts_bounded")]

    operations = [migrations.RunPython(seed, unseed)]
