"""The eligibility page on standing verdicts, at two population sizes: its time should not
grow with people (one indexed query for the rows, one over the per-unit tallies for the
totals).

Small: the people already in the bench database (at least the quick set, 2,000 people with
award history). Large: the same plus ``EXTRA`` generated people (30,000; 5,000 with
``--quick``) with ten years of ratings, added for this run and removed at its end, so every
run starts from the same small set. At each size a pass stores the year's verdicts
(``verdict_store.run_pass_inline``, the one-process pass) and the office's page is timed:
the first page of the eligible, the whole list, page 20, and persons only; best of 5, with
its number of queries.
"""

import random
import time

from django.db import connection

from bench import BenchContext, Row, best_of

YEAR = 2025
PREFIX = "VB"
EXTRA, QUICK_EXTRA = 30_000, 5_000
PAGES = [
    ("eligible, first page", f"/awards/eligibility/?year={YEAR}&eligible_only=on"),
    ("all verdicts, first page", f"/awards/eligibility/?year={YEAR}"),
    ("all verdicts, page 20", f"/awards/eligibility/?year={YEAR}&page=20"),
    ("persons only, eligible", f"/awards/eligibility/?year={YEAR}&subject=person&eligible_only=on"),
]


def _client():
    import contextlib

    from django.test import Client
    from django.test.utils import setup_test_environment

    from emulation_portal.models import Role, User

    with contextlib.suppress(RuntimeError):  # already set up by another benchmark
        setup_test_environment()
    user, _ = User.objects.get_or_create(
        username="bench_verdicts_office", defaults={"role": Role.OFFICE, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


def _pass() -> tuple[float, int]:
    """A one-process pass over ``YEAR``; (seconds, verdicts stored)."""
    from awards import eligibility, verdict_store
    from awards.models import StoredVerdict, VerdictPass

    VerdictPass.objects.filter(
        year=YEAR, state__in=[VerdictPass.State.PENDING, VerdictPass.State.RUNNING]
    ).delete()  # left by an interrupted run
    p = VerdictPass.objects.create(year=YEAR, rule_set=eligibility.rule_set_for(YEAR))
    start = time.perf_counter()
    verdict_store.run_pass_inline(p.pk)
    seconds = time.perf_counter() - start
    p.refresh_from_db()
    assert p.state == VerdictPass.State.DONE, (p.state, p.message)
    return seconds, StoredVerdict.objects.filter(year=YEAR, rule_set=p.rule_set).count()


def _grow(count: int) -> None:
    from units import bulk
    from units.models import Unit

    units = list(Unit.objects.filter(code__startswith="QD").values_list("id", "code"))
    bulk.generate_people(
        None,
        rng=random.Random(7),
        units=units,
        count=count,
        years=range(2016, 2026),
        prefix=PREFIX,
        log=lambda *_: None,
        label="bench verdicts",
    )


def _shrink() -> None:
    """Remove the generated people and every row that names them (raw deletes: no signals,
    so no re-judging of 30,000 subjects on the way out)."""
    from awards.models import DirtySubject, StoredVerdict
    from units.models import Discipline, Initiative, Person, PersonYear

    for model in (StoredVerdict, DirtySubject, Discipline, Initiative, PersonYear):
        model.objects.filter(person__code__startswith=PREFIX)._raw_delete(connection.alias)
    Person.objects.filter(code__startswith=PREFIX)._raw_delete(connection.alias)


def _measure(client, label: str, people: int) -> list[Row]:
    rows = []
    for name, url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.context["stored"] is True, url  # read from the table, not judged
        queries = []
        with connection.execute_wrapper(lambda ex, *a, q=queries: q.append(1) or ex(*a)):
            client.get(url)
        seconds = best_of(lambda u=url: client.get(u), repeat=5)
        rows.append(
            Row(
                f"eligibility page, {name} ({label})",
                seconds * 1000,
                "ms",
                f"best of 5; {len(queries)} queries; {people:,} people",
            )
        )
    return rows


def run(ctx: BenchContext) -> list[Row]:
    from bench.bench_awards import _ensure_quick
    from units.models import Person

    _ensure_quick()
    _shrink()
    client = _client()
    rows: list[Row] = []
    results = {}
    for label, extra in (("small", 0), ("large", QUICK_EXTRA if ctx.quick else EXTRA)):
        if extra:
            with ctx.timer() as t:
                _grow(extra)
            rows.append(Row(f"generate {extra:,} more people, 10 years", t["seconds"], "s"))
        people = Person.objects.count()
        seconds, verdicts = _pass()
        rows.append(
            Row(
                f"pass {YEAR}, one process ({label})",
                seconds,
                "s",
                f"{verdicts:,} verdicts stored; {people:,} people",
            )
        )
        measured = _measure(client, label, people)
        results[label] = measured
        rows += measured
    for small, large in zip(results["small"], results["large"], strict=True):
        rows.append(
            Row(
                f"large / small: {small.name.split(', ', 1)[1].rsplit(' (', 1)[0]}",
                large.value / small.value,
                "x",
                "1.0 = constant in people",
            )
        )
    _shrink()
    _pass()  # the small set's verdicts again, for the next run and the other benchmarks
    return rows
