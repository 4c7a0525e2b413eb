"""Campaigns: ranking one bloc, the bloc-year page, the office's all-bloc view, score saves.

Data (kept between runs, year 2090 so it never meets demo data): ``BLOCS`` blocs of
``UNITS`` units each, every unit officer-scoped, a locked pledge of ``CRITERIA`` criteria
per bloc, every unit scored on every criterion. Full size is the scale of a national
deployment (every ministry bloc and provincial cluster with generous membership); --quick
is a smoke run.
"""

from decimal import Decimal

from bench import BenchContext, Row, best_of

YEAR = 2090


def _build(n_blocs: int, n_units: int, n_criteria: int, prefix: str):
    from django.db import transaction
    from django.utils import timezone

    from campaigns.models import Criterion, Pledge, Score, Signature
    from emulation_portal.models import Role, User
    from units.models import Bloc, BlocMembership, Unit, UnitKind, UnitOfficer

    blocs = list(Bloc.objects.filter(code__startswith=prefix).order_by("code"))
    if len(blocs) >= n_blocs:
        return blocs[:n_blocs]
    now = timezone.now()
    with transaction.atomic():
        for b in range(len(blocs), n_blocs):
            bloc = Bloc.objects.create(
                code=f"{prefix}{b:04d}", name=f"Khối đo hiệu năng {b}", kind="KHOI"
            )
            units = Unit.objects.bulk_create(
                [
                    Unit(
                        code=f"{prefix}{b:04d}_{u:03d}", name=f"Đơn vị đo {b}-{u}", kind=UnitKind.VU
                    )
                    for u in range(n_units)
                ]
            )
            units = list(Unit.objects.filter(code__startswith=f"{prefix}{b:04d}_").order_by("code"))
            for unit in units:
                unit.path = f"{unit.pk:08d}."
            Unit.objects.bulk_update(units, ["path"])
            BlocMembership.objects.bulk_create(
                [
                    BlocMembership(
                        bloc=bloc,
                        year=YEAR,
                        unit=unit,
                        bloc_kind="KHOI",
                        role="leader" if i == 0 else "member",
                    )
                    for i, unit in enumerate(units)
                ]
            )
            user = User.objects.create(
                username=f"bench_{bloc.code.lower()}", role=Role.UNIT_OFFICER
            )
            UnitOfficer.objects.create(user=user, unit=units[0])
            pledge = Pledge.objects.create(
                bloc=bloc, year=YEAR, title="Bench", state="locked", locked_at=now
            )
            crits = Criterion.objects.bulk_create(
                [
                    Criterion(
                        pledge=pledge,
                        order=c + 1,
                        name=f"Tiêu chí {c + 1}",
                        kind="penalty"
                        if c == n_criteria - 1
                        else ("bonus" if c == n_criteria - 2 else "standard"),
                        max_points=Decimal(20),
                    )
                    for c in range(n_criteria)
                ]
            )
            Signature.objects.bulk_create(
                [Signature(pledge=pledge, unit=u, signed_at=now) for u in units]
            )
            Score.objects.bulk_create(
                [
                    Score(
                        criterion=c,
                        unit=u,
                        max_points=c.max_points,
                        self_points=Decimal((i * 7 + c.order * 3) % 20),
                    )
                    for i, u in enumerate(units)
                    for c in crits
                ]
            )
    return list(Bloc.objects.filter(code__startswith=prefix).order_by("code"))[:n_blocs]


class QueryCount:
    """Counts the queries run inside the block (robust across requests)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.n


def _counting():
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def block():
        counter = QueryCount()
        with connection.execute_wrapper(counter):
            yield counter

    return block()


def run(ctx: BenchContext) -> list[Row]:
    from django.test import Client

    from campaigns import selectors, services
    from campaigns.models import Criterion, Ranking
    from emulation_portal.models import Role, User
    from units.models import Unit

    n_blocs, n_units, n_criteria = (8, 8, 6) if ctx.quick else (60, 40, 12)
    prefix = "BQ" if ctx.quick else "BF"
    with ctx.timer() as build:
        blocs = _build(n_blocs, n_units, n_criteria, prefix)
    rows = [
        Row(
            f"build {n_blocs} blocs x {n_units} units x {n_criteria} criteria",
            build["seconds"],
            "s",
            "bulk inserts; reused when present",
        )
    ]

    bloc = blocs[0]
    leader = User.objects.get(username=f"bench_{bloc.code.lower()}")
    Ranking.objects.filter(bloc=bloc, year=YEAR, published_at__isnull=True).delete()

    def rank():
        leader.__dict__.pop("_campaigns_memberships", None)
        services.compute_ranking(leader, bloc, YEAR)

    with _counting() as q:
        rank()
    rows.append(
        Row(
            f"compute_ranking, 1 bloc of {n_units} units ({n_units * n_criteria} scores)",
            1000 * best_of(rank, 5),
            "ms",
            f"{len(q)} queries",
        )
    )

    client = Client()
    client.force_login(leader)
    page = f"/campaigns/blocs/{bloc.pk}/{YEAR}/"

    def bloc_page():
        assert client.get(page, HTTP_HOST="localhost").status_code == 200

    with _counting() as q:
        bloc_page()
    rows.append(
        Row(
            f"bloc-year page, {n_units} units x {n_criteria} criteria",
            1000 * best_of(bloc_page, 5),
            "ms",
            f"{len(q)} queries",
        )
    )

    office, _ = User.objects.get_or_create(username="bench_office", defaults={"role": Role.OFFICE})
    office_client = Client()
    office_client.force_login(office)

    def overview():
        selectors.all_blocs_overview(YEAR)

    def overview_page():
        r = office_client.get(f"/campaigns/blocs/?year={YEAR}", HTTP_HOST="localhost")
        assert r.status_code == 200

    with _counting() as q:
        overview_page()
    n_all = len(selectors.all_blocs_overview(YEAR))
    rows.append(
        Row(
            f"all-bloc overview selector, {n_all} blocs",
            1000 * best_of(overview, 5),
            "ms",
            f"{n_blocs} bench blocs x {n_units} units",
        )
    )
    rows.append(
        Row(
            f"all-bloc page, {n_all} blocs",
            1000 * best_of(overview_page, 5),
            "ms",
            f"{len(q)} queries",
        )
    )

    # score saves (optimistic update of an existing score) by the leader unit's officer
    unit = Unit.objects.get(code=f"{bloc.code}_000")
    crit = Criterion.objects.filter(pledge__bloc=bloc, pledge__year=YEAR).order_by("order")[0]
    Ranking.objects.filter(bloc=bloc, year=YEAR).delete()
    n = 50 if ctx.quick else 300
    from campaigns.models import Score

    score = Score.objects.filter(criterion=crit, unit=unit).first()
    with ctx.timer() as t:
        for i in range(n):
            score = services.save_self_score(
                leader, crit, unit, points=i % 20, version=score.version if score else None
            )
    rows.append(
        Row(
            f"save_self_score, {n} saves",
            1000 * t["seconds"] / n,
            "ms/save",
            "row lock + conditional UPDATE + audit event",
        )
    )
    return rows
