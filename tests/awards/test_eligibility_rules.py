"""Each LTDKT-2022 rule at its boundaries, through the real engine and the seeded rules."""

import datetime

import pytest
from django.utils import translation

from awards import eligibility
from awards.models import AwardKind, AwardType, InitiativeUse, Rule, RuleSet
from tests.awards.factories import (
    PersonFactory,
    UnitFactory,
    award,
    bloc_member,
    discipline,
    initiative,
    rate,
    rate_unit,
)
from units.models import Person, PersonYear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The assertions below read the English reasons (Vietnamese is tested elsewhere)."""
    with translation.override("en"):
        yield


def texts(v):
    return " | ".join(str(r) for r in v.reasons)


class TestLDTT:
    def test_good_rating_qualifies_and_cites_the_law(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        v = verdict(2024, person, "LDTT")
        assert v.eligible
        assert v.rule_set == "LTDKT-2022"
        assert "06/2022/QH15" in texts(v)
        assert "2024 HTTNV" in texts(v)

    def test_completed_only_does_not(self, person, verdict):
        rate(person, {2024: "HTNV"})
        v = verdict(2024, person, "LDTT")
        assert not v.eligible
        assert "2024 HTNV" in texts(v)

    def test_unrated_does_not(self, person, verdict):
        assert not verdict(2024, person, "LDTT").eligible

    def test_discipline_ending_the_day_before_the_year_does_not_block(self, person, verdict):
        rate(person, {2024: "HTXSNV"})
        discipline(person, datetime.date(2023, 3, 1), datetime.date(2023, 12, 31))
        assert verdict(2024, person, "LDTT").eligible

    def test_discipline_ending_on_the_first_day_blocks(self, person, verdict):
        rate(person, {2024: "HTXSNV"})
        discipline(person, datetime.date(2023, 3, 1), datetime.date(2024, 1, 1), "KHIEN_TRACH")
        v = verdict(2024, person, "LDTT")
        assert not v.eligible
        assert "KHIEN_TRACH" in texts(v)

    def test_open_ended_discipline_blocks(self, person, verdict):
        rate(person, {2024: "HTXSNV"})
        discipline(person, datetime.date(2020, 1, 1))
        assert not verdict(2024, person, "LDTT").eligible

    def test_discipline_starting_next_year_does_not_block(self, person, verdict):
        rate(person, {2024: "HTXSNV"})
        discipline(person, datetime.date(2025, 1, 1))
        assert verdict(2024, person, "LDTT").eligible


class TestCSTD_CS:
    def test_excellent_rating_suffices(self, person, verdict):
        rate(person, {2024: "HTXSNV"})
        assert verdict(2024, person, "CSTD_CS").eligible

    def test_good_rating_needs_an_initiative(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        assert not verdict(2024, person, "CSTD_CS").eligible
        initiative(person, 2023, "CO_SO")  # last year's does not count
        assert not verdict(2024, person, "CSTD_CS").eligible
        ini = initiative(person, 2024, "BO", title="Số hoá hồ sơ")  # wider scope satisfies
        v = verdict(2024, person, "CSTD_CS")
        assert v.eligible
        assert "Số hoá hồ sơ" in texts(v)
        assert v.initiatives_used == [ini.pk]

    def test_initiative_used_for_another_reward_does_not_count(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        ini = initiative(person, 2024, "CO_SO", title="Sáng kiến A")
        InitiativeUse.objects.create(
            initiative=ini, award_type=AwardType.objects.get(code="BK_BO"), year=2024
        )
        v = verdict(2024, person, "CSTD_CS")
        assert not v.eligible
        assert "Sáng kiến A" in texts(v) and "BK_BO" in texts(v)

    def test_initiative_used_for_this_same_reward_still_counts(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        ini = initiative(person, 2024, "CO_SO")
        InitiativeUse.objects.create(
            initiative=ini, award_type=AwardType.objects.get(code="CSTD_CS"), year=2024
        )
        assert verdict(2024, person, "CSTD_CS").eligible

    def test_needs_ldtt(self, person, verdict):
        rate(person, {2024: "HTNV"})
        initiative(person, 2024, "TOAN_QUOC")
        v = verdict(2024, person, "CSTD_CS")
        assert not v.eligible
        assert "LDTT" in texts(v)


class TestCSTD_BO:
    def _chain(self, person, years):
        for y in years:
            award(person, "CSTD_CS", y)

    def test_three_consecutive_years_and_ministry_initiative(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        self._chain(person, [2022, 2023, 2024])
        initiative(person, 2022, "BO")
        v = verdict(2024, person, "CSTD_BO")
        assert v.eligible, texts(v)
        assert "2022-2024" in texts(v)

    def test_a_gap_breaks_the_chain(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        self._chain(person, [2021, 2022, 2024])
        initiative(person, 2024, "BO")
        v = verdict(2024, person, "CSTD_BO")
        assert not v.eligible
        assert "2023" in texts(v)

    def test_this_years_cstd_cs_may_be_qualifying_now(self, person, verdict):
        rate(person, {2024: "HTXSNV"})
        self._chain(person, [2022, 2023])
        initiative(person, 2024, "BO")
        v = verdict(2024, person, "CSTD_BO")
        assert v.eligible
        assert "not yet conferred" in texts(v)

    def test_a_khtnv_year_breaks_the_chain(self, person, verdict):
        rate(person, {2022: "HTXSNV", 2023: "HTXSNV", 2024: "KHTNV"})
        self._chain(person, [2022, 2023])
        initiative(person, 2024, "BO")
        assert not verdict(2024, person, "CSTD_BO").eligible

    def test_base_scope_initiative_is_not_enough(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        self._chain(person, [2022, 2023, 2024])
        initiative(person, 2023, "CO_SO")
        assert not verdict(2024, person, "CSTD_BO").eligible

    def test_ad_hoc_cstd_cs_does_not_count(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        self._chain(person, [2022, 2024])
        award(person, "CSTD_CS", 2023, kind=AwardKind.DOT_XUAT)
        initiative(person, 2024, "BO")
        v = verdict(2024, person, "CSTD_BO")
        assert not v.eligible
        assert "only regular merit counts" in texts(v)


class TestBK_BO:
    def test_cstd_cs_two_consecutive_years(self, person, verdict):
        rate(person, {2024: "HTTNV"})
        award(person, "CSTD_CS", 2023)
        award(person, "CSTD_CS", 2024)
        assert verdict(2024, person, "BK_BO").eligible

    def test_excellent_two_years_with_two_initiatives(self, person, verdict):
        rate(person, {2023: "HTXSNV", 2024: "HTXSNV"})
        initiative(person, 2023, "CO_SO")
        # No CSTD_CS recorded for 2023, so only the second path can work: 2 initiatives.
        v = verdict(2024, person, "BK_BO")
        assert not v.eligible
        initiative(person, 2024, "CO_SO", title="Sáng kiến thứ hai")
        assert verdict(2024, person, "BK_BO").eligible


class TestBK_TTG:
    def _history(self, person, bk_year, ratings_from, cstd_years):
        award(person, "BK_BO", bk_year)
        rate(person, dict.fromkeys(range(ratings_from, 2025), "HTTNV"))
        for y in cstd_years:
            award(person, "CSTD_CS", y)

    def test_five_years_after_the_bk_bo(self, person, verdict):
        self._history(person, 2019, 2018, [2020, 2021, 2022])
        v = verdict(2024, person, "BK_TTG")
        assert v.eligible, texts(v)
        assert "2020" in texts(v)

    def test_counting_starts_the_year_after(self, person, verdict):
        # BK_BO in 2020: 2020 itself does not count, so 2021-2024 is only 4 years.
        self._history(person, 2020, 2018, [2021, 2022, 2023])
        v = verdict(2024, person, "BK_TTG")
        assert not v.eligible
        assert "2021" in texts(v)

    def test_ad_hoc_bk_bo_does_not_count(self, person, verdict):
        award(person, "BK_BO", 2019, kind=AwardKind.DOT_XUAT)
        rate(person, dict.fromkeys(range(2018, 2025), "HTTNV"))
        for y in (2020, 2021, 2022):
            award(person, "CSTD_CS", y)
        v = verdict(2024, person, "BK_TTG")
        assert not v.eligible
        assert "BK_BO 2019" in texts(v)

    def test_only_two_cstd_cs_is_not_enough(self, person, verdict):
        self._history(person, 2019, 2018, [2020, 2021])
        assert not verdict(2024, person, "BK_TTG").eligible

    def test_thematic_cstd_cs_does_not_count(self, person, verdict):
        self._history(person, 2019, 2018, [2020, 2021])
        award(person, "CSTD_CS", 2022, kind=AwardKind.CHUYEN_DE)
        assert not verdict(2024, person, "BK_TTG").eligible


class TestHCLD3:
    def test_needs_an_excellent_year(self, person, verdict):
        award(person, "BK_TTG", 2019)
        rate(person, dict.fromkeys(range(2019, 2025), "HTTNV"))
        for y in (2020, 2021, 2022):
            award(person, "CSTD_CS", y)
        assert not verdict(2024, person, "HCLD3").eligible
        rate(person, {2021: "HTXSNV"})
        assert verdict(2024, person, "HCLD3").eligible


class TestUnits:
    def _members(self, unit, n_ldtt, n_other, year=2024):
        n = n_ldtt + n_other
        people = Person.objects.bulk_create(
            Person(code=f"M{unit.pk}-{i:04d}", full_name=f"Thành viên {i}", gender="F", unit=unit)
            for i in range(n)
        )
        people = list(Person.objects.filter(unit=unit, code__startswith=f"M{unit.pk}-"))
        PersonYear.objects.bulk_create(
            PersonYear(person=p, year=year, unit=unit, rating="HTTNV" if i < n_ldtt else "HTNV")
            for i, p in enumerate(sorted(people, key=lambda p: p.code))
        )
        return sorted(people, key=lambda p: p.code)

    def test_exactly_70_percent_ldtt(self, unit, verdict):
        rate_unit(unit, {2024: "HTTNV"})
        self._members(unit, 7, 3)
        v = verdict(2024, unit, "TTLDTT")
        assert v.eligible, texts(v)
        assert "7 of 10" in texts(v)

    def test_69_9_percent_is_not_enough(self, unit, verdict):
        rate_unit(unit, {2024: "HTTNV"})
        self._members(unit, 699, 301)
        v = verdict(2024, unit, "TTLDTT")
        assert not v.eligible
        assert "699 of 1000" in texts(v)

    def test_member_in_another_unit_that_year_counts_there(self, unit, verdict):
        rate_unit(unit, {2024: "HTTNV"})
        self._members(unit, 7, 2)
        other = UnitFactory(code="OTHER")
        moved = PersonFactory(unit=other)  # current unit elsewhere, but here in 2024
        rate(moved, {2024: "HTNV"}, unit=unit)
        v = verdict(2024, unit, "TTLDTT")
        assert "7 of 10" in texts(v)
        assert v.eligible

    def test_member_under_warning_blocks(self, unit, verdict):
        rate_unit(unit, {2024: "HTTNV"})
        people = self._members(unit, 10, 0)
        discipline(people[0], datetime.date(2024, 6, 1), level="KHIEN_TRACH")
        assert verdict(2024, unit, "TTLDTT").eligible  # a reprimand is below warning
        discipline(people[1], datetime.date(2024, 6, 1), level="CANH_CAO")
        assert not verdict(2024, unit, "TTLDTT").eligible

    def test_ttldxs_needs_every_member_completed_and_a_cstd_cs(self, unit, verdict):
        rate_unit(unit, {2024: "HTXSNV"})
        people = self._members(unit, 8, 2)
        assert not verdict(2024, unit, "TTLDXS").eligible  # nobody CSTD_CS
        rate(people[0], {2024: "HTXSNV"})
        assert verdict(2024, unit, "TTLDXS").eligible
        rate(people[9], {2024: "KHTNV"})
        assert not verdict(2024, unit, "TTLDXS").eligible

    def test_co_bo_for_the_bloc_leader(self, unit, verdict):
        rate_unit(unit, {2024: "HTXSNV"})
        bloc_member(unit, 2024, "deputy")
        assert not verdict(2024, unit, "CO_BO").eligible
        bloc_member(unit, 2025, "leader")
        assert not verdict(2024, unit, "CO_BO").eligible
        unit2 = UnitFactory(code="LEAD")
        rate_unit(unit2, {2024: "HTXSNV"})
        bloc_member(unit2, 2024, "leader")
        v = verdict(2024, unit2, "CO_BO")
        assert v.eligible
        assert "Leads a bloc" in texts(v)


class TestRuleSets:
    def test_year_picks_the_rule_set_in_force(self, person):
        rate(person, {2023: "HTXSNV"})
        with pytest.raises(Exception, match="No rule set"):
            eligibility.judge_subject(2023, person)

    def test_a_new_rule_set_changes_future_years_only(self, person):
        old = RuleSet.objects.get(code="ND152-2025-TT62")
        old.effective_to = datetime.date(2026, 9, 30)
        old.save()
        new = RuleSet.objects.create(
            code="LTDKT-2026",
            name="Sửa đổi 2026",
            effective_from=datetime.date(2026, 10, 1),
            legal_reference="Luật sửa đổi (chưa xác nhận)",
        )
        Rule.objects.create(
            rule_set=new,
            award_type=AwardType.objects.get(code="CSTD_CS"),
            subject="person",
            condition={
                "all": [
                    {"eligible_for": "LDTT"},
                    {"initiative": {"scope": "CO_SO", "within_years": 1}},
                ]
            },
            legal_reference="Luật sửa đổi 2026",
        )
        Rule.objects.create(
            rule_set=new,
            award_type=AwardType.objects.get(code="LDTT"),
            subject="person",
            condition={"rating_at_least": "HTTNV", "years": 1},
            legal_reference="x",
        )
        rate(person, {2025: "HTXSNV", 2026: "HTXSNV"})
        (v25,) = eligibility.judge_subject(2025, person, ["CSTD_CS"])
        (v26,) = eligibility.judge_subject(2026, person, ["CSTD_CS"])
        assert (v25.rule_set, v25.eligible) == ("ND152-2025-TT62", True)
        assert (v26.rule_set, v26.eligible) == ("LTDKT-2026", False)  # initiative now required
