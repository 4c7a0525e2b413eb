"""Giấy khen for a person needs an achievement besides a good rating (Law art. 75, rules.md
GK row): an ad hoc or thematic reward of the year on record, or the office's assessment."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from awards import conditions, eligibility
from awards.models import AwardKind, Rule
from tests.awards.factories import PersonFactory, award, rate

pytestmark = pytest.mark.django_db

GK = import_module("awards.migrations.0009_gk_needs_an_achievement")
YEAR = 2025


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def gk(person, year=YEAR):
    (v,) = eligibility.judge_subject(year, person, ["GK"])
    assert v.explained_eligible == v.eligible
    return v


def texts(v):
    return " | ".join(str(r) for r in v.reasons)


def test_a_good_rating_alone_is_not_enough(person):
    rate(person, {YEAR: "HTXSNV"})
    v = gk(person)
    assert not v.eligible
    text = texts(v)
    assert "No achievement on record in 2025: no reward of kind Ad hoc, Thematic." in text
    assert "Assessed by the office" in text and "Law art. 75" in text


@pytest.mark.parametrize("kind", [AwardKind.DOT_XUAT, AwardKind.CHUYEN_DE])
def test_an_ad_hoc_or_thematic_reward_of_the_year_is_an_achievement(person, kind):
    rate(person, {YEAR: "HTTNV"})
    award(person, "BK_BO", YEAR, kind=kind)
    v = gk(person)
    assert v.eligible
    assert "An achievement on record in 2025" in texts(v) and "BK_BO 2025" in texts(v)


def test_an_achievement_of_an_earlier_year_does_not_count(person):
    rate(person, {YEAR: "HTTNV"})
    award(person, "BK_BO", YEAR - 1, kind=AwardKind.DOT_XUAT)
    assert not gk(person).eligible


def test_a_regular_reward_or_an_ad_hoc_gk_itself_is_not_the_achievement(person):
    rate(person, {YEAR: "HTTNV"})
    award(person, "BK_BO", YEAR)  # regular merit: not an ad hoc achievement
    award(person, "GK", YEAR, kind=AwardKind.DOT_XUAT)  # the award judged cannot justify itself
    assert not gk(person).eligible


def test_the_rating_is_still_needed(person):
    rate(person, {YEAR: "HTNV"})
    award(person, "BK_BO", YEAR, kind=AwardKind.DOT_XUAT)
    assert not gk(person).eligible


def test_every_rule_set_has_it_and_unit_gk_is_unchanged(person):
    rules = Rule.objects.filter(award_type__code="GK")
    by_set = {(r.rule_set.code, r.subject): r.condition for r in rules}
    for code in ("LTDKT-2022", "ND152-2025", "ND152-2025-TT62"):
        assert by_set[(code, "person")] == GK.CONDITION
        assert "achievement" not in str(by_set[(code, "unit")])
    rate(person, {2024: "HTTNV"})
    award(person, "CSTD_CS", 2024, kind=AwardKind.DOT_XUAT)
    v = gk(person, 2024)
    assert v.eligible and v.rule_set == "LTDKT-2022"


def test_population_pass_reads_the_achievements_in_its_chunks(unit):
    plain = PersonFactory(code="G1", unit=unit)
    adhoc = PersonFactory(code="G2", unit=unit)
    for p in (plain, adhoc):
        rate(p, {YEAR: "HTTNV"})
    award(adhoc, "KNC", YEAR, kind=AwardKind.DOT_XUAT)  # a code no other rule reads
    got = {
        v.subject_code: v.eligible
        for v in eligibility.judge(YEAR, subject_type="person", award_codes=["GK"])
    }
    assert got == {"G1": False, "G2": True}


def test_seed_is_idempotent_and_leaves_an_edited_rule_alone():
    rule = Rule.objects.get(rule_set__code="ND152-2025", award_type__code="GK", subject="person")
    rule.condition = {"rating_at_least": "HTXSNV", "years": 1}
    rule.save()
    GK.seed(apps, None)
    GK.seed(apps, None)
    rule.refresh_from_db()
    assert rule.condition == {"rating_at_least": "HTXSNV", "years": 1}
    other = Rule.objects.get(
        rule_set__code="ND152-2025-TT62", award_type__code="GK", subject="person"
    )
    assert other.condition == GK.CONDITION and other.description == GK.DESCRIPTION


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"achievement": {"kinds": [], "within_years": 1}}, "non-empty list"),
        ({"achievement": {"kinds": ["cong_trang"], "within_years": 1}}, "must be one of"),
        ({"achievement": {"kinds": ["dot_xuat"]}}, "“within_years” is required"),
        ({"achievement": {"kinds": ["dot_xuat"], "within_years": 1, "x": 1}}, "unknown key"),
    ],
)
def test_a_bad_achievement_node_is_refused_with_its_path(node, message):
    with pytest.raises(ValidationError, match=message) as exc:
        conditions.validate({"all": [{"rating_at_least": "HTTNV", "years": 1}, node]})
    assert "$.all[1]" in str(exc.value)


def test_the_reasons_read_in_vietnamese(person):
    rate(person, {YEAR: "HTTNV"})
    with translation.override("vi"):
        text = texts(gk(person))
    assert "Không có thành tích được ghi nhận trong 2025" in text
    assert "thành tích đột xuất (Điều 75 Luật Thi đua, Khen thưởng)" in text
