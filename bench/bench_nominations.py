"""The nominations queue with 5,000 nominations: the office's page and the API list (50 rows
a page, with and without filters), and a bulk accept of 50 through the transition service.

The data (a ministry-like tree of 40 units, 5,000 people, one nomination each in mixed
states, a campaign with a nominations phase and a few extensions) is built once in the
bench database and kept between runs (codes start with ``BN_``).
"""

import datetime as dt
import random

from django.test import Client
from django.utils import timezone

from bench import BenchContext, Row, best_of

N = 5000
QUICK_N = 500
STATES = ["submitted"] * 5 + ["under_review"] * 3 + ["draft", "returned", "accepted"]


def _setup(n: int):
    from awards.models import AwardType, Nomination
    from campaigns.models import Campaign, Phase, PhaseExtension
    from emulation_portal.models import Role, User
    from units import services as unit_services
    from units.models import Person, Unit

    office, _ = User.objects.get_or_create(
        username="bench_office", defaults={"role": Role.OFFICE, "is_staff": True}
    )
    root = Unit.objects.filter(code="BN_ROOT").first()
    if root is None:
        root = unit_services.create_unit(None, code="BN_ROOT", name="Bộ (bench)", kind="BO")
        for i in range(40):
            unit_services.create_unit(
                None, code=f"BN_U{i:02d}", name=f"Đơn vị bench {i}", kind="VU", parent=root
            )
    units = list(Unit.objects.filter(code__startswith="BN_U").order_by("code"))
    campaign = Campaign.objects.filter(name="Bench nominations").first()
    if campaign is None:
        today = timezone.localdate()
        campaign = Campaign.objects.create(
            year=2025,
            kind="thematic",
            name="Bench nominations",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31),
        )
        phase = Phase.objects.create(
            campaign=campaign,
            kind="nominations",
            opens_on=today - dt.timedelta(days=60),
            closes_on=today - dt.timedelta(days=1),
        )
        for u in units[:5]:
            PhaseExtension.objects.create(
                phase=phase, unit=u, closes_on=today + dt.timedelta(days=7), reason="bench"
            )
    have = Nomination.objects.filter(campaign=campaign).count()
    if have < n:
        rng = random.Random(6)
        award = AwardType.objects.get(code="BK_BO")
        start = Person.objects.filter(code__startswith="BN_P").count()
        people = Person.objects.bulk_create(
            [
                Person(
                    code=f"BN_P{i:06d}",
                    full_name=f"Nguyễn Văn Bench {i}",
                    search_text=f"nguyen van bench {i}",
                    gender="M",
                    unit=units[i % len(units)],
                )
                for i in range(start, start + n - have)
            ],
            batch_size=1000,
        )
        Nomination.objects.bulk_create(
            [
                Nomination(
                    person=p,
                    award_type=award,
                    year=2025,
                    campaign=campaign,
                    proposing_unit=p.unit,
                    level="ministry",
                    state=rng.choice(STATES),
                    eligible=rng.random() > 0.1,
                )
                for p in people
            ],
            batch_size=1000,
        )
    return office, campaign, units


def run(ctx: BenchContext) -> list[Row]:
    from awards.models import Nomination
    from awards.nominations import services

    n = QUICK_N if ctx.quick else N
    office, campaign, units = _setup(n)
    total = Nomination.objects.count()
    client = Client()
    client.force_login(office)
    rows = []
    for label, params in (
        ("office queue page, no filter", {}),
        ("office queue page, state=submitted", {"state": "submitted"}),
        ("office queue page, overdue", {"overdue": "1"}),
        ("office queue page, unit + eligible=no", {"unit": units[3].pk, "eligible": "no"}),
        ("office queue page, name search", {"q": "bench 42"}),
    ):
        client.get("/nominations/", params)
        seconds = best_of(lambda p=params: client.get("/nominations/", p), repeat=5)
        rows.append(Row(f"{label} ({total} nominations)", seconds * 1000, "ms"))
    client.get("/api/v1/nominations/")
    seconds = best_of(lambda: client.get("/api/v1/nominations/"), repeat=5)
    rows.append(Row(f"API list, 50 rows ({total} nominations)", seconds * 1000, "ms"))

    batch = list(
        Nomination.objects.filter(campaign=campaign, state="under_review").order_by("id")[:50]
    )
    with ctx.timer() as t:
        result = services.bulk_transition(office, batch, "accept")
    # put them back for the next run
    Nomination.objects.filter(pk__in=result.done).update(state="under_review", accepted_at=None)
    rows.append(
        Row(
            f"bulk accept of {len(batch)} (one transaction each)",
            t["seconds"] * 1000,
            "ms",
            f"{len(result.done)} accepted",
        )
    )
    return rows
