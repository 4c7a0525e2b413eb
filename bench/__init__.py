"""Benchmarks: ``make bench`` (``python -m bench``) runs every ``bench/bench_*.py``.

Each module defines ``run(ctx) -> list[Row]``. Benchmarks run on their own database,
``BENCH_DATABASE_URL`` (default: PostgreSQL ``emulation_bench`` on 127.0.0.1), never the
demo database, and build the data they need through the seeders (kept between runs).
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    value: float
    unit: str
    note: str = ""


@dataclass
class BenchContext:
    only: set[str] = field(default_factory=set)
    quick: bool = False  # smaller data, for a smoke run

    @contextmanager
    def timer(self):
        """Yields a dict whose ``seconds`` is filled when the block ends."""
        out = {}
        start = time.perf_counter()
        try:
            yield out
        finally:
            out["seconds"] = time.perf_counter() - start


def best_of(func, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``func()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best
