"""Where one page's time goes, in-process: ``python -m bench.profile_pages URL [--user NAME]
[--requests N] [--top N] [--plain]``.

Logs in as ``--user`` (default ``bench_office``, made by ``python -m bench --only
nominations``) on the bench database, warms the page once, then requests it N times under
cProfile and prints the mean time per request, the share spent in SQL (cursor execution)
and in template rendering, and the functions with the most cumulative time (``--plain``:
no profiler, the median time of a request). Not a benchmark of record (``make bench`` is);
a tool for finding per-row work.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from bench.__main__ import DEFAULT_URL

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--user", default="bench_office")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--plain", action="store_true", help="no profiler: the median time of the requests"
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from emulation_portal.models import User

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    response = client.get(args.url)
    assert response.status_code == 200, response.status_code
    if args.plain:
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(args.url)
            times.append(time.perf_counter() - start)
        print(f"{args.url}: median {statistics.median(times) * 1000:.1f} ms a request")
        return 0
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.url)
    profiler.disable()
    wall = (time.perf_counter() - start) / args.requests
    stats = pstats.Stats(profiler)

    def cumulative(name_part: str, file_part: str = "") -> float:
        return (
            max(
                (
                    ct
                    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
                    if name == name_part and file_part in file
                ),
                default=0.0,
            )
            / args.requests
        )

    sql = cumulative("execute", "django/db/backends/utils.py")
    render = cumulative("render", "django/template/base.py")
    print(f"{args.url}: {wall * 1000:.1f} ms a request (profiled, {args.requests} requests)")
    print(f"  SQL (cursor execute) {sql * 1000:.1f} ms; template render {render * 1000:.1f} ms")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
