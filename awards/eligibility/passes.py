"""A judging pass over a population or one subject (judgments memoised by the facts'
signature, full garbage collections spaced out while a pass runs)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from awards.eligibility.compiled import compile_rules
from awards.eligibility.judging import Judge, Verdict
from awards.eligibility.loading import (
    CHUNK,
    _award_codes,
    _lookback,
    _member_award_codes,
    _remember,
    iter_people_facts,
    iter_unit_facts,
    member_stats,
)
from awards.eligibility.rules import (
    _reads_initiatives,
    achievement_needs,
    award_needs,
    load_rules,
    rule_set_for,
    rules_for,
    run_needs,
)
from awards.models import RuleSet
from units.models import Unit

# The cyclic garbage collector: a population pass keeps each chunk's facts alive while it
# judges them, so every chunk moves some 25,000 containers into the oldest generation, and
# Python then runs a full collection over every object every chunk or two (measured: 12
# full collections of ~70 ms per 100,000 people, 15% of a national pass). The pass makes no
# reference cycles of its own, so while any pass runs the full collections are spaced 100
# times further apart (young generations are collected as usual; memory stays bounded).
FULL_GC_SPACING = 100


_gc_lock = threading.Lock()


_gc_passes = 0


_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def _fewer_full_collections():
    """Space out full garbage collections while the block runs (process-wide, counted: the
    first pass in relaxes, the last one out restores the thresholds it found)."""
    global _gc_passes, _gc_saved
    with _gc_lock:
        if _gc_passes == 0:
            _gc_saved = gc.get_threshold()
            first, second, third = _gc_saved
            gc.set_threshold(first, second, max(third, 1) * FULL_GC_SPACING)
        _gc_passes += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_passes -= 1
            if _gc_passes == 0:
                gc.set_threshold(*_gc_saved)


def judge(
    year: int,
    *,
    subject_type: str | None = None,
    subject_ids: list[int] | None = None,
    award_codes: Iterable[str] | None = None,
    unit_ids: list[int] | None = None,
    rule_set: RuleSet | None = None,
    chunk: int = CHUNK,
) -> Iterator[Verdict]:
    """Yield verdicts for ``year``: people first (by id), then units (by tree order), one per
    (subject, award type) the rule set has a rule for.

    ``subject_type`` limits to "person" or "unit"; ``subject_ids`` to those subjects;
    ``award_codes`` to those awards; ``unit_ids`` limits people to those whose current unit
    is one of them (and units to those). ``rule_set`` defaults to the set in force.
    Queries: a few, plus 5 per ``chunk`` people and 4 for units (plus one people pass when a
    unit rule reads members).
    """
    with _fewer_full_collections():
        yield from _judge(year, subject_type, subject_ids, award_codes, unit_ids, rule_set, chunk)


def _judge(year, subject_type, subject_ids, award_codes, unit_ids, rule_set, chunk):
    rule_set = rule_set or rule_set_for(year)
    rules = load_rules(rule_set)
    wanted = set(award_codes) if award_codes else None
    codes = _award_codes()
    if subject_type in (None, "person"):
        person_rules = rules["person"]
        targets = [c for c in person_rules if wanted is None or c in wanted]
        if targets:
            person_rules = rules_for(person_rules, targets)
            lookback = _lookback(person_rules.values())
            compiled = compile_rules(person_rules)
            items = [person_rules[code] for code in targets]
            # Verdicts by signature (see Facts.signature): most people share their facts
            # with many others, so most are judged by one dictionary lookup.
            memo: dict[tuple, tuple[bool, ...]] = {}
            context = (person_rules, compiled)  # a Judge is made from it only to explain
            for f in iter_people_facts(
                year,
                lookback,
                person_ids=subject_ids if subject_type else None,
                unit_ids=unit_ids,
                chunk=chunk,
                codes=codes,
                needs=award_needs(person_rules.values()),
                initiatives=_reads_initiatives(person_rules.values()),
                runs=run_needs(person_rules.values()),
                achievements=achievement_needs(person_rules.values()),
            ):
                key = f.signature()
                results = memo.get(key)
                j = context
                if results is None:
                    j = Judge(f, year, person_rules, compiled)
                    ok = j.ok
                    # A tuple: untracked by the garbage collector.
                    results = _remember(memo, key, tuple([ok(code) for code in targets]))
                yield from [
                    Verdict(f, rule, year, eligible, j)
                    for rule, eligible in zip(items, results)  # noqa: B905 - equal lengths
                ]
    if subject_type in (None, "unit"):
        unit_rules = rules["unit"]
        targets = [c for c in unit_rules if wanted is None or c in wanted]
        if targets:
            ids = subject_ids if subject_type and subject_ids is not None else unit_ids
            stats = member_stats(
                year,
                rules["person"],
                unit_ids=ids,
                codes=codes,
                award_codes=_member_award_codes(unit_rules),
                chunk=chunk,
            )
            compiled = compile_rules(unit_rules)
            # An "after" period may reach any year back: a unit's few ratings are all read.
            unit_lookback = (
                year if run_needs(unit_rules.values()).after else _lookback(unit_rules.values())
            )
            for f in iter_unit_facts(year, unit_lookback, unit_ids=ids, members=stats, codes=codes):
                j = Judge(f, year, unit_rules, compiled)
                for code in targets:
                    yield j.verdict(code)


def judge_subject(
    year: int, subject, award_codes: Iterable[str] | None = None, rule_set: RuleSet | None = None
) -> list[Verdict]:
    """All verdicts for one person or unit (a bounded number of queries)."""
    subject_type = "unit" if isinstance(subject, Unit) else "person"
    return list(
        judge(
            year,
            subject_type=subject_type,
            subject_ids=[subject.pk],
            award_codes=award_codes,
            rule_set=rule_set,
        )
    )


def used_initiative_ids(verdicts: Iterable[Verdict]) -> set[int]:
    return {i for v in verdicts for i in v.initiatives_used}
