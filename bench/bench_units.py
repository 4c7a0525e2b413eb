"""The registry at scale: generating the large data set, importing 30,000 people with ten
years of ratings from CSV, and the people list page and API over that data."""

import contextlib
import csv
import random
import resource
import tempfile
import time
from pathlib import Path

from bench import BenchContext, Row, best_of
from emulation_portal import demo as portal_demo
from emulation_portal.models import Role, User
from units import bulk, demo
from units.exchange import import_data
from units.models import Person, Unit, UnitRating

IMPORT_PREFIX = "BI"
YEARS = range(2016, 2026)


def _ensure_scale(ctx: BenchContext) -> tuple[str, float | None]:
    """The large data set (30,000 people, 10 years), or 2,000 people with --quick.
    Returns the prefix of its units and the generation time if it ran now."""
    if ctx.quick:
        if Unit.objects.filter(code="QD001").exists():
            return "Q", None
        start = time.perf_counter()
        seed = portal_demo.SeedContext(random.Random(1), 1, None, None, lambda *_: None)
        root = demo.build_structure(seed)["BO"]
        units = bulk.generate_units(
            None, root=root, prefix="Q", departments=5, per_department=4, log=lambda *_: None
        )
        bulk.generate_people(
            None,
            rng=random.Random(2),
            units=units,
            count=2000,
            years=YEARS,
            prefix="QP",
            log=lambda *_: None,
            label="bench quick",
        )
        return "Q", time.perf_counter() - start
    if Unit.objects.filter(code="LD001").exists():
        return "L", None
    start = time.perf_counter()
    seed = portal_demo.SeedContext(random.Random(2026), 2026, "large", None, lambda *_: None)
    demo.seed(seed)
    return "L", time.perf_counter() - start


def _write_import_files(folder: Path, people: int, departments: int, per_department: int):
    rng = random.Random(42)
    unit_codes = []
    with (folder / "units.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "parent_code"])
        for d in range(departments):
            dept = f"{IMPORT_PREFIX}D{d + 1:03d}"
            w.writerow([dept, f"Đơn vị nhập số {d + 1}", "VU", "BO"])
            unit_codes.append(dept)
            for s in range(per_department):
                code = f"{dept}P{s + 1:02d}"
                w.writerow([code, f"Phòng {s + 1} - Đơn vị nhập số {d + 1}", "PHONG", dept])
                unit_codes.append(code)
    with (
        (folder / "people.csv").open("w", encoding="utf-8", newline="") as pf,
        (folder / "ratings.csv").open("w", encoding="utf-8", newline="") as rf,
    ):
        pw, rw = csv.writer(pf), csv.writer(rf)
        pw.writerow(
            ["code", "full_name", "gender", "birth_date", "unit_code", "position", "is_manager"]
        )
        rw.writerow(["subject_type", "subject_code", "year", "rating", "unit_code"])
        for n in range(people):
            gender = rng.choice("FM")
            code = f"{IMPORT_PREFIX}P{n + 1:07d}"
            unit = rng.choice(unit_codes)
            pw.writerow(
                [
                    code,
                    bulk.person_name(rng, gender),
                    gender,
                    f"{rng.randint(1964, 1996)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    unit,
                    "Chuyên viên",
                    "false",
                ]
            )
            for year in YEARS:
                rw.writerow(
                    ["person", code, year, rng.choices(bulk.RATINGS, bulk.RATING_WEIGHTS)[0], unit]
                )
    return len(unit_codes)


def _drop_imported() -> None:
    Person.objects.filter(code__startswith=IMPORT_PREFIX).delete()
    UnitRating.objects.filter(unit__code__startswith=IMPORT_PREFIX).delete()
    Unit.objects.filter(code__startswith=IMPORT_PREFIX, depth__gte=2).delete()
    Unit.objects.filter(code__startswith=IMPORT_PREFIX).delete()


def _client():
    from django.test import Client
    from django.test.utils import setup_test_environment

    with contextlib.suppress(RuntimeError):  # already set up by another benchmark
        setup_test_environment()  # allows the "testserver" host
    user, _ = User.objects.get_or_create(
        username="bench_units_office", defaults={"role": Role.OFFICE, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def run(ctx: BenchContext) -> list[Row]:
    rows = []
    prefix, generated = _ensure_scale(ctx)
    people_total = Person.objects.count()
    if generated is not None:
        rows.append(
            Row(
                "seed: generate the scale data set",
                generated,
                "s",
                f"{people_total} people in the database after",
            )
        )

    n_people = 2000 if ctx.quick else 30_000
    departments, per_department = (5, 4) if ctx.quick else (30, 10)
    _drop_imported()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_units = _write_import_files(folder, n_people, departments, per_department)
        with ctx.timer() as t:
            result = import_data(None, folder)
        assert result.ok, result.errors[:5]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(
            Row(
                f"import_data: {n_units} units, {n_people} people, {n_people * len(YEARS)} ratings",
                t["seconds"],
                "s",
                f"created {result.changed} rows; peak RSS {rss:.0f} MB",
            )
        )
        with ctx.timer() as t2:
            again = import_data(None, folder)
        assert again.ok and again.changed == 0
        rows.append(Row("import_data again (all unchanged)", t2["seconds"], "s", "idempotent"))
    _drop_imported()

    client = _client()
    people_total = Person.objects.count()
    dept = f"{prefix}D001"
    pages = [
        ("people list page, first page", "/people/"),
        ("people list page, page 100", "/people/?page=100"),
        ("people list page, search 'nguyen thi'", "/people/?q=nguyen+thi"),
        ("people list page, search 'nguyen thi anh'", "/people/?q=nguyen+thi+anh"),
        (f"people list page, unit subtree {dept}", f"/people/?unit={dept}"),
        ("people API, first page", "/api/v1/people/"),
        ("people API, search 'tran van'", "/api/v1/people/?search=tran+van"),
        ("people API, search 'nguyen thi anh'", "/api/v1/people/?search=nguyen+thi+anh"),
        ("people API, year 2025 rated HTXSNV", "/api/v1/people/?year=2025&rating=HTXSNV"),
        ("ratings API, year 2025", "/api/v1/ratings/?year=2025"),
    ]
    for name, url in pages:
        seconds = best_of(_get(client, url), repeat=3)
        rows.append(Row(name, 1000 * seconds, "ms", f"best of 3; {people_total} people"))
    return rows
