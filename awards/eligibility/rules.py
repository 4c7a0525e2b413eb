"""The rule set in force for a year, its rules, and which facts a set of rules needs
(awards, unbroken runs, achievements)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from awards import conditions
from awards.eligibility.facts import RuleData
from awards.models import Rule, RuleSet


def load_rules(rule_set: RuleSet) -> dict[str, dict[str, RuleData]]:
    """The rule set's rules as plain data: {subject: {award code: RuleData}} (1 query)."""
    out: dict[str, dict[str, RuleData]] = {"person": {}, "unit": {}}
    for rule in Rule.objects.filter(rule_set=rule_set).select_related("award_type"):
        out[rule.subject][rule.award_type.code] = RuleData(
            rule.award_type.code, rule.subject, rule.condition, rule.legal_reference, rule_set.code
        )
    return out


def rules_for(rules: dict[str, RuleData], codes: Iterable[str]) -> dict[str, RuleData]:
    """The rules of ``codes`` and of every award they depend on for the same year
    (``eligible_for``, and "held" this year in ``consecutive`` / ``holds_award``): what a
    pass asked for some awards must judge, so it reads only the facts those rules need."""
    out: dict[str, RuleData] = {}
    todo = [c for c in codes if c in rules]

    def visit(node):
        if "eligible_for" in node:
            todo.append(node["eligible_for"])
        if isinstance(node.get("consecutive"), dict):
            todo.append(node["consecutive"]["award"])
        if "holds_award" in node:
            todo.append(node["holds_award"])

    while todo:
        code = todo.pop()
        if code in out or code not in rules:
            continue
        out[code] = rules[code]
        conditions._walk(rules[code].condition, visit)
    return out


def _reads_initiatives(rules: Iterable[RuleData]) -> bool:
    found = []
    for rule in rules:
        conditions._walk(rule.condition, lambda node: found.append("initiative" in node))
    return any(found)


def award_needs(rules: Iterable[RuleData], extra: Iterable[str] = ()) -> dict[str, int | None]:
    """For each award code the rules read: how many years back its records matter (None:
    all years, for "after" and window-less counts). Codes no rule reads are not loaded."""
    needs: dict[str, int | None] = dict.fromkeys(extra, 1)

    def need(code, years):
        if code in needs and (needs[code] is None or years is None):
            needs[code] = None
        else:
            needs[code] = max(needs.get(code) or 0, years) if years is not None else None

    def visit(node):
        if isinstance(node.get("consecutive"), dict):
            need(node["consecutive"]["award"], node["consecutive"]["years"])
        if "holds_award" in node:
            need(node["holds_award"], node.get("window"))
        if "eligible_for" in node:
            need(node["eligible_for"], 1)
        if isinstance(node.get("after_award"), dict):
            need(node["after_award"]["award"], None)

    for rule in rules:
        conditions._walk(rule.condition, visit)
    return needs


@dataclass(frozen=True, slots=True)
class RunNeeds:
    """What the rules count inside "after" periods, which run from the year after an award
    to the judged year however long (principle 7), so possibly before the years a pass
    reads for everyone: ``after`` the codes that start such a period, ``awards`` the codes
    counted inside one, ``initiatives`` whether initiatives are counted inside one."""

    after: frozenset[str] = frozenset()
    awards: frozenset[str] = frozenset()
    initiatives: bool = False


def run_needs(rules: Iterable[RuleData]) -> RunNeeds:
    after: set[str] = set()
    inner: set[str] = set()
    initiatives = []

    def visit_inner(node):
        if isinstance(node.get("consecutive"), dict):
            inner.add(node["consecutive"]["award"])
        if "holds_award" in node:
            inner.add(node["holds_award"])
        if "initiative" in node:
            initiatives.append(True)

    def visit(node):
        if isinstance(node.get("after_award"), dict):
            after.add(node["after_award"]["award"])
            conditions._walk(node["after_award"].get("then"), visit_inner)

    for rule in rules:
        conditions._walk(rule.condition, visit)
    return RunNeeds(frozenset(after), frozenset(inner), bool(initiatives))


def achievement_needs(rules: Iterable[RuleData]) -> tuple[frozenset[str], int | None] | None:
    """The award kinds "achievement" nodes read, and how many years back (None: all years,
    for a node inside an "after" period); None when no rule reads any."""
    kinds: set[str] = set()
    back: list[int | None] = []

    def visit(node, inside=False):
        if isinstance(node.get("achievement"), dict):
            kinds.update(node["achievement"]["kinds"])
            back.append(None if inside else node["achievement"]["within_years"])

    def visit_after(node):
        if isinstance(node.get("after_award"), dict):
            conditions._walk(node["after_award"].get("then"), partial(visit, inside=True))

    for rule in rules:
        conditions._walk(rule.condition, visit)
        conditions._walk(rule.condition, visit_after)
    if not kinds:
        return None
    return frozenset(kinds), None if None in back else max(back)


def rule_set_for(year: int) -> RuleSet:
    rule_set = RuleSet.for_year(year)
    if rule_set is None:
        raise ValidationError(
            gettext("No rule set is in force for %(year)s.") % {"year": year}, code="no_rule_set"
        )
    return rule_set
