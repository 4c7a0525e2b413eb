"""The eligibility engine at scale: a whole year's judgment of 30,000 people (goal < 2 s)
and of 1,000,000 people with 10 years of history (goal < 60 s, bounded memory), with the
number of queries and the peak RSS of a fresh process doing only the judgment.

Data: the units seeder's scale sets (``--scale large``: 30,000 people, ``national``:
1,000,000 people, ratings 2016-2025) plus the awards seeder's plain award history for
them. ``--quick`` judges the 2,000 people of the quick set instead, and skips national.
Set ``BENCH_AWARDS_NATIONAL=0`` to skip the national run.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench import BenchContext, Row
from emulation_portal import demo as portal_demo
from units.models import Person, Unit

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025

# Runs in a fresh interpreter so its peak RSS is the judgment's own.
PROBE = r"""
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")
django.setup()
import itertools
from django.db import connection
from django.db.backends.signals import connection_created
from awards import eligibility
from units.models import Unit
prefix, year, subject = sys.argv[1], int(sys.argv[2]), sys.argv[3]
unit_ids = list(Unit.objects.filter(code__startswith=prefix + "D").values_list("id", flat=True))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# Count the queries of every connection: the engine reads ahead on a second one.
counter = itertools.count()
def count(execute, sql, params, many, context):
    next(counter)
    return execute(sql, params, many, context)
connection_created.connect(
    lambda connection, **kw: connection.execute_wrappers.append(count), weak=False
)
connection.ensure_connection()
connection.execute_wrappers.append(count)
start = time.perf_counter()
n = ok = people = 0
last = None
for v in eligibility.judge(year, subject_type=subject, unit_ids=unit_ids):
    n += 1
    ok += v.eligible
    if v.subject_id != last:
        people += 1
        last = v.subject_id
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "verdicts": n, "eligible": ok, "subjects": people,
                  "queries": next(counter),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_before_mb": base / 1024}))
"""


def _seed_context(scale):
    return portal_demo.SeedContext(random.Random(2026), 2026, scale, None, lambda *_: None)


def _ensure(scale: str, prefix: str) -> float | None:
    """Generate the scale data (units' seeder) and its award history (ours) if missing."""
    from awards import demo as awards_demo
    from awards.models import AwardType
    from units import demo as units_demo

    start = time.perf_counter()
    ran = False
    if not Unit.objects.filter(code=f"{prefix}D001").exists():
        ctx = _seed_context(scale)
        root = units_demo.build_structure(ctx)["BO"]
        units_demo.seed_scale(ctx, root)
        ran = True
    types = {t.code: t for t in AwardType.objects.all()}
    before = time.perf_counter()
    awards_demo.seed_scale(_seed_context(scale), types)
    ran = ran or (time.perf_counter() - before) > 1
    if ran:
        _analyze()
    return time.perf_counter() - start if ran else None


def _analyze() -> None:
    """After a bulk load, the state autovacuum brings a production database to: planner
    statistics and the visibility map (measured: national runs 32-47 s before, 35-40 s
    after, the spread mostly gone)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for table in (
            "units_person",
            "units_personyear",
            "units_initiative",
            "units_discipline",
            "awards_awardrecord",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")


def _ensure_quick() -> str:
    from awards import demo as awards_demo
    from awards.models import AwardRecord, AwardType
    from units import bulk
    from units import demo as units_demo

    if not Unit.objects.filter(code="QD001").exists():
        ctx = _seed_context(None)
        root = units_demo.build_structure(ctx)["BO"]
        units = bulk.generate_units(
            None, root=root, prefix="Q", departments=5, per_department=4, log=lambda *_: None
        )
        bulk.generate_people(
            None,
            rng=random.Random(2),
            units=units,
            count=2000,
            years=range(2016, 2026),
            prefix="QP",
            log=lambda *_: None,
            label="bench quick",
        )
    if not AwardRecord.objects.filter(person__code__startswith="QP").exists():
        types = {t.code: t for t in AwardType.objects.all()}
        awards_demo.SCALE_PREFIXES["quick"] = "QP"
        awards_demo.seed_scale(_seed_context("quick"), types)
    return "Q"


def _probe(prefix: str, subject: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, prefix, str(YEAR), subject],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rows(label: str, r: dict, goal: float | None) -> list[Row]:
    goal_note = f"goal < {goal:g} s" if goal else ""
    return [
        Row(
            f"eligibility {YEAR}, {label}",
            r["seconds"],
            "s",
            f"{r['subjects']:,} subjects, {r['verdicts']:,} verdicts, "
            f"{r['eligible']:,} eligible; {goal_note}",
        ),
        Row(f"  queries, {label}", r["queries"], "queries", "5 per 5,000 people + a few"),
        Row(
            f"  peak RSS, {label}",
            r["rss_mb"],
            "MB",
            f"fresh process; {r['rss_before_mb']:.0f} MB after Django set-up",
        ),
    ]


def run(ctx: BenchContext) -> list[Row]:
    rows: list[Row] = []
    if ctx.quick:
        prefix = _ensure_quick()
        people = Person.objects.filter(code__startswith="QP").count()
        rows += _rows(f"{people:,} people (quick)", _probe(prefix, "person"), None)
        return rows
    generated = _ensure("large", "L")
    if generated:
        rows.append(Row("seed: large set + award history", generated, "s"))
    people = Person.objects.filter(code__startswith="LP").count()
    rows += _rows(f"{people:,} people", _probe("L", "person"), 2)
    units = Unit.objects.filter(code__startswith="LD").count()
    rows += _rows(f"{units:,} units (their members judged too)", _probe("L", "unit"), None)
    if os.environ.get("BENCH_AWARDS_NATIONAL", "1") != "0":
        generated = _ensure("national", "N")
        if generated:
            rows.append(Row("seed: national set + award history", generated, "s"))
        people = Person.objects.filter(code__startswith="NP").count()
        rows += _rows(f"{people:,} people, 10 years", _probe("N", "person"), 60)
    return rows
