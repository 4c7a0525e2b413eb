"""The council's ballot under load, on PostgreSQL with real threads:

- 50 members casting at the same moment (a barrier releases 50 threads, each with its own
  connection, into ``services.cast``): the latency of each cast (p50, p95, max), and the
  ballots stored against the casts answered: none lost, none doubled;
- a session of 500 agenda items: building the agenda through the services, 50 ballots of
  500 choices, then closing it (the tally over all members, the results stored on the
  items, the roll and the ballots rewritten in a neutral order), ``verify_tally``'s
  recount, and the minutes PDF the close job renders.

The council (a ministry-level council of 50 on its own unit, codes ``BC_``) is built once
and kept between runs; each run adds its own nominees and sessions.
"""

import datetime as dt
import statistics
import threading
import time
import uuid

from django.db import connections, transaction

from bench import BenchContext, Row

MEMBERS = 50
ITEMS = 500
QUICK_ITEMS = 50
DAY = dt.date(2026, 1, 20)
YEAR = 2025


def _council():
    from awards.council import services
    from awards.models import Council, CouncilLevel, MemberRole
    from emulation_portal.models import Role, User
    from units import services as unit_services
    from units.models import Unit

    office, _ = User.objects.get_or_create(
        username="bench_office", defaults={"role": Role.OFFICE, "is_staff": True}
    )
    root = Unit.objects.filter(code="BC_ROOT").first()
    if root is None:
        root = unit_services.create_unit(
            None, code="BC_ROOT", name="Bộ (bench hội đồng)", kind="BO"
        )
    council = Council.objects.filter(unit=root, level=CouncilLevel.MINISTRY).first()
    if council is None:
        council = services.create_council(
            office, name="Hội đồng TĐKT (bench)", level=CouncilLevel.MINISTRY, unit=root
        )
        term = services.create_term(
            office, council, starts_on=dt.date(2025, 1, 1), decision_number="BC/QĐ"
        )
        for i in range(MEMBERS):
            user, _ = User.objects.get_or_create(
                username=f"bench_hd{i:02d}", defaults={"role": Role.COUNCIL}
            )
            role = MemberRole.CHAIR if i == 0 else MemberRole.MEMBER
            services.add_member(office, term, user=user, role=role, order=i + 1)
    term = council.terms.order_by("-starts_on").first()
    members = list(term.members.select_related("user").order_by("order"))
    return office, root, council, members


def _nominations(root, n: int):
    """``n`` fresh nominees of this run, accepted for the council (CSTD_BO: 90%)."""
    from awards.models import AwardType, Nomination
    from units.models import Person

    tag = uuid.uuid4().hex[:6].upper()
    people = Person.objects.bulk_create(
        [
            Person(
                code=f"BC{tag}{i:04d}",
                full_name=f"Nguyễn Thị Bench {i}",
                search_text=f"nguyen thi bench {i}",
                gender="F",
                unit=root,
            )
            for i in range(n)
        ]
    )
    award = AwardType.objects.get(code="CSTD_BO")
    return Nomination.objects.bulk_create(
        [
            Nomination(
                person=p,
                award_type=award,
                year=YEAR,
                proposing_unit=root,
                level="ministry",
                state="accepted",
            )
            for p in people
        ]
    )


def _open_session(office, council, members, nominations, title):
    from awards.council import services

    s = services.create_session(office, council, title=title, date=DAY, year=YEAR, place="Hà Nội")
    result = services.build_agenda(office, s, nominations)
    assert not result.refused, result.refused
    for m in members:
        services.set_attendance(office, s, m, "present")
    return services.transition(office, s, "open")


def _cast_at_once(session, members, item_ids):
    from awards.council import services

    barrier = threading.Barrier(len(members))
    latencies = [None] * len(members)
    outcomes = [None] * len(members)
    choices = dict.fromkeys(item_ids, "approve")

    def run(i, member):
        try:
            barrier.wait()
            start = time.perf_counter()
            receipt = services.cast(member.user, session.pk, choices)
            latencies[i] = time.perf_counter() - start
            outcomes[i] = ("ok", receipt)
        except Exception as exc:  # counted as lost below, with its reason printed
            outcomes[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate(members)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, outcomes


def _p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def run(ctx: BenchContext) -> list[Row]:
    from django.db import connection

    from awards.council import services
    from awards.council.services import minutes
    from awards.models import Ballot, VoterRoll

    rows: list[Row] = []
    if connection.vendor != "postgresql":
        return [Row("council (skipped: needs PostgreSQL)", 0, "-")]
    office, root, council, members = _council()

    # 1. fifty members casting at once
    s = _open_session(office, council, members, _nominations(root, 2), "Bench: 50 cùng bỏ phiếu")
    item_ids = list(s.items.values_list("pk", flat=True))
    latencies, outcomes = _cast_at_once(s, members, item_ids)
    ok = [o[1] for o in outcomes if o and o[0] == "ok"]
    errors = [o[1] for o in outcomes if not o or o[0] != "ok"]
    stored = set(Ballot.objects.filter(session=s).values_list("receipt", flat=True))
    roll = VoterRoll.objects.filter(session=s).count()
    lost = len(members) - len(stored & set(ok))
    doubled = (len(stored) - len(set(ok))) + (roll - len(set(VoterRoll.objects.filter(
        session=s).values_list("member_id", flat=True))))  # fmt: skip
    timed = [t for t in latencies if t is not None]
    note = f"{len(ok)} answered, {len(stored)} stored, {roll} on the roll"
    if errors:
        note += f"; errors: {errors[:3]}"
    rows += [
        Row("cast: 50 members at once, p50 latency", statistics.median(timed) * 1000, "ms", note),
        Row("cast: 50 members at once, p95 latency", _p95(timed) * 1000, "ms"),
        Row("cast: 50 members at once, max latency", max(timed) * 1000, "ms"),
        Row("cast: ballots lost", lost, "ballots"),
        Row("cast: ballots doubled", doubled, "ballots"),
    ]
    services.transition(office, s, "close")

    # 2. a session of 500 items
    n = QUICK_ITEMS if ctx.quick else ITEMS
    noms = _nominations(root, n)
    with ctx.timer() as t_agenda:
        s = _open_session(office, council, members, noms, f"Bench: {n} nội dung")
    rows.append(Row(f"agenda of {n} items built and opened (services)", t_agenda["seconds"], "s"))
    item_ids = list(s.items.values_list("pk", flat=True))
    cast_times = []
    for i, m in enumerate(members):
        # a realistic mix: most approve, some exceptions
        choices = {
            pk: (
                "disapprove" if (k + i) % 7 == 0 else "abstain" if (k + i) % 11 == 0 else "approve"
            )
            for k, pk in enumerate(item_ids)
        }
        start = time.perf_counter()
        services.cast(m.user, s, choices)
        cast_times.append(time.perf_counter() - start)
    rows.append(
        Row(
            f"cast: one ballot of {n} choices (median of 50)",
            statistics.median(cast_times) * 1000,
            "ms",
        )
    )
    # the minutes job runs when the outer block commits, outside the timing
    with transaction.atomic(), ctx.timer() as t_close:
        services.transition(office, s, "close")
    rows.append(
        Row(
            f"tally: close a session of {n} items x {len(members)} ballots",
            t_close["seconds"],
            "s",
            "count, store results, rewrite roll and ballots in neutral order",
        )
    )
    with ctx.timer() as t_verify:
        problems = services.verify(s)
    rows.append(
        Row(
            f"verify_tally: recount {n} items",
            t_verify["seconds"],
            "s",
            f"{len(problems)} differences",
        )
    )
    with ctx.timer() as t_pdf:
        pdf = minutes.render_minutes_pdf(s)
    rows.append(Row(f"minutes PDF of {n} items", t_pdf["seconds"], "s", f"{len(pdf) // 1024} KiB"))
    return rows
