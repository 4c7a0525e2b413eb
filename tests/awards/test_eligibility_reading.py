"""How the engine reads people.

The read-ahead: the next chunk of people is loaded in a worker thread (its own database
connection) while the current one is judged. It must change no verdict, never run inside a
transaction (the worker could not see uncommitted rows), and leave no thread or connection
behind, also when the caller stops early. Chunks: a unit subset is chunked by its own
members; explicit people are exactly those asked for, dense or sparse."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from awards import eligibility
from awards.eligibility import loading
from tests.awards.factories import PersonFactory, UnitFactory, award, discipline, initiative, rate


def _history():
    unit = UnitFactory(code="VP", name="Văn phòng Bộ")
    people = [PersonFactory(code=f"P{i:03}", unit=unit) for i in range(7)]
    for i, p in enumerate(people):
        rate(p, {y: ("HTXSNV" if (y + i) % 3 else "HTTNV") for y in range(2019, 2026)})
        if i % 2:
            for y in (2022, 2023, 2024):
                award(p, "CSTD_CS", y)
        if i % 3 == 0:
            initiative(p, 2025, scope="BO")
    discipline(people[5], datetime.date(2025, 3, 1))
    return people


def _facts(prefetch):
    return [
        (f.id, f.unit_id, f.ratings, f.awards, f.initiatives, f.disciplines)
        for f in eligibility.iter_people_facts(2025, 6, chunk=2, prefetch=prefetch)
    ]


def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name.startswith("eligibility-prefetch")]


def _verdicts(monkeypatch, prefetch):
    monkeypatch.setattr(loading, "_can_prefetch", lambda: prefetch)
    return [
        (v.subject_code, v.award_code, v.eligible, [str(r) for r in v.reasons])
        for v in eligibility.judge(2025, subject_type="person", chunk=2)
    ]


@pytest.mark.django_db(transaction=True)
def test_read_ahead_reads_the_same_facts_and_verdicts(monkeypatch):
    _history()
    plain = _facts(prefetch=False)
    assert len(plain) == 7
    assert _facts(prefetch=True) == plain
    verdicts = _verdicts(monkeypatch, prefetch=False)
    assert any(eligible for _, _, eligible, _ in verdicts)
    assert _verdicts(monkeypatch, prefetch=True) == verdicts
    assert not _prefetch_threads()


@pytest.mark.django_db(transaction=True)
def test_read_ahead_stops_cleanly_when_the_caller_stops_early():
    _history()
    facts = eligibility.iter_people_facts(2025, 6, chunk=2, prefetch=True)
    first = next(facts)
    facts.close()  # a page that only wanted the first rows
    assert first.ratings
    assert not _prefetch_threads()
    # The caller's own connection is still usable: the worker closed only its own.
    assert len(_facts(prefetch=False)) == 7


@pytest.mark.django_db(transaction=True)
def test_read_ahead_passes_on_a_failing_chunk(monkeypatch):
    _history()

    def broken(span, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(loading, "_load_people_chunk", broken)
    with pytest.raises(RuntimeError, match="went away"):
        list(eligibility.iter_people_facts(2025, 6, chunk=2, prefetch=True))
    assert not _prefetch_threads()


@pytest.mark.django_db(transaction=True)
def test_no_read_ahead_inside_a_transaction():
    with transaction.atomic():
        assert not loading._can_prefetch()
    assert loading._can_prefetch() is (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_a_units_people_are_read_in_chunks_of_members_not_of_id_width(django_assert_num_queries):
    """People of one unit interleaved with another's: each chunk holds ``chunk`` of the
    unit's members, so a sparse subset of a large table costs queries by its own size."""
    a = UnitFactory(code="A", name="Đơn vị A")
    b = UnitFactory(code="B", name="Đơn vị B")
    people = [PersonFactory(code=f"P{i:02}", unit=a if i % 2 == 0 else b) for i in range(10)]
    for p in people:
        rate(p, {2025: "HTTNV"})
    base = loading.Person.objects.filter(unit_id__in=[a.pk])
    spans = list(loading._id_chunks(None, base, 2, subset=True))
    members = [p.pk for p in people if p.unit_id == a.pk]
    assert spans == [
        (members[0], members[1], None),
        (members[2], members[3], None),
        (members[4], members[4], None),
    ]
    # 1 query for the ids, then 5 per chunk of members.
    with django_assert_num_queries(1 + 3 * 5):
        facts = list(eligibility.iter_people_facts(2025, 1, unit_ids=[a.pk], chunk=2, codes={}))
    assert [f.id for f in facts] == members


@pytest.mark.django_db
@pytest.mark.parametrize("pick", [(0, 2, 3), (0, 9), (3,)], ids=["dense", "sparse", "one"])
def test_explicit_people_are_exactly_those_asked_for(pick):
    unit = UnitFactory(code="A", name="Đơn vị A")
    people = [PersonFactory(code=f"P{i:02}", unit=unit) for i in range(10)]
    wanted = [people[i].pk for i in pick]
    facts = eligibility.iter_people_facts(2025, 1, person_ids=wanted, codes={}, prefetch=False)
    assert [f.id for f in facts] == wanted


@pytest.mark.django_db
def test_a_pass_for_some_awards_judges_only_their_rules_and_what_they_depend_on():
    rules = eligibility.load_rules(eligibility.rule_set_for(2025))["person"]
    assert set(eligibility.rules_for(rules, ["LDTT"])) == {"LDTT"}
    # CSTD_BO: 3 years of CSTD_CS (this year's judged now), which needs LDTT this year.
    assert set(eligibility.rules_for(rules, ["CSTD_BO"])) == {"CSTD_BO", "CSTD_CS", "LDTT"}
    assert set(eligibility.rules_for(rules, ["CSTD_TQ"])) == {
        "CSTD_TQ",
        "CSTD_BO",
        "CSTD_CS",
        "LDTT",
    }
    assert set(eligibility.rules_for(rules, ["KNC", "NOT_A_CODE"])) == {"KNC"}


@pytest.mark.django_db
def test_a_pass_for_one_award_reads_less_and_judges_the_same(django_assert_num_queries):
    _history()
    everything = {
        (v.subject_code, v.award_code): v.eligible
        for v in eligibility.judge(2025, subject_type="person", chunk=100)
    }
    for code in ("LDTT", "CSTD_BO"):
        only = {
            (v.subject_code, v.award_code): v.eligible
            for v in eligibility.judge(2025, subject_type="person", award_codes=[code], chunk=100)
        }
        assert only == {k: ok for k, ok in everything.items() if k[1] == code}
        assert any(only.values())
    # Rule set, rules, award types and the id range; then people, ratings, awards,
    # initiatives and disciplines. LDTT reads neither awards nor initiatives.
    with django_assert_num_queries(4 + 3):
        list(eligibility.judge(2025, subject_type="person", award_codes=["LDTT"], chunk=100))
    with django_assert_num_queries(4 + 5):
        list(eligibility.judge(2025, subject_type="person", award_codes=["CSTD_BO"], chunk=100))
