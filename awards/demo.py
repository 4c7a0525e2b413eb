"""Demo award history (seeder ``awards``, order 30), consistent with the demo ratings.

For 2021-2023 (before the rule set of the 2022 Law) titles follow the ratings plainly:
LDTT for HTTNV or better, CSTD_CS for about half of the HTXSNV people, a unit's TTLDTT /
TTLDXS from its rating. From 2024 the engine itself decides: every title the rule set in
force grants is recorded (BK_BO for about half of those eligible), so the eligibility pages
show real chains. A few ad hoc and thematic Bằng khen (the ministry's 20th-anniversary drive
of 2022) show that those never count toward chains. Everything goes through
``services.record_award`` (idempotent by natural key, audited).

With ``--scale`` the scale people (codes L…/N…) get a plain history from their ratings,
bulk-inserted with one summary audit event (benchmark data).
"""

from __future__ import annotations

import datetime
import random

from django.db import connection

from awards import eligibility, services
from awards.models import AwardKind, AwardRecord, AwardType, RecordSource, RuleSet
from emulation_portal import audit
from units.models import Person, PersonYear, Unit, UnitRating

DEMO_YEARS = range(2021, 2026)
RULED_AWARDS_PERSON = ["LDTT", "CSTD_CS", "CSTD_BO", "BK_BO", "BK_TTG"]
RULED_AWARDS_UNIT = ["TTLDTT", "TTLDXS", "CO_BO", "BK_BO"]
SCALE_PREFIXES = {"large": "LP", "national": "NP"}  # people codes of the units' scale sets


def _decision(year: int, code: str) -> tuple[str, datetime.date]:
    symbol = "QĐ-BTNMT" if year < 2025 else "QĐ-BNNMT"
    number = 100 + sum(ord(c) for c in code) % 800
    return f"{number}/{symbol}", datetime.date(year + 1, 1, 10 + len(code) % 15)


def seed(ctx) -> None:
    rng = random.Random(ctx.seed * 1000 + 30)
    types = {t.code: t for t in AwardType.objects.all()}
    people = list(Person.objects.filter(code__startswith="CB").order_by("id"))
    if not people:
        ctx.log("  awards: no demo people, nothing to do")
        return
    made = 0
    ratings = {
        (p, y): r
        for p, y, r in PersonYear.objects.filter(
            person__in=people, year__in=DEMO_YEARS
        ).values_list("person_id", "year", "rating")
    }
    by_id = {p.pk: p for p in people}
    unit_ids = sorted({p.unit_id for p in people})
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    unit_ratings = {
        (u, y): r
        for u, y, r in UnitRating.objects.filter(
            unit_id__in=unit_ids, year__in=DEMO_YEARS
        ).values_list("unit_id", "year", "rating")
    }
    for year in DEMO_YEARS:
        if RuleSet.for_year(year) is None:
            made += _plain_year(ctx, rng, types, by_id, ratings, units, unit_ratings, year)
        else:
            made += _judged_year(ctx, rng, types, by_id, units, year)
    # ad hoc and thematic rewards (never count toward chains)
    for person in rng.sample(people, min(6, len(people))):
        made += _record(
            ctx,
            types,
            person,
            "BK_BO",
            2022,
            AwardKind.CHUYEN_DE,
            "Đợt thi đua đặc biệt chào mừng 20 năm thành lập Bộ TN&MT",
        )
    for person in rng.sample(people, min(3, len(people))):
        made += _record(
            ctx, types, person, "BK_BO", 2023, AwardKind.DOT_XUAT, "Thành tích đột xuất"
        )
    ctx.log(f"  awards: {made} award records")
    if ctx.scale:
        seed_scale(ctx, types)


def _record(ctx, types, subject, code, year, kind=AwardKind.CONG_TRANG, note=None) -> int:
    number, date = _decision(year, code + kind)
    _rec, outcome = services.record_award(
        ctx.actor,
        subject=subject,
        award_type=types[code],
        year=year,
        kind=kind,
        decision_number=number,
        decision_date=date,
        source=RecordSource.DEMO,
        note=note,
    )
    return outcome == "created"


def _plain_year(ctx, rng, types, people, ratings, units, unit_ratings, year) -> int:
    made = 0
    for pid, person in people.items():
        rating = ratings.get((pid, year))
        if rating in ("HTXSNV", "HTTNV"):
            made += _record(ctx, types, person, "LDTT", year)
            if rating == "HTXSNV" and rng.random() < 0.5:
                made += _record(ctx, types, person, "CSTD_CS", year)
    for uid, unit in units.items():
        rating = unit_ratings.get((uid, year))
        if rating == "HTXSNV" and rng.random() < 0.6:
            made += _record(ctx, types, unit, "TTLDXS", year)
        elif rating in ("HTXSNV", "HTTNV"):
            made += _record(ctx, types, unit, "TTLDTT", year)
    return made


def _judged_year(ctx, rng, types, people, units, year) -> int:
    made = 0
    person_ids = sorted(people)
    for v in eligibility.judge(
        year, subject_type="person", subject_ids=person_ids, award_codes=RULED_AWARDS_PERSON
    ):
        if v.eligible and (v.award_code != "BK_BO" or rng.random() < 0.5):
            made += _record(ctx, types, people[v.subject_id], v.award_code, year)
    for v in eligibility.judge(
        year, subject_type="unit", subject_ids=sorted(units), award_codes=RULED_AWARDS_UNIT
    ):
        if v.eligible and (v.award_code != "BK_BO" or rng.random() < 0.5):
            made += _record(ctx, types, units[v.subject_id], v.award_code, year)
    return made


def seed_scale(ctx, types) -> None:
    """Plain history for the scale people (LDTT from HTTNV, CSTD_CS for half the HTXSNV
    years, BK_BO after two CSTD_CS in a row), streamed by person and COPY-inserted."""
    from units import bulk

    prefix = SCALE_PREFIXES.get(ctx.scale)
    if prefix is None:
        return
    if AwardRecord.objects.filter(
        person__code__startswith=prefix, source=RecordSource.DEMO
    ).exists():
        ctx.log(f"  awards: scale {ctx.scale} history already there")
        return
    if connection.vendor == "postgresql":
        n = _seed_scale_sql(ctx, prefix, types)
        audit.record(
            ctx.actor,
            "award_record.bulk_generate",
            object_type="awards.awardrecord",
            object_label=f"scale {ctx.scale}",
            after={"records": n},
        )
        ctx.log(f"  awards: scale {ctx.scale}: {n} award records")
        return
    rng = random.Random(ctx.seed * 1000 + 31)
    start = bulk.next_id(AwardRecord)
    now = datetime.datetime.now(datetime.UTC)
    ldtt, cstd, bk = types["LDTT"].pk, types["CSTD_CS"].pk, types["BK_BO"].pk
    fields = [
        "id",
        "person_id",
        "award_type_id",
        "year",
        "kind",
        "decision_number",
        "source",
        "note",
        "created_at",
    ]

    def rows():
        next_id = start
        last_person, last_cstd = None, None
        for pid, year, rating in (
            PersonYear.objects.filter(person__code__startswith=prefix)
            .order_by("person_id", "year")
            .values_list("person_id", "year", "rating")
            .iterator(chunk_size=20000)
        ):
            if pid != last_person:
                last_person, last_cstd = pid, None
            if rating not in ("HTXSNV", "HTTNV"):
                continue
            yield (next_id, pid, ldtt, year, "cong_trang", "", "demo", "", now)
            next_id += 1
            if rating == "HTXSNV" and rng.random() < 0.5:
                yield (next_id, pid, cstd, year, "cong_trang", "", "demo", "", now)
                next_id += 1
                if last_cstd == year - 1 and rng.random() < 0.4:
                    yield (next_id, pid, bk, year, "cong_trang", "", "demo", "", now)
                    next_id += 1
                last_cstd = year

    n = bulk.insert_rows(AwardRecord, fields, rows())
    bulk.reset_sequence(AwardRecord)
    audit.record(
        ctx.actor,
        "award_record.bulk_generate",
        object_type="awards.awardrecord",
        object_label=f"scale {ctx.scale}",
        after={"records": n},
    )
    ctx.log(f"  awards: scale {ctx.scale}: {n} award records")


def _seed_scale_sql(ctx, prefix: str, types) -> int:
    """The same plain history written by the database itself (INSERT ... SELECT), so
    10,000,000 rating rows never travel to Python. ``setseed`` keeps it reproducible."""
    table = AwardRecord._meta.db_table
    cols = "(person_id, award_type_id, year, kind, decision_number, source, note, created_at)"
    rated = (
        "FROM units_personyear py JOIN units_person p ON p.id = py.person_id WHERE p.code LIKE %s"
    )
    total = 0
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(%s)", [((ctx.seed % 1000) / 1000.0)])
        cur.execute(
            f"INSERT INTO {table} {cols} SELECT py.person_id, %s, py.year, 'cong_trang', '', "
            f"'demo', '', now() {rated} AND py.rating IN ('HTXSNV', 'HTTNV')",
            [types["LDTT"].pk, prefix + "%"],
        )
        total += cur.rowcount
        cur.execute(
            f"INSERT INTO {table} {cols} SELECT py.person_id, %s, py.year, 'cong_trang', '', "
            f"'demo', '', now() {rated} AND py.rating = 'HTXSNV' AND random() < 0.5",
            [types["CSTD_CS"].pk, prefix + "%"],
        )
        total += cur.rowcount
        cur.execute(
            f"INSERT INTO {table} {cols} SELECT a.person_id, %s, a.year, 'cong_trang', '', "
            f"'demo', '', now() FROM {table} a JOIN {table} b ON b.person_id = a.person_id "
            "AND b.award_type_id = a.award_type_id AND b.year = a.year - 1 "
            "JOIN units_person p ON p.id = a.person_id "
            "WHERE a.award_type_id = %s AND p.code LIKE %s AND random() < 0.4",
            [types["BK_BO"].pk, types["CSTD_CS"].pk, prefix + "%"],
        )
        total += cur.rowcount
    return total
