"""The ``eligibility`` command, exactly as codes.md specifies it."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.awards.factories import PersonFactory, award, initiative, rate

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("eligibility", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history(person):
    """P001: CSTD_CS 2022-2023, HTXSNV 2024 and a ministry initiative: CSTD_BO in 2024."""
    rate(person, {2022: "HTXSNV", 2023: "HTXSNV", 2024: "HTXSNV"})
    award(person, "CSTD_CS", 2022)
    award(person, "CSTD_CS", 2023)
    initiative(person, 2024, "BO", title="Bản đồ số")
    other = PersonFactory(code="P002", unit=person.unit)
    rate(other, {2024: "HTNV"})
    return person


def test_json_for_one_person_matches_the_rules(history):
    data = json.loads(run("--year", "2024", "--subject", "person:P001", "--format", "json"))
    by_award = {d["award_code"]: d for d in data}
    assert set(by_award) == {
        "LDTT",
        "CSTD_CS",
        "CSTD_BO",
        "CSTD_TQ",
        "GK",
        "BK_BO",
        "BK_TTG",
        "HCLD3",
        "HCLD2",
        "HCLD1",
        "KNC",
    }
    # GK needs an achievement besides the rating (none on record here)
    assert {k for k, d in by_award.items() if d["eligible"]} == {
        "LDTT",
        "CSTD_CS",
        "CSTD_BO",
        "BK_BO",
    }
    one = by_award["CSTD_BO"]
    assert set(one) == {
        "subject_type",
        "subject_code",
        "award_code",
        "eligible",
        "reasons",
        "rule_set",
    }
    assert one["subject_type"] == "person" and one["subject_code"] == "P001"
    assert one["rule_set"] == "LTDKT-2022"
    text = " ".join(one["reasons"])
    # Vietnamese by default, naming the facts and the legal reference
    assert "Bản đồ số" in text and "2022-2024" in text and "06/2022/QH15" in text
    assert "Căn cứ" in text


def test_award_filter_and_english(history):
    data = json.loads(run("--year", "2024", "--award", "LDTT", "--language", "en"))
    assert [(d["subject_code"], d["eligible"]) for d in data if d["subject_type"] == "person"] == [
        ("P001", True),
        ("P002", False),
    ]
    assert any("Legal basis" in r for d in data for r in d["reasons"])
    assert {d["subject_type"] for d in data} == {"person"}  # LDTT has no unit rule


def test_unit_subject(history):
    data = json.loads(run("--year", "2024", "--subject", "unit:VP"))
    assert {d["award_code"] for d in data} == {"TTLDTT", "TTLDXS", "CO_BO", "CO_CP", "GK", "BK_BO"}
    assert all(d["subject_type"] == "unit" for d in data)


def test_empty_array_when_nothing_matches(db):
    assert json.loads(run("--year", "2024", "--award", "LDTT")) == []


def test_text_table(history):
    out = run("--year", "2024", "--award", "CSTD_BO", "--format", "text", "--language", "en")
    lines = out.strip().splitlines()
    assert lines[0].split()[:2] == ["Code", "Name"]
    assert lines[1].startswith("P001") and "eligible" in lines[1]
    assert "not eligible" in lines[2]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--subject", "person:NOPE"], "no person with code NOPE"),
        (["--subject", "nobody"], "person:CODE or unit:CODE"),
        (["--award", "XYZ"], "unknown award code XYZ"),
    ],
)
def test_bad_arguments(db, args, message):
    with pytest.raises(CommandError, match=message):
        run("--year", "2024", *args)


def test_year_without_rule_set(db):
    with pytest.raises(CommandError):
        run("--year", "2020")
