"""The eligibility engine: judges people and units for a year against the rule set in force,
and explains every verdict with the facts it used and the rule's legal reference.

It is set-based. The population is read in chunks of subject ids, each chunk with a fixed
number of ``values_list`` queries (never a query per person); facts are kept in compact
per-subject structures, judged in Python, and verdicts are yielded as they are made, so
memory stays flat however large the population. People whose rule-relevant facts are the
same (``Facts.signature``) are judged once per pass; the others reuse that judgment.

Semantics (principles of ``shared/domain/rules.md``):

- only regular-merit (``cong_trang``) awards count toward chains; ad hoc, thematic and other
  kinds are shown as "not counted";
- a discipline blocks the year under judgment if it is in force on any day of that year
  (start on or before 31 December, end on or after 1 January, or no end);
- an initiative already used as the basis of a different reward does not count again;
- "after" counting starts the year after the latest regular award of that code and runs,
  unbroken, to the year under judgment: the counts a chain asks for are taken over that
  whole period, however long (principle 7);
- "held in the year under judgment" means recorded for that year, or qualifying for it now
  under the same rule set (titles of a year are judged together at year end).

One module per part: ``reasons`` (a verdict's explanation lines), ``facts`` (what is known of
a subject), ``judging`` (``Judge`` and ``Verdict``), ``compiled`` (rules compiled to
closures), ``rules`` (the rule set in force and the facts its rules need), ``loading``
(reading the population in chunks), ``passes`` (``judge`` and ``judge_subject``). Callers
import from this package.
"""

from awards.eligibility.compiled import compile_rules
from awards.eligibility.facts import NO_ROLES, Facts, MemberStats, RuleData
from awards.eligibility.judging import KIND_LABELS, RATING_BY_RANK, Judge, Verdict
from awards.eligibility.loading import (
    CHUNK,
    MEMO_SIZE,
    iter_people_facts,
    iter_unit_facts,
    member_stats,
)
from awards.eligibility.passes import FULL_GC_SPACING, judge, judge_subject, used_initiative_ids
from awards.eligibility.reasons import R, Reason
from awards.eligibility.rules import (
    RunNeeds,
    achievement_needs,
    award_needs,
    load_rules,
    rule_set_for,
    rules_for,
    run_needs,
)
from awards.models import InitiativeUse

__all__ = [
    "CHUNK",
    "FULL_GC_SPACING",
    "Facts",
    "InitiativeUse",
    "Judge",
    "KIND_LABELS",
    "MEMO_SIZE",
    "MemberStats",
    "NO_ROLES",
    "R",
    "RATING_BY_RANK",
    "Reason",
    "RuleData",
    "RunNeeds",
    "Verdict",
    "achievement_needs",
    "award_needs",
    "compile_rules",
    "iter_people_facts",
    "iter_unit_facts",
    "judge",
    "judge_subject",
    "load_rules",
    "member_stats",
    "rule_set_for",
    "rules_for",
    "run_needs",
    "used_initiative_ids",
]
