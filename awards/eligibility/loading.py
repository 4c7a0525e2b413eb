"""Reading the population's facts set-based, in chunks of subject ids (a fixed number of
queries per chunk, the next chunk read ahead in a worker thread), and the statistics of a
unit's members."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from functools import partial

from django.db import connection
from django.db.models import Case, F, Max, Min, Q, Value, When

from awards import conditions
from awards.eligibility.compiled import compile_rules
from awards.eligibility.facts import Facts, MemberStats, RuleData
from awards.eligibility.judging import Judge
from awards.eligibility.rules import (
    RunNeeds,
    _reads_initiatives,
    achievement_needs,
    award_needs,
    rules_for,
    run_needs,
)
from awards.models import AwardKind, AwardRecord, AwardType
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


_RANK = {str(code): rank for code, rank in RATING_RANK.items()}  # plain-str keys: faster


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
        AwardRecord.objects.live()
        .filter(rng, award_q)
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
        AwardRecord.objects.live()
        .filter(before, person_id__in=ids, year__gte=lo)
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
    for uid, type_id, y, kind in (
        AwardRecord.objects.live()
        .filter(scope, unit__isnull=False, year__lte=year)
        .values_list("unit_id", "award_type_id", "year", "kind")
    ):
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
