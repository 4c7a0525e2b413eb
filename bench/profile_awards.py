"""Where a population pass of the eligibility engine spends its time, in-process:
``python -m bench.profile_awards [--people N] [--prefix N|L]``.

Judges the first N people of a scale set (``N``: national, ``L``: large; generate them
with ``python -m bench --only awards``) and prints the wall time, the CPU of the main
thread (judging, verdicts, the caller's loop) and of the read-ahead thread (converting
rows), how long the main thread waited for the next chunk, and the garbage collections
by generation. Not a benchmark of record (``make bench`` is); a tool for the next step.
"""

import argparse
import gc
import itertools
import os
import sys
import time
from concurrent.futures import Future
from pathlib import Path

from bench.__main__ import DEFAULT_URL

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--prefix", default="N", help="N (national) or L (large)")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from awards import eligibility
    from awards.eligibility import loading
    from units.models import Unit

    unit_ids = list(
        Unit.objects.filter(code__startswith=args.prefix + "D").values_list("id", flat=True)
    )
    if not unit_ids:
        print(f"no units {args.prefix}D…: run `python -m bench --only awards` first")
        return 2

    load = loading._load_people_chunk
    loads = {"wall": 0.0, "cpu": 0.0}

    def timed_load(*a, **kw):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return load(*a, **kw)
        finally:
            loads["wall"] += time.perf_counter() - wall
            loads["cpu"] += time.thread_time() - cpu

    waited = [0.0]
    result = Future.result

    def timed_result(self, timeout=None):
        start = time.perf_counter()
        try:
            return result(self, timeout)
        finally:
            waited[0] += time.perf_counter() - start

    collections = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
    started = [0.0]

    def on_gc(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            entry = collections[info["generation"]]
            entry[0] += 1
            entry[1] += time.perf_counter() - started[0]

    loading._load_people_chunk = timed_load
    Future.result = timed_result
    gc.callbacks.append(on_gc)
    wall, cpu = time.perf_counter(), time.thread_time()
    verdicts = eligible = 0
    for v in itertools.islice(
        eligibility.judge(2025, subject_type="person", unit_ids=unit_ids), args.people * 11
    ):
        verdicts += 1
        eligible += v.eligible
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    gc.callbacks.remove(on_gc)
    print(f"{verdicts:,} verdicts ({eligible:,} eligible) for {args.people:,} people")
    print(f"  wall {wall:.2f} s; main thread CPU {cpu:.2f} s, waited {waited[0]:.2f} s")
    print(f"  chunk loads: wall {loads['wall']:.2f} s, CPU {loads['cpu']:.2f} s")
    for generation, (n, seconds) in collections.items():
        print(f"  gc generation {generation}: {n} collections, {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
