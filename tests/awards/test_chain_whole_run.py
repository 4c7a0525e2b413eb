"""Principle 7 (rules.md): a chain that starts "after" an award counts over the whole
unbroken run from the year after it to the judged year, not over the run's last five years;
"at least 5 consecutive years" still asks the run to be at least five years long."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from awards import eligibility
from awards.models import AwardKind
from tests.awards.factories import PersonFactory, award, rate
from units.models import PersonYear

pytestmark = pytest.mark.django_db

YEAR = 2025  # judged under ND152-2025-TT62; the rules read 2021-2025 for everyone


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def texts(v):
    return " | ".join(str(r) for r in v.reasons)


def seven_year_run(person, *, bad_year=None):
    """BK_TTG of 2018, then 2019-2025 rated HTTNV or better (HTXSNV in 2019), CSTD_CS in
    years 1, 2 and 6 of the run (2019, 2020, 2024): only one of them in the last five."""
    ratings = dict.fromkeys(range(2016, YEAR + 1), "HTTNV")
    ratings[2019] = "HTXSNV"
    if bad_year:
        ratings[bad_year] = "HTNV"
    rate(person, ratings)
    award(person, "BK_TTG", 2018)
    for y in (2019, 2020, 2024):
        award(person, "CSTD_CS", y)


def hcld3(person, year=YEAR):
    (v,) = eligibility.judge_subject(year, person, ["HCLD3"])
    return v


def test_cstd_cs_early_in_a_seven_year_run_counts(person):
    seven_year_run(person)
    v = hcld3(person)
    assert v.eligible, texts(v)
    assert v.explained_eligible
    text = texts(v)
    assert "Holds BK_TTG of 2018; counting starts in 2019." in text
    assert "every year of the period 2019-2025 (7 years, needs at least 5)" in text
    assert "Holds CSTD_CS 3 time(s) in 2019-2025 (needs 3): 2019, 2020, 2024." in text
    assert "HTXSNV or better in 1 of the years 2019-2025" in text


def test_a_broken_run_fails_even_with_five_good_years_at_its_end(person):
    seven_year_run(person, bad_year=2020)
    v = hcld3(person)
    assert not v.eligible and not v.explained_eligible
    assert "needs every year of the period 2019-2025" in texts(v)
    assert "but not in 2020" in texts(v)


def test_a_run_shorter_than_five_years_fails(person):
    rate(person, dict.fromkeys(range(2021, YEAR + 1), "HTXSNV"))
    award(person, "BK_TTG", 2021)
    for y in range(2022, YEAR + 1):
        award(person, "CSTD_CS", y)
    v = hcld3(person)
    assert not v.eligible
    assert "counting starts in 2022" in texts(v)


def test_the_period_starts_after_the_latest_award(person):
    seven_year_run(person)
    award(person, "BK_TTG", 2020)  # a later BK_TTG: the run is 2021-2025, one CSTD_CS
    v = hcld3(person)
    assert not v.eligible
    assert "Needs CSTD_CS 3 time(s) in 2021-2025; found 1: 2024." in texts(v)


def test_ad_hoc_cstd_cs_early_in_the_run_is_not_counted(person):
    seven_year_run(person)
    award(person, "CSTD_CS", 2021, kind=AwardKind.DOT_XUAT)
    v = hcld3(person)
    assert v.eligible
    assert "CSTD_CS 2021" in texts(v)  # listed as not counted


def test_bk_ttg_counts_the_whole_run_after_bk_bo(person):
    rate(person, dict.fromkeys(range(2018, YEAR + 1), "HTTNV"))
    award(person, "BK_BO", 2018)
    for y in (2019, 2020, 2025):
        award(person, "CSTD_CS", y)
    (v,) = eligibility.judge_subject(YEAR, person, ["BK_TTG"])
    assert v.eligible, texts(v)
    (v24,) = eligibility.judge_subject(2024, person, ["BK_TTG"])
    assert not v24.eligible  # 2019-2024: two CSTD_CS only (2025 not yet)


def test_population_pass_tells_apart_people_equal_in_the_last_five_years(unit):
    """Twins in 2021-2025 whose runs differ before: one unbroken since 2019, one with 2019
    unrated (the run is broken). The per-signature memo must not give them one verdict."""
    whole = PersonFactory(code="W1", unit=unit)
    broken = PersonFactory(code="W2", unit=unit)
    seven_year_run(whole)
    seven_year_run(broken)
    PersonYear.objects.filter(person=broken, year=2019).delete()
    got = {
        v.subject_code: v.eligible
        for v in eligibility.judge(YEAR, subject_type="person", award_codes=["HCLD3"], chunk=10)
    }
    assert got == {"W1": True, "W2": False}


def test_earlier_years_are_read_per_chunk_not_per_person(unit):
    def queries(n):
        for i in range(n):
            seven_year_run(PersonFactory(code=f"R{n}-{i}", unit=unit))
        with CaptureQueriesContext(connection) as ctx:
            verdicts = list(eligibility.judge(YEAR, subject_type="person", award_codes=["HCLD3"]))
        assert verdicts and all(v.eligible for v in verdicts)
        sql = [q["sql"] for q in ctx.captured_queries]
        # the earlier ratings and CSTD_CS records of the long runs: one query each
        assert sum('"year" < 2021' in q for q in sql) == 2, sql
        return len(sql)

    assert queries(1) == queries(6)
