"""Run the benchmarks and print their figures: ``python -m bench [--only NAME] [--quick]``."""

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emulation_bench"


def _ensure_pg_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[], help="module name, e.g. units")
    parser.add_argument("--quick", action="store_true", help="small data: a smoke run")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)  # benchmarks measure the code, eagerly
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import BenchContext

    call_command("migrate", verbosity=0, interactive=False)
    ctx = BenchContext(only=set(args.only), quick=args.quick)
    results = {}
    print(f"database: {url.split('@')[-1]}")
    for info in sorted(pkgutil.iter_modules([str(ROOT / "bench")]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        short = info.name.removeprefix("bench_")
        if ctx.only and short not in ctx.only:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"\n== {short}")
        rows = module.run(ctx)
        for row in rows:
            print(f"  {row.name:<58} {row.value:>12.3f} {row.unit:<8} {row.note}")
        results[short] = [row.__dict__ for row in rows]
    out = ROOT / "var" / "bench-results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nfigures written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
