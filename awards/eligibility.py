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
"""

from __future__ import annotations

import datetime
import gc
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, F, Max, Min, Q, Value, When
from django.utils.translation import gettext, gettext_noop

from awards import conditions
from awards.models import AwardKind, AwardRecord, AwardType, InitiativeUse, Rule, RuleSet
from units.models import (
    DISCIPLINE_RANK,
    RATING_RANK,
    SCOPE_RANK,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitRating,
)

CHUNK = 5000
MEMO_SIZE = 20_000  # signatures remembered by a population pass (about 1 KB each)
RATING_BY_RANK = {rank: str(code) for code, rank in RATING_RANK.items()}
_RANK = {str(code): rank for code, rank in RATING_RANK.items()}  # plain-str keys: faster
KIND_LABELS = dict(AwardKind.choices)


# --------------------------------------------------------------------------- reasons


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of explanation: an English message id with parameters, rendered in the
    active language by ``str()``. ``ok``: True met, False not met, None information."""

    msg: str
    params: tuple = ()
    ok: bool | None = None

    def render(self) -> str:
        params = {k: _fmt(v) for k, v in self.params}
        text = gettext(self.msg)
        return text % params if params else text

    __str__ = render

    def as_json(self) -> dict:
        return {"msg": self.msg, "params": {k: _fmt(v) for k, v in self.params}, "ok": self.ok}

    @classmethod
    def from_json(cls, data: dict) -> Reason:
        return cls(data["msg"], tuple(sorted(data.get("params", {}).items())), data.get("ok"))


def _fmt(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value) if value else "-"
    if isinstance(value, float):
        return f"{value * 100:g}%"
    if isinstance(value, Fraction):
        return f"{float(value) * 100:.1f}%".replace(".0%", "%")
    return str(value)


def R(msg: str, ok: bool | None = None, **params) -> Reason:  # noqa: N802 - short on purpose
    return Reason(msg, tuple(sorted(params.items())), ok)


# --------------------------------------------------------------------------- facts


@dataclass(slots=True)
class MemberStats:
    """A unit's members in the year under judgment, counted from the people pass."""

    total: int = 0
    by_rank: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])  # index = rating rank
    awards: dict[str, int] = field(default_factory=dict)
    discipline_rank: int = 0  # highest level in force in the year (0: none)

    def at_least(self, rank: int) -> int:
        return sum(self.by_rank[rank:])


NO_ROLES: frozenset[str] = frozenset()


class Facts:
    """What the engine knows of one subject. Years are ints; ranks as in ``units.models``.

    A plain slotted class, not a dataclass: a national pass builds a million of them, and
    the dataclass's default factories cost several times this ``__init__``."""

    __slots__ = (
        "subject_type",
        "id",
        "code",
        "name",
        "unit_id",
        "ratings",
        "awards",
        "not_counted",
        "initiatives",
        "disciplines",
        "bloc_roles",
        "members",
        "rating_key",
    )

    def __init__(self, subject_type: str, id: int, code: str, name: str, unit_id=None):  # noqa: A002
        self.subject_type = subject_type
        self.id = id
        self.code = code
        self.name = name
        self.unit_id: int | None = unit_id  # a person's unit in the year under judgment
        self.ratings: dict[int, int] = {}
        self.awards: dict[str, set[int]] = {}  # regular merit only
        # The rarely filled sequences start as one shared empty tuple (the reader puts a
        # list in place at the first item): a million people, three million fewer objects
        # for the allocator and the garbage collector.
        self.not_counted: Sequence[tuple[str, int, str]] = ()  # (code, year, kind)
        # (id, year, scope rank, title, used for (code, year) or None)
        self.initiatives: Sequence[tuple[int, int, int, str, tuple | None]] = ()
        # (rank, level, start, end)
        self.disciplines: Sequence[tuple[int, str, datetime.date, datetime.date | None]] = ()
        self.bloc_roles: Set[str] = NO_ROLES  # roles in the year under judgment (units)
        self.members: MemberStats | None = None
        self.rating_key: tuple | None = None  # the ratings as read (see signature)

    def signature(self) -> tuple:
        """Everything the compiled rules read of a person, as one hashable value: two people
        with equal signatures get equal verdicts (names, ids and the award kinds that never
        count play no part), so a population pass judges each signature once. Equal values
        mean equal facts; facts listed in another order only give a different value."""
        return (
            self.rating_key if self.rating_key is not None else tuple(self.ratings.items()),
            tuple((code, tuple(years)) for code, years in self.awards.items())
            if self.awards
            else (),
            tuple((i[1], i[2], i[4]) for i in self.initiatives) if self.initiatives else (),
            max(d[0] for d in self.disciplines) if self.disciplines else 0,
            # rewards outside regular merit: read by "achievement" (GK), rare
            tuple(self.not_counted) if self.not_counted else (),
        )

    def __repr__(self):
        return f"<Facts {self.subject_type}:{self.code}>"


@dataclass(frozen=True, slots=True)
class RuleData:
    code: str
    subject: str
    condition: dict
    legal_reference: str
    rule_set: str


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


# --------------------------------------------------------------------------- judging


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


# --------------------------------------------------------------------------- compiled rules
# The same semantics as the explaining evaluator above, compiled once per rule set into
# closures that only answer yes or no (the property test checks both against a reference).


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


# --------------------------------------------------------------------------- loading


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


def _award_filter(year: int, needs: dict[str, int | None], ids: dict[str, int]) -> Q | None:
    groups: dict[int | None, list[int]] = defaultdict(list)
    for code, years in needs.items():
        if code in ids:
            groups[years].append(ids[code])
    if not groups:
        return None
    q = Q()
    for years, type_ids in groups.items():
        part = Q(award_type_id__in=type_ids)
        if years is not None:
            part &= Q(year__gte=year - years + 1)
        q |= part
    return q & Q(year__lte=year)


def _lookback(rules: Iterable[RuleData]) -> int:
    return max((conditions.lookback(r.condition) for r in rules), default=1)


def _award_codes() -> dict[int, str]:
    return dict(AwardType.objects.values_list("id", "code"))


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _id_chunks(ids: list[int] | None, queryset, chunk: int, *, subset: bool = False):
    """Ranges of ids (lo, hi inclusive, explicit ids or None) covering the population.

    ``subset`` (the queryset is filtered, e.g. some units' people): ranges that hold
    ``chunk`` of its members each, from its own ids read as a stream (one query). MIN/MAX
    of a filtered set can walk the whole primary key of a large table, and fixed-width
    ranges over a sparse subset would cost five queries for a handful of people."""
    if ids is not None:
        ids = sorted(set(ids))
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            yield part[0], part[-1], part
        return
    if subset:
        first = last = None
        n = 0
        # "id + 0": ordered by an expression, the query cannot walk the primary key in
        # order, which a server-side cursor's planner would otherwise choose (fast first
        # rows) and which reads the whole table for a subset.
        stream = (
            queryset.order_by(F("id") + 0).values_list("id", flat=True).iterator(chunk_size=20000)
        )
        for pid in stream:
            if first is None:
                first = pid
            last = pid
            n += 1
            if n == chunk:
                yield first, last, None
                first, n = None, 0
        if first is not None:
            yield first, last, None
        return
    bounds = queryset.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        return
    lo = bounds["lo"]
    while lo <= bounds["hi"]:
        yield lo, lo + chunk - 1, None
        lo += chunk


def _can_prefetch() -> bool:
    """A second connection may read ahead only on PostgreSQL (a shared server, not a file)
    and outside a transaction, whose uncommitted rows another connection could not see."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _pipelined(load, spans):
    """``map(load, spans)``, with ``load`` of the next span already running in one worker
    thread (its own database connection) while the caller works on the current result.
    The database's time then overlaps the judging in Python. At most two chunks are held;
    an abandoned iteration lets the one running load finish, and the worker's connection
    is closed either way."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eligibility-prefetch")
    pending = []
    try:
        for span in spans:
            pending.append(pool.submit(load, span))
            if len(pending) == 2:
                yield pending.pop(0).result()
        if pending:
            yield pending.pop().result()
    finally:
        for future in pending:
            future.cancel()
        # RuntimeError: the interpreter is exiting (an abandoned pass); the connection goes
        # with the process.
        with suppress(RuntimeError):
            # The lambda resolves ``connection`` in the worker thread: its own connection.
            pool.submit(lambda: connection.close())
        pool.shutdown(wait=True)


def iter_people_facts(
    year: int,
    lookback: int,
    *,
    person_ids: list[int] | None = None,
    unit_ids: list[int] | None = None,
    chunk: int = CHUNK,
    codes: dict[int, str] | None = None,
    needs: dict[str, int | None] | None = None,
    prefetch: bool | None = None,
    initiatives: bool = True,
    runs: RunNeeds | None = None,
    achievements: tuple[frozenset[str], int | None] | None = None,
) -> Iterator[Facts]:
    """Facts of people, chunk by chunk: at most 5 queries per chunk of ``chunk`` ids.
    ``needs`` (see :func:`award_needs`) limits the award records read; None reads all.
    ``prefetch`` loads the next chunk in a background thread while the caller judges the
    current one (None: whenever that is safe, see :func:`_can_prefetch`). ``initiatives``
    False: the rules judged read none, so they are not read (one query fewer a chunk).
    ``runs`` (see :func:`run_needs`): people whose "after" period starts before the years
    read for everyone get its earlier ratings and counted awards too (at most 2 more
    queries, only for chunks that hold such people). ``achievements`` (see
    :func:`achievement_needs`): the records of those kinds are read too, whatever their
    award (they land in ``not_counted``)."""
    codes = codes if codes is not None else _award_codes()
    if needs is None:
        award_q = Q(year__lte=year)
    else:
        award_q = _award_filter(year, needs, {c: i for i, c in codes.items()})
        if achievements is not None:
            kinds, back = achievements
            extra = Q(kind__in=sorted(kinds), year__lte=year)
            if back is not None:
                extra &= Q(year__gte=year - back + 1)
            award_q = extra if award_q is None else award_q | extra
    first_year = year - lookback + 1
    runs = runs if runs is not None and runs.after else None
    # Award codes counted inside "after" periods, and the first year read for everyone.
    run_floors = {}
    if runs is not None and needs is not None:
        ids = {c: i for i, c in codes.items()}
        run_floors = {
            ids[c]: year - needs[c] + 1
            for c in runs.awards
            if c in ids and needs.get(c) is not None
        }
    years = list(range(first_year, year + 1))
    pivot_years = [f"r{y}" for y in years]
    pivot = {f"r{y}": Max(Case(When(year=y, then="rating"), default=Value(""))) for y in years}
    pivot["unit_now"] = Max(Case(When(year=year, then="unit_id")))
    base = Person.objects.all()
    if unit_ids is not None:
        base = base.filter(unit_id__in=unit_ids)
    load = partial(
        _load_people_chunk,
        base=base,
        award_q=award_q,
        first_year=first_year,
        year=year,
        pivot=pivot,
        pivot_years=pivot_years,
        codes=codes,
        rating_dicts={},
        initiatives=initiatives,
        initiatives_from=1 if runs is not None and runs.initiatives else first_year,
        runs=runs,
        run_floors=run_floors,
    )
    spans = _id_chunks(person_ids, base, chunk, subset=unit_ids is not None)
    if prefetch is None:
        prefetch = _can_prefetch()
    for people in (_pipelined if prefetch else map)(load, spans):
        yield from people.values()


def _load_people_chunk(
    span,
    base,
    award_q,
    first_year,
    year,
    pivot,
    pivot_years,
    codes,
    rating_dicts,
    initiatives,
    initiatives_from=None,
    runs=None,
    run_floors=None,
):
    """Facts of one chunk of people ``span`` = (lo, hi, explicit ids or None): 5 queries.
    ``rating_dicts``: the pass's ratings dictionaries by the ratings as read; people rated
    alike share one (facts are read-only once loaded)."""
    lo, hi, explicit = span
    wanted = None
    if explicit is not None and hi - lo + 1 <= 2 * len(explicit):
        # Dense enough: read the id range (index range scans) and keep the wanted ids here,
        # rather than send thousands of ids in every query.
        wanted, explicit = set(explicit), None
    years = list(range(first_year, year + 1))
    year_start, year_end = _year_bounds(year)
    rng = (
        Q(person_id__in=explicit)
        if explicit is not None
        else Q(person_id__gte=lo, person_id__lte=hi)
    )
    people_q = (
        base.filter(id__in=explicit)
        if explicit is not None
        else base.filter(id__gte=lo, id__lte=hi)
    )
    people: dict[int, Facts] = {}
    for pid, code, name, unit_id in people_q.order_by("id").values_list(
        "id", "code", "full_name", "unit_id"
    ):
        if wanted is None or pid in wanted:
            people[pid] = Facts("person", pid, code, name, unit_id)
    if not people:
        return people
    # One row per person (the years pivoted into columns): a fifth of the rows to
    # transfer and convert compared with one row per person-year.
    for row in (
        PersonYear.objects.filter(rng, year__gte=first_year, year__lte=year)
        .values("person_id")
        .order_by()
        .annotate(**pivot)
        .values_list("person_id", "unit_now", *pivot_years)
    ):
        f = people.get(row[0])
        if f is None:
            continue
        if row[1] is not None:
            f.unit_id = row[1]
        key = f.rating_key = row[2:]
        ratings = rating_dicts.get(key)
        if ratings is None:
            ratings = _remember(
                rating_dicts, key, {y: _RANK[r] for y, r in zip(years, key, strict=True) if r}
            )
        f.ratings = ratings
    award_rows = (
        AwardRecord.objects.live().filter(rng, award_q)
        .order_by()  # the model's ordering would join the award types for nothing
        .values_list("person_id", "award_type_id", "year", "kind")
        if award_q is not None
        else ()
    )
    for pid, type_id, y, kind in award_rows:
        f = people.get(pid)
        if f is None:
            continue
        code = codes[type_id]
        if kind == AwardKind.CONG_TRANG:
            f.awards.setdefault(code, set()).add(y)
        else:
            _append(f, "not_counted", (code, y, kind))
    if runs is not None:
        _read_runs(people, runs, run_floors, first_year, year, codes)
    initiative_rows = (
        Initiative.objects.filter(rng, year__gte=initiatives_from or first_year, year__lte=year)
        .order_by("year", "id")
        .values_list("id", "person_id", "year", "scope", "title", "use__award_type_id", "use__year")
        if initiatives
        else ()
    )
    for ini_id, pid, y, scope, title, use_type, use_year in initiative_rows:
        f = people.get(pid)
        if f is None:
            continue
        used = (codes[use_type], use_year) if use_type else None
        _append(f, "initiatives", (ini_id, y, SCOPE_RANK[scope], title, used))
    for pid, level, s, e in (
        Discipline.objects.filter(rng, start_date__lte=year_end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=year_start))
        .order_by("start_date", "id")  # not the model's ordering, which joins people
        .values_list("person_id", "level", "start_date", "end_date")
    ):
        f = people.get(pid)
        if f is not None:
            _append(f, "disciplines", (DISCIPLINE_RANK[level], level, s, e))
    return people


def _read_runs(people, runs, run_floors, first_year, year, codes) -> None:
    """Complete the "after" periods that start before ``first_year``: the earlier ratings
    and the earlier records of the awards counted in them, from each person's own start
    (one query each, for the people concerned only). The ratings join the person's
    ``rating_key``, so the signature still tells such people apart."""
    starts = {}
    for pid, f in people.items():
        awards = f.awards
        start = None
        for code in runs.after:
            held = awards.get(code)
            if held:
                begins = max(held) + 1
                if start is None or begins < start:
                    start = begins
        if start is not None and start < first_year:
            starts[pid] = start
    if not starts:
        return
    ids, lo = sorted(starts), min(starts.values())
    older: dict[int, dict[int, int]] = defaultdict(dict)
    for pid, y, rating in (
        PersonYear.objects.filter(person_id__in=ids, year__gte=lo, year__lt=first_year)
        .order_by()
        .values_list("person_id", "year", "rating")
    ):
        if y >= starts[pid]:
            older[pid][y] = _RANK[rating]
    for pid, extra in older.items():
        f = people[pid]
        f.ratings = {**extra, **f.ratings}  # a new dict: the old one may be shared
        if f.rating_key is not None:
            f.rating_key = (tuple(sorted(extra.items())), *f.rating_key)
    if not run_floors:
        return
    before = Q()
    for type_id, floor in run_floors.items():
        before |= Q(award_type_id=type_id, year__lt=floor)
    for pid, type_id, y, kind in (
        AwardRecord.objects.live().filter(before, person_id__in=ids, year__gte=lo)
        .order_by("year")
        .values_list("person_id", "award_type_id", "year", "kind")
    ):
        if y < starts[pid]:
            continue
        f = people[pid]
        code = codes[type_id]
        if kind == AwardKind.CONG_TRANG:
            f.awards.setdefault(code, set()).add(y)
        else:
            _append(f, "not_counted", (code, y, kind))


def _append(f: Facts, name: str, item) -> None:
    """Add ``item`` to one of the rarely filled sequences of ``f`` (a shared empty tuple
    until its first item)."""
    items = getattr(f, name)
    if items:
        items.append(item)
    else:
        setattr(f, name, [item])


def iter_unit_facts(
    year: int,
    lookback: int,
    *,
    unit_ids: list[int] | None = None,
    members: dict[int, MemberStats] | None = None,
    codes: dict[int, str] | None = None,
) -> Iterator[Facts]:
    """Facts of units (4 queries): ratings, awards, bloc roles; members from ``members``."""
    codes = codes if codes is not None else _award_codes()
    units = Unit.objects.all()
    if unit_ids is not None:
        units = units.filter(id__in=unit_ids)
    facts = {
        uid: Facts("unit", uid, code, name)
        for uid, code, name in units.order_by("path", "id").values_list("id", "code", "name")
    }
    scope = Q(unit_id__in=unit_ids) if unit_ids is not None else Q()
    for uid, y, rating in UnitRating.objects.filter(
        scope, year__gte=year - lookback + 1, year__lte=year
    ).values_list("unit_id", "year", "rating"):
        if uid in facts:
            facts[uid].ratings[y] = RATING_RANK[rating]
    for uid, type_id, y, kind in AwardRecord.objects.live().filter(
        scope, unit__isnull=False, year__lte=year
    ).values_list("unit_id", "award_type_id", "year", "kind"):
        if uid in facts:
            if kind == AwardKind.CONG_TRANG:
                facts[uid].awards.setdefault(codes[type_id], set()).add(y)
            else:
                _append(facts[uid], "not_counted", (codes[type_id], y, kind))
    for uid, role in BlocMembership.objects.filter(scope, year=year).values_list("unit_id", "role"):
        if uid in facts:
            if facts[uid].bloc_roles:
                facts[uid].bloc_roles.add(role)
            else:
                facts[uid].bloc_roles = {role}
    for uid, f in facts.items():
        f.members = (members or {}).get(uid) or MemberStats()
    yield from facts.values()


def _members_of(unit_ids: list[int], year: int) -> list[int]:
    """People who may belong to the units in ``year``: those whose year row names one of
    them, and those whose current unit is one of them. The second set may hold people whose
    row for ``year`` names another unit; the caller keeps only people whose unit that year
    is wanted (excluding them here would cost an anti-join over the whole year's rows)."""
    named = set(
        PersonYear.objects.filter(year=year, unit_id__in=unit_ids)
        .order_by()  # the model's ordering would join people for nothing
        .values_list("person_id", flat=True)
    )
    current = set(
        Person.objects.filter(unit_id__in=unit_ids).order_by().values_list("id", flat=True)
    )
    return sorted(named | current)


def member_stats(
    year: int,
    person_rules: dict[str, RuleData],
    *,
    unit_ids: list[int] | None = None,
    codes: dict[int, str] | None = None,
    award_codes: set[str] | None = None,
    chunk: int = CHUNK,
) -> dict[int, MemberStats]:
    """Per unit: its members' count, ratings, titles held or qualifying, and the worst
    discipline in force, from one people pass (counts only; verdicts are not kept)."""
    person_ids = _members_of(unit_ids, year) if unit_ids is not None else None
    if person_ids == []:
        return {}
    stats: dict[int, MemberStats] = defaultdict(MemberStats)
    wanted = award_codes or set()
    person_rules = rules_for(person_rules, wanted)
    lookback = _lookback(person_rules.values())
    compiled = compile_rules(person_rules)
    wanted_units = set(unit_ids) if unit_ids is not None else None
    needs = award_needs(person_rules.values(), extra=wanted)
    memo: dict[tuple, tuple[str, ...]] = {}  # titles held, by signature (see judge())
    for f in iter_people_facts(
        year,
        lookback,
        person_ids=person_ids,
        chunk=chunk,
        codes=codes,
        needs=needs,
        initiatives=_reads_initiatives(person_rules.values()),
        runs=run_needs(person_rules.values()),
        achievements=achievement_needs(person_rules.values()),
    ):
        unit = f.unit_id
        if wanted_units is not None and unit not in wanted_units:
            continue
        s = stats[unit]
        s.total += 1
        s.by_rank[f.ratings.get(year, 0)] += 1
        if f.disciplines:
            s.discipline_rank = max(s.discipline_rank, max(d[0] for d in f.disciplines))
        if not wanted:
            continue
        key = f.signature()
        held = memo.get(key)
        if held is None:
            judge = Judge(f, year, person_rules, compiled)
            held = _remember(memo, key, tuple([c for c in wanted if judge.held(c, year)]))
        for code in held:
            s.awards[code] = s.awards.get(code, 0) + 1
    return dict(stats)


def _remember(memo: dict, key, value):
    """Store ``value`` under ``key`` while ``memo`` holds fewer than MEMO_SIZE entries;
    return it. Bounded memory: once full it keeps what it has; the common signatures are
    the ones met early, and they are the ones worth keeping."""
    if len(memo) < MEMO_SIZE:
        memo[key] = value
    return value


def _member_award_codes(unit_rules: dict[str, RuleData]) -> set[str]:
    found: set[str] = set()

    def visit(node):
        if isinstance(node.get("members_share"), dict) and "award" in node["members_share"]:
            found.add(node["members_share"]["award"])

    for rule in unit_rules.values():
        conditions._walk(rule.condition, visit)
    return found


def rule_set_for(year: int) -> RuleSet:
    rule_set = RuleSet.for_year(year)
    if rule_set is None:
        raise ValidationError(
            gettext("No rule set is in force for %(year)s.") % {"year": year}, code="no_rule_set"
        )
    return rule_set


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


__all__ = [
    "Facts",
    "InitiativeUse",
    "Judge",
    "MemberStats",
    "Reason",
    "RuleData",
    "Verdict",
    "judge",
    "judge_subject",
    "load_rules",
    "rule_set_for",
]
