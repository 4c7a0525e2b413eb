"""Rules compiled to Python closures, the fast path that decides ``eligible``."""

from __future__ import annotations

from fractions import Fraction

from awards.eligibility.facts import RuleData
from units.models import DISCIPLINE_RANK, RATING_RANK, SCOPE_RANK

# The same semantics as the explaining evaluator (``Judge.explain``), compiled once per rule
# set into closures that only answer yes or no (the property test checks both against a
# reference).


def compile_rules(rules: dict[str, RuleData]) -> dict:
    return {code: _compile(rule.condition, code) for code, rule in rules.items()}


def _compile(node: dict, code: str):  # noqa: C901 - one branch per node kind
    if "all" in node:
        parts = [_compile(c, code) for c in node["all"]]

        def all_of(j, s):
            for p in parts:  # noqa: SIM110 - a plain loop is faster than all(genexpr)
                if not p(j, s):
                    return False
            return True

        return all_of
    if "any" in node:
        parts = [_compile(c, code) for c in node["any"]]

        def any_of(j, s):
            for p in parts:  # noqa: SIM110 - a plain loop is faster than any(genexpr)
                if p(j, s):
                    return True
            return False

        return any_of
    if "rating_at_least" in node:
        rank = RATING_RANK[node["rating_at_least"]]
        if "times" in node:
            times, window = node["times"], node["window"]

            def rating_times(j, s):
                first = s or j.year - window + 1
                rt = j.f.ratings
                return sum(1 for y in range(first, j.year + 1) if rt.get(y, 0) >= rank) >= times

            return rating_times
        n = node["years"]

        def rating_years(j, s):
            first = j.year - n + 1
            if s:
                if first < s:
                    return False
                first = s  # the whole period after the award, unbroken
            rt = j.f.ratings
            return all(rt.get(y, 0) >= rank for y in range(first, j.year + 1))

        return rating_years
    if "consecutive" in node:
        award, n = node["consecutive"]["award"], node["consecutive"]["years"]

        def consecutive(j, s):
            first = j.year - n + 1
            if s:
                if first < s:
                    return False
                first = s
            return all(j.held(award, y) for y in range(first, j.year + 1))

        return consecutive
    if "holds_award" in node:
        award, times, window = node["holds_award"], node.get("times", 1), node.get("window")

        def holds(j, s):
            lower = s or (j.year - window + 1 if window else None)
            years = j.f.awards.get(award, ())
            count = sum(1 for y in years if y < j.year and (lower is None or y >= lower))
            if (lower is None or j.year >= lower) and j.held(award, j.year):
                count += 1
            return count >= times

        return holds
    if "eligible_for" in node:
        award = node["eligible_for"]
        return lambda j, s: j.held(award, j.year)
    if "initiative" in node:
        body = node["initiative"]
        rank, within, count = SCOPE_RANK[body["scope"]], body["within_years"], body.get("count", 1)

        def initiative(j, s):
            lo = s or j.year - within + 1
            me = (code, j.year)
            found = 0
            for _id, y, scope_rank, _title, used in j.f.initiatives:
                if lo <= y <= j.year and scope_rank >= rank and (used is None or used == me):
                    found += 1
            return found >= count

        return initiative
    if "members_share" in node:
        body = node["members_share"]
        rank = RATING_RANK[body["rating_at_least"]] if "rating_at_least" in body else None
        award = body.get("award")
        at_least = body.get("at_least")
        share = Fraction(str(body["share"])) if "share" in body else None

        def members(j, s):
            m = j.f.members
            if m is None:
                return False
            n = m.at_least(rank) if rank is not None else m.awards.get(award, 0)
            if at_least is not None:
                return n >= at_least
            return m.total > 0 and Fraction(n, m.total) >= share

        return members
    if "no_discipline" in node:
        body = node["no_discipline"]
        rank = DISCIPLINE_RANK[body["min_level"]]
        if body.get("scope", "self") == "members":
            return lambda j, s: (j.f.members.discipline_rank if j.f.members else 0) < rank
        return lambda j, s: not any(d[0] >= rank for d in j.f.disciplines)
    if "after_award" in node:
        award = node["after_award"]["award"]
        then = _compile(node["after_award"]["then"], code)

        def after(j, s):
            earlier = [y for y in j.f.awards.get(award, ()) if y <= j.year]
            return bool(earlier) and then(j, max(earlier) + 1)

        return after
    if "bloc_role" in node:
        role = node["bloc_role"]
        return lambda j, s: role in j.f.bloc_roles
    if "achievement" in node:
        kinds = frozenset(node["achievement"]["kinds"])
        within = node["achievement"]["within_years"]

        def achievement(j, s):
            lo = s or j.year - within + 1
            for c, y, k in j.f.not_counted:
                if k in kinds and lo <= y <= j.year and c != code:
                    return True
            return False

        return achievement
    return lambda j, s: False  # "manual": assessed by the office


def _span(years: list[int]) -> str:
    if not years:
        return "-"
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
