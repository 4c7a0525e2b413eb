"""The 2022 Law's rule set split by the period of its detailing texts (migration 0004):
NĐ 98/2023 until 30 Jun 2025, NĐ 152/2025 from 1 Jul 2025, with TT 62/2025/TT-BNNMT from
31 Oct 2025. Same criteria, references per period, verdicts recorded earlier unchanged."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from awards import eligibility, services
from awards.models import EligibilityVerdict, Rule, RuleSet
from tests.awards.factories import rate

pytestmark = pytest.mark.django_db

SPLIT = import_module("awards.migrations.0004_rule_sets_by_decree_period")
SETS = ["LTDKT-2022", "ND152-2025", "ND152-2025-TT62"]


def rules_of(code):
    return {
        (r.award_type.code, r.subject): r
        for r in Rule.objects.filter(rule_set__code=code).select_related("award_type")
    }


def test_three_sets_follow_each_other_without_gap():
    sets = list(RuleSet.objects.filter(code__in=SETS).order_by("effective_from"))
    assert [s.code for s in sets] == SETS
    assert [(s.effective_from, s.effective_to) for s in sets] == [
        (datetime.date(2024, 1, 1), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 7, 1), datetime.date(2025, 10, 30)),
        (datetime.date(2025, 10, 31), None),
    ]
    for s in sets:
        s.clean()  # no overlap


def test_year_picks_the_set_in_force_on_31_december():
    assert RuleSet.for_year(2024).code == "LTDKT-2022"
    assert RuleSet.for_year(2025).code == "ND152-2025-TT62"
    assert RuleSet.for_year(2030).code == "ND152-2025-TT62"
    assert RuleSet.for_year(2023) is None


def test_every_rule_is_copied_with_all_its_fields_and_its_period_reference():
    first = rules_of("LTDKT-2022")
    assert len(first) == 17
    # Legal references (the rule's, and any other a later migration adds) follow the period.
    fields = [
        f.attname
        for f in Rule._meta.concrete_fields
        if f.name not in ("id", "rule_set") and "legal_reference" not in f.name
    ]
    for code in SETS[1:]:
        copies = rules_of(code)
        assert copies.keys() == first.keys()
        for key, rule in first.items():
            copy = copies[key]
            assert {f: getattr(copy, f) for f in fields} == {f: getattr(rule, f) for f in fields}
    for rule in first.values():
        assert "98/2023" in rule.legal_reference and "152/2025" not in rule.legal_reference
    for rule in rules_of("ND152-2025").values():
        assert "152/2025" in rule.legal_reference and "98/2023" not in rule.legal_reference
        assert "62/2025" not in rule.legal_reference
    for rule in rules_of("ND152-2025-TT62").values():
        assert "152/2025" in rule.legal_reference and "98/2023" not in rule.legal_reference
        assert "Thông tư 62/2025/TT-BNNMT" in rule.legal_reference


def test_seed_is_idempotent():
    before = {c: {k: r.pk for k, r in rules_of(c).items()} for c in SETS}
    SPLIT.seed(apps, None)
    SPLIT.seed(apps, None)
    assert RuleSet.objects.filter(code__in=SETS).count() == 3
    assert {c: {k: r.pk for k, r in rules_of(c).items()} for c in SETS} == before


def test_reference_rewriting():
    seeded = f"{SPLIT.LAW}; {SPLIT.SEEDED_DECREE}; {SPLIT.SEEDED_VOTE}"
    assert SPLIT.nd98_reference(seeded) == (
        f"{SPLIT.LAW}; Nghị định 98/2023/NĐ-CP; Nghị định 98/2023/NĐ-CP, Điều 30"
    )
    assert SPLIT.nd152_reference(seeded, False) == f"{SPLIT.LAW}; Nghị định 152/2025/NĐ-CP"
    assert SPLIT.nd152_reference(seeded, True) == (
        f"{SPLIT.LAW}; Nghị định 152/2025/NĐ-CP; Thông tư 62/2025/TT-BNNMT"
    )


def test_verdicts_cite_the_decree_of_their_year(person):
    rate(person, {2024: "HTTNV", 2025: "HTTNV"})
    with translation.override("en"):
        (v24,) = eligibility.judge_subject(2024, person, ["LDTT"])
        (v25,) = eligibility.judge_subject(2025, person, ["LDTT"])
        text24 = " | ".join(str(r) for r in v24.reasons)
        text25 = " | ".join(str(r) for r in v25.reasons)
    assert v24.eligible and v24.rule_set == "LTDKT-2022"
    assert "98/2023" in text24 and "152/2025" not in text24
    assert v25.eligible and v25.rule_set == "ND152-2025-TT62"
    assert "152/2025" in text25 and "62/2025/TT-BNNMT" in text25 and "98/2023" not in text25


def test_a_recorded_verdict_keeps_its_rule_set_and_reasons(person, office_user):
    rate(person, {2025: "HTTNV"})
    old = RuleSet.objects.get(code="ND152-2025-TT62")
    # As recorded before the split: 2025 was judged under LTDKT-2022.
    verdicts = eligibility.judge_subject(
        2025, person, ["LDTT"], rule_set=RuleSet.objects.get(code="LTDKT-2022")
    )
    services.record_verdicts(office_user, verdicts)
    row = EligibilityVerdict.objects.get(person=person, year=2025)
    reasons = list(row.reasons)
    SPLIT.seed(apps, None)  # running the split again changes nothing recorded
    row.refresh_from_db()
    assert row.rule_set.code == "LTDKT-2022" and row.reasons == reasons
    assert RuleSet.for_year(2025) == old


def test_the_set_in_force_on_a_day():
    from awards import selectors

    assert selectors.rule_set_in_force(datetime.date(2025, 6, 30)).code == "LTDKT-2022"
    assert selectors.rule_set_in_force(datetime.date(2025, 8, 1)).code == "ND152-2025"
    assert selectors.rule_set_in_force(datetime.date(2025, 10, 31)).code == "ND152-2025-TT62"
    assert selectors.rule_set_in_force(datetime.date(2023, 12, 31)) is None


def test_catalogue_lists_the_three_sets_and_the_rules_in_force_today(
    client, viewer_user, django_assert_max_num_queries
):
    client.force_login(viewer_user)
    with django_assert_max_num_queries(12):
        html = client.get("/awards/").content.decode()
    for code in SETS:
        assert f"<code>{code}</code>" in html
    assert "30/06/2025" in html and "31/10/2025" in html
    # today (2026 or later) the open-ended TT 62 set is in force: its rules, once each
    assert "<td>ND152-2025-TT62</td>" in html and "<td>LTDKT-2022</td>" not in html
    assert html.count("Thông tư 62/2025/TT-BNNMT") >= 18  # the set and its 17 rules
