"""Judging one subject: the ``Judge`` (the compiled rule for the verdict, the condition
tree walked again for the explanation) and the ``Verdict`` it hands out."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext, gettext_noop

from awards import conditions
from awards.eligibility.compiled import _span, compile_rules
from awards.eligibility.facts import Facts, RuleData
from awards.eligibility.reasons import R, Reason
from awards.models import AwardKind
from units.models import DISCIPLINE_RANK, RATING_RANK, SCOPE_RANK

RATING_BY_RANK = {rank: str(code) for code, rank in RATING_RANK.items()}


KIND_LABELS = dict(AwardKind.choices)


class Verdict:
    """One verdict. ``eligible`` comes from the fast compiled rule; ``reasons`` and
    ``initiatives_used`` are worked out on first access (the explaining evaluator), so a
    population pass that only counts never pays for the explanations. Subject and rule
    fields are read through from the facts and the rule (cheap to create by the million)."""

    __slots__ = ("_facts", "_rule", "year", "eligible", "_judge", "_explained")

    def __init__(self, facts: Facts, rule: RuleData, year: int, eligible: bool, judge):
        """``judge``: the subject's Judge, or the (rules, compiled rules) to make one from
        when an explanation is asked for."""
        self._facts = facts
        self._rule = rule
        self.year = year
        self.eligible = eligible
        self._judge = judge
        self._explained = None

    subject_type = property(lambda self: self._facts.subject_type)
    subject_id = property(lambda self: self._facts.id)
    subject_code = property(lambda self: self._facts.code)
    subject_name = property(lambda self: self._facts.name)
    award_code = property(lambda self: self._rule.code)
    rule_set = property(lambda self: self._rule.rule_set)
    legal_reference = property(lambda self: self._rule.legal_reference)
    condition = property(lambda self: self._rule.condition)

    def _explain(self):
        if self._explained is None:
            judge = self._judge
            if not isinstance(judge, Judge):  # (rules, compiled): judged by the memo
                judge = Judge(self._facts, self.year, *judge)
            self._explained = judge.explain(self.award_code)
            self._judge = None
        return self._explained

    @property
    def reasons(self) -> list[Reason]:
        return self._explain()[1]

    @property
    def initiatives_used(self) -> list[int]:
        return self._explain()[2]

    @property
    def explained_eligible(self) -> bool:
        """The explaining evaluator's own verdict (always equal to ``eligible``)."""
        return self._explain()[0]

    def __repr__(self):
        return (
            f"<Verdict {self.subject_type}:{self.subject_code} {self.award_code} "
            f"{self.year} {self.eligible}>"
        )

    def as_dict(self) -> dict:
        """The public shape of ``codes.md`` (reasons rendered in the active language)."""
        return {
            "subject_type": self.subject_type,
            "subject_code": self.subject_code,
            "award_code": self.award_code,
            "eligible": self.eligible,
            "reasons": [r.render() for r in self.reasons],
            "rule_set": self.rule_set,
        }


class Judge:
    """Judges one subject for one year. ``ok(code)`` runs the compiled rule (memoised;
    ``eligible_for`` and "held this year" reuse it; a dependency loop counts as not met);
    ``explain(code)`` walks the condition tree again to say why."""

    __slots__ = ("f", "year", "rules", "compiled", "_ok", "_current", "_used")

    def __init__(
        self, facts: Facts, year: int, rules: dict[str, RuleData], compiled: dict | None = None
    ):
        self.f = facts
        self.year = year
        self.rules = rules
        self.compiled = compiled if compiled is not None else compile_rules(rules)
        self._ok: dict[str, bool] = {}
        self._current: list[str] = []  # the rules being explained (innermost last)
        self._used: list[int] = []

    # -- public
    def ok(self, code: str) -> bool:
        memo = self._ok
        result = memo.get(code)
        if result is not None:
            return result
        fn = self.compiled.get(code)
        if fn is None:
            return False
        # Provisional "not met" while the rule runs: a rule that reaches itself again
        # through eligible_for / held (a dependency loop) sees it as not met.
        memo[code] = False
        result = memo[code] = fn(self, None)
        return result

    def verdict(self, code: str) -> Verdict | None:
        rule = self.rules.get(code)
        if rule is None:
            return None
        return Verdict(self.f, rule, self.year, self.ok(code), self)

    def explain(self, code: str) -> tuple[bool, list[Reason], list[int]]:
        """(met, reasons, initiatives it would rest on) for the rule of ``code``."""
        rule = self.rules[code]
        self._current.append(code)
        saved_used, self._used = self._used, []
        try:
            ok, reasons = self.eval(rule.condition, None)
        finally:
            self._current.pop()
        used, self._used = self._used, saved_used
        reasons.append(
            R(
                gettext_noop("Legal basis: %(ref)s (rule set %(set)s)."),
                None,
                ref=rule.legal_reference,
                set=rule.rule_set,
            )
        )
        return ok, reasons, sorted(set(used)) if ok else []

    def held(self, code: str, year: int) -> bool:
        """Held (regular merit) in ``year``; for the year under judgment, also qualifying now."""
        if year in self.f.awards.get(code, ()):
            return True
        if year == self.year and code in self.compiled:
            return self.ok(code)
        return False

    # -- conditions
    def eval(self, node: dict, start: int | None) -> tuple[bool, list[Reason]]:
        for key in conditions.NODE_KEYS:
            if key in node:
                return getattr(self, f"_c_{key}")(node, start)
        return False, [R(gettext_noop("Unknown condition."), False)]

    def _c_all(self, node, start):
        ok, reasons = True, []
        for item in node["all"]:
            sub_ok, sub = self.eval(item, start)
            ok = ok and sub_ok
            reasons.extend(sub)
        return ok, reasons

    def _c_any(self, node, start):
        failed: list[Reason] = []
        for item in node["any"]:
            sub_ok, sub = self.eval(item, start)
            if sub_ok:
                return True, sub
            failed.extend(sub)
        return False, [R(gettext_noop("None of the alternative paths is met:"), False), *failed]

    def _window(self, length: int, start: int | None) -> tuple[list[int], bool]:
        """The years a node counts over, and whether they are as many as it asks for.
        Outside an "after" chain: the ``length`` years ending with the judged year. Inside
        one (``start``): the whole period from ``start`` to the judged year, however long
        (principle 7), enough when it is at least ``length`` years."""
        if start:
            years = list(range(start, self.year + 1))
            return years, len(years) >= length
        return list(range(self.year - length + 1, self.year + 1)), True

    def _c_rating_at_least(self, node, start):
        wanted = node["rating_at_least"]
        rank = RATING_RANK[wanted]
        ratings = self.f.ratings
        who = self._who()
        if "times" in node:
            years, _full = self._window(node["window"], start)
            good = [y for y in years if ratings.get(y, 0) >= rank]
            ok = len(good) >= node["times"]
            msg = (
                gettext_noop(
                    "%(who)s rated %(rating)s or better in %(n)s of the years %(years)s "
                    "(needs %(times)s): %(detail)s."
                )
                if ok
                else gettext_noop(
                    "%(who)s rated %(rating)s or better in only %(n)s of the years %(years)s "
                    "(needs %(times)s): %(detail)s."
                )
            )
            return ok, [
                R(
                    msg,
                    ok,
                    who=who,
                    rating=wanted,
                    n=len(good),
                    years=_span(years),
                    times=node["times"],
                    detail=self._ratings_detail(years),
                )
            ]
        n = node["years"]
        years, full = self._window(n, start)
        bad = [y for y in years if ratings.get(y, 0) < rank]
        ok = full and not bad
        if start and full:
            # The period after an award is one unbroken run to the judged year.
            msg = (
                gettext_noop(
                    "%(who)s rated %(rating)s or better in every year of the period %(years)s "
                    "(%(count)s years, needs at least %(n)s): %(detail)s."
                )
                if ok
                else gettext_noop(
                    "%(who)s needs every year of the period %(years)s rated %(rating)s or "
                    "better (an unbroken run of at least %(n)s years), but not in %(bad)s: "
                    "%(detail)s."
                )
            )
            return ok, [
                R(
                    msg,
                    ok,
                    who=who,
                    rating=wanted,
                    n=n,
                    count=len(years),
                    years=_span(years),
                    bad=bad,
                    detail=self._ratings_detail(years),
                )
            ]
        if ok and n == 1:
            msg = gettext_noop("%(who)s rated %(rating)s or better in %(year)s: %(detail)s.")
        elif ok:
            msg = gettext_noop(
                "%(who)s rated %(rating)s or better in each of %(n)s consecutive years "
                "%(years)s: %(detail)s."
            )
        elif n == 1:
            msg = gettext_noop("%(who)s not rated %(rating)s or better in %(year)s: %(detail)s.")
        elif not full:
            msg = gettext_noop(
                "%(who)s needs %(n)s consecutive years rated %(rating)s or better, but "
                "counting starts in %(start)s: %(detail)s."
            )
        else:
            msg = gettext_noop(
                "%(who)s needs %(n)s consecutive years rated %(rating)s or better "
                "ending %(year)s, but not in %(bad)s: %(detail)s."
            )
        return ok, [
            R(
                msg,
                ok,
                who=who,
                rating=wanted,
                n=n,
                years=_span(years),
                start=start or "",
                year=self.year,
                bad=bad,
                detail=self._ratings_detail(years),
            )
        ]

    def _c_consecutive(self, node, start):
        code, n = node["consecutive"]["award"], node["consecutive"]["years"]
        years, full = self._window(n, start)
        missing = [y for y in years if not self.held(code, y)]
        ok = full and not missing
        reasons = [
            R(
                gettext_noop("%(award)s in each of %(n)s consecutive years %(years)s.")
                if ok
                else gettext_noop(
                    "Needs %(award)s in each of %(n)s consecutive years ending %(year)s; "
                    "missing: %(missing)s."
                ),
                ok,
                award=code,
                n=len(years) if ok else n,
                years=_span(years),
                year=self.year,
                missing=missing if full else [*range(self.year - n + 1, start), *missing],
            )
        ]
        if (
            self.year in years
            and self.year not in self.f.awards.get(code, ())
            and self.year not in missing
        ):
            reasons.append(
                R(
                    gettext_noop(
                        "%(award)s %(year)s counted as qualifying this year (not yet conferred)."
                    ),
                    None,
                    award=code,
                    year=self.year,
                )
            )
        return ok, reasons + self._not_counted(code, years[0] if years else self.year)

    def _c_holds_award(self, node, start):
        code, times, window = node["holds_award"], node.get("times", 1), node.get("window")
        held = {y for y in self.f.awards.get(code, ()) if y <= self.year}
        if self.held(code, self.year):
            held.add(self.year)
        # Inside an "after" chain the whole period counts, not the window (principle 7).
        lower = start or (self.year - window + 1 if window else None)
        counted = sorted(y for y in held if lower is None or y >= lower)
        ok = len(counted) >= times
        if window:
            msg = (
                gettext_noop(
                    "Holds %(award)s %(n)s time(s) in %(years)s (needs %(times)s): %(found)s."
                )
                if ok
                else gettext_noop(
                    "Needs %(award)s %(times)s time(s) in %(years)s; found %(n)s: %(found)s."
                )
            )
        else:
            msg = (
                gettext_noop("Holds %(award)s (%(found)s).")
                if ok
                else gettext_noop("Needs %(award)s %(times)s time(s); found %(n)s: %(found)s.")
            )
        years = list(range(lower, self.year + 1)) if lower else []
        return ok, [
            R(msg, ok, award=code, n=len(counted), times=times, years=_span(years), found=counted)
        ] + self._not_counted(code, lower or 0)

    def _c_eligible_for(self, node, start):
        code = node["eligible_for"]
        if self.year in self.f.awards.get(code, ()):
            return True, [
                R(gettext_noop("Holds %(award)s for %(year)s."), True, award=code, year=self.year)
            ]
        if self.ok(code):
            return True, [
                R(
                    gettext_noop("Qualifies for %(award)s in %(year)s."),
                    True,
                    award=code,
                    year=self.year,
                )
            ]
        return False, [
            R(
                gettext_noop("Does not qualify for %(award)s in %(year)s."),
                False,
                award=code,
                year=self.year,
            )
        ]

    def _c_initiative(self, node, start):
        body = node["initiative"]
        scope, within, count = body["scope"], body["within_years"], body.get("count", 1)
        rank = SCOPE_RANK[scope]
        years, _full = self._window(within, start)
        lo = years[0] if years else self.year + 1
        current = (self._current[-1] if self._current else "", self.year)
        found, used_elsewhere = [], []
        for ini_id, year, scope_rank, title, used_for in self.f.initiatives:
            if not (lo <= year <= self.year) or scope_rank < rank:
                continue
            if used_for is not None and used_for != current:
                used_elsewhere.append(f"“{title}” ({year}, {used_for[0]} {used_for[1]})")
            else:
                found.append((ini_id, f"“{title}” ({year})"))
        ok = len(found) >= count
        if ok:
            self._used.extend(i for i, _t in found[:count])
        reasons = [
            R(
                gettext_noop(
                    "Initiatives or scientific works at %(scope)s scope or wider in %(years)s: "
                    "%(found)s."
                )
                if ok
                else gettext_noop(
                    "Needs %(count)s initiative(s) or scientific work(s) at %(scope)s scope or wider "
                    "in %(years)s; found %(n)s."
                ),
                ok,
                scope=scope,
                years=_span(years),
                found=[t for _i, t in found],
                count=count,
                n=len(found),
            )
        ]
        if used_elsewhere:
            reasons.append(
                R(
                    gettext_noop(
                        "Not counted, already the basis of another reward (one "
                        "initiative, one reward): %(items)s."
                    ),
                    None,
                    items=used_elsewhere,
                )
            )
        return ok, reasons

    def _c_members_share(self, node, start):
        body = node["members_share"]
        m = self.f.members
        if m is None:
            return False, [R(gettext_noop("Applies to units only."), False)]
        if "rating_at_least" in body:
            what = body["rating_at_least"]
            n = m.at_least(RATING_RANK[what])
            label = gettext("rated %(rating)s or better") % {"rating": what}
        else:
            what = body["award"]
            n = m.awards.get(what, 0)
            label = what
        if "at_least" in body:
            ok = n >= body["at_least"]
            return ok, [
                R(
                    gettext_noop(
                        "%(n)s of %(total)s members in %(year)s are %(what)s (needs at least "
                        "%(need)s)."
                    ),
                    ok,
                    n=n,
                    total=m.total,
                    year=self.year,
                    what=label,
                    need=body["at_least"],
                )
            ]
        share = Fraction(str(body["share"]))
        ok = m.total > 0 and Fraction(n, m.total) >= share
        actual = Fraction(n, m.total) if m.total else Fraction(0)
        return ok, [
            R(
                gettext_noop(
                    "%(n)s of %(total)s members in %(year)s are %(what)s: %(actual)s (needs at "
                    "least %(share)s)."
                ),
                ok,
                n=n,
                total=m.total,
                year=self.year,
                what=label,
                actual=actual,
                share=float(share),
            )
        ]

    def _c_no_discipline(self, node, start):
        body = node["no_discipline"]
        level = body["min_level"]
        rank = DISCIPLINE_RANK[level]
        if body.get("scope", "self") == "members":
            m = self.f.members
            worst = m.discipline_rank if m else 0
            ok = worst < rank
            return ok, [
                R(
                    gettext_noop("No member under discipline at %(level)s or above in %(year)s.")
                    if ok
                    else gettext_noop(
                        "A member is under discipline at %(level)s or above in %(year)s."
                    ),
                    ok,
                    level=level,
                    year=self.year,
                )
            ]
        hits = [(lv, s, e) for r, lv, s, e in self.f.disciplines if r >= rank]
        if not hits:
            return True, [
                R(gettext_noop("No discipline in force in %(year)s."), True, year=self.year)
            ]
        items = [
            f"{lv} {s:%d/%m/%Y}-{e:%d/%m/%Y}" if e else f"{lv} {s:%d/%m/%Y}-" for lv, s, e in hits
        ]
        return False, [
            R(
                gettext_noop("Discipline in force in %(year)s blocks any reward: %(items)s."),
                False,
                year=self.year,
                items=items,
            )
        ]

    def _c_after_award(self, node, start):
        body = node["after_award"]
        code = body["award"]
        earlier = [y for y in self.f.awards.get(code, ()) if y <= self.year]
        if not earlier:
            return False, [
                R(gettext_noop("Needs %(award)s first; none recorded."), False, award=code),
                *self._not_counted(code, 0),
            ]
        last = max(earlier)
        ok, sub = self.eval(body["then"], last + 1)
        return ok, [
            R(
                gettext_noop("Holds %(award)s of %(year)s; counting starts in %(start)s."),
                None,
                award=code,
                year=last,
                start=last + 1,
            ),
            *sub,
        ]

    def _c_bloc_role(self, node, start):
        role = node["bloc_role"]
        ok = role in self.f.bloc_roles
        return ok, [
            R(
                gettext_noop("Leads a bloc or cluster in %(year)s.")
                if role == "leader" and ok
                else gettext_noop("Does not lead a bloc or cluster in %(year)s.")
                if role == "leader"
                else gettext_noop("Deputy of a bloc or cluster in %(year)s.")
                if ok
                else gettext_noop("Not deputy of a bloc or cluster in %(year)s."),
                ok,
                year=self.year,
            )
        ]

    def _c_achievement(self, node, start):
        body = node["achievement"]
        kinds = body["kinds"]
        years, _full = self._window(body["within_years"], start)
        lo = years[0] if years else self.year + 1
        own = self._current[-1] if self._current else ""
        found = [
            f"{c} {y} ({KIND_LABELS.get(k, k)})"
            for c, y, k in self.f.not_counted
            if k in kinds and lo <= y <= self.year and c != own
        ]
        ok = bool(found)
        return ok, [
            R(
                gettext_noop(
                    "An achievement on record in %(years)s (a reward outside regular merit): "
                    "%(found)s."
                )
                if ok
                else gettext_noop(
                    "No achievement on record in %(years)s: no reward of kind %(kinds)s."
                ),
                ok,
                years=_span(years),
                found=found,
                kinds=[str(KIND_LABELS.get(k, k)) for k in kinds],
            )
        ]

    def _c_manual(self, node, start):
        return False, [
            R(
                gettext_noop("Assessed by the office, not from the records: %(text)s."),
                False,
                text=gettext(node["manual"]),
            )
        ]

    # -- helpers
    def _who(self) -> str:
        return gettext("The unit") if self.f.subject_type == "unit" else gettext("The person")

    def _ratings_detail(self, years) -> list[str]:
        return [
            f"{y} {RATING_BY_RANK.get(self.f.ratings.get(y, 0), gettext('not rated'))}"
            for y in years
        ]

    def _not_counted(self, code: str, since: int) -> list[Reason]:
        items = [
            f"{c} {y} ({KIND_LABELS.get(k, k)})"
            for c, y, k in self.f.not_counted
            if c == code and since <= y <= self.year
        ]
        if not items:
            return []
        return [
            R(
                gettext_noop(
                    "Not counted toward the chain (only regular merit counts): %(items)s."
                ),
                None,
                items=items,
            )
        ]
