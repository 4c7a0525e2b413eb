"""The tally: approvals over ALL members against each award's threshold, then the quota
ranking (rank by approvals; the chair settles a final tie), stored on the agenda items at
closing; publishing moves the nominations; ``verify`` recomputes everything from the
stored ballots and names each difference (``manage.py verify_tally``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from awards.models import (
    Ballot,
    BallotChoice,
    Choice,
    CouncilSession,
    NominationState,
    Recusal,
    SessionItem,
    SessionState,
    VoterRoll,
)
from emulation_portal import audit
from emulation_portal.jobs import start_job

from .common import lock_session, passes, percent, require

RESULT_FIELDS = (
    "approvals",
    "disapprovals",
    "abstentions",
    "recusals",
    "passed",
    "rank",
    "tied",
    "approved",
)


@dataclass
class ItemResult:
    approvals: int
    disapprovals: int
    abstentions: int
    recusals: int
    passed: bool
    rank: int | None = None
    tied: bool = False
    approved: bool | None = None


def compute(
    members: int,
    items: list[tuple[int, int]],
    rules: dict[int, tuple[Decimal, int | None]],
    counts: dict[int, dict[str, int]],
    recusals: dict[int, int],
    casting: dict[int, bool | None] | None = None,
) -> dict[int, ItemResult]:
    """The results of a session, from plain numbers (no query).

    ``items``: (item id, award type id); ``rules``: award type id -> (threshold share,
    places or None); ``counts``: item id -> {choice: number of ballots}; ``recusals``:
    item id -> members who recused (their ballots hold an abstention, subtracted here);
    ``casting``: the chair's decisions on tied items. Absent members without a written
    opinion cast nothing: they are simply not among the approvals, and the base stays
    ``members``.
    """
    casting = casting or {}
    out: dict[int, ItemResult] = {}
    by_award: dict[int, list[int]] = defaultdict(list)
    for item_id, award_id in items:
        c = counts.get(item_id, {})
        rec = recusals.get(item_id, 0)
        approvals = c.get(Choice.APPROVE, 0)
        out[item_id] = ItemResult(
            approvals=approvals,
            disapprovals=c.get(Choice.DISAPPROVE, 0),
            abstentions=max(c.get(Choice.ABSTAIN, 0) - rec, 0),
            recusals=rec,
            passed=passes(approvals, members, rules[award_id][0]),
        )
        by_award[award_id].append(item_id)
    for award_id, ids in by_award.items():
        places = rules[award_id][1]
        for item_id in ids:
            mine = out[item_id]
            mine.rank = 1 + sum(1 for o in ids if out[o].approvals > mine.approvals)
        passing = sorted((i for i in ids if out[i].passed), key=lambda i: -out[i].approvals)
        for item_id in ids:
            out[item_id].approved = out[item_id].passed
        if places is None or len(passing) <= places:
            continue
        cut = out[passing[places - 1]].approvals
        above = [i for i in passing if out[i].approvals > cut]
        at_cut = [i for i in passing if out[i].approvals == cut]
        for item_id in passing:
            if out[item_id].approvals < cut:
                out[item_id].approved = False
        if len(above) + len(at_cut) <= places:
            continue
        for item_id in at_cut:
            out[item_id].tied = True
            out[item_id].approved = casting.get(item_id)
    return out


def _inputs(session: CouncilSession):
    items = list(session.items.order_by("order", "id").values_list("id", "award_type_id"))
    rules = {r.award_type_id: (r.threshold, r.places) for r in session.rules.all()}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for item_id, choice, n in (
        BallotChoice.objects.filter(ballot__session=session)
        .values_list("item_id", "choice")
        .annotate(n=Count("id"))
        .values_list("item_id", "choice", "n")
    ):
        counts[item_id][choice] = n
    recusals = dict(
        Recusal.objects.filter(item__session=session)
        .values_list("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    return items, rules, counts, recusals


def close_and_count(s: CouncilSession) -> dict:
    """At closing (session row locked): count the ballots into each item, then rewrite the
    voter roll (by member) and the ballots (by receipt) so that the order rows are stored
    in says nothing about the order they were cast in."""
    members = s.members_count
    items, rules, counts, recusals = _inputs(s)
    results = compute(members, items, rules, counts, recusals)
    SessionItem.objects.bulk_update(
        [
            SessionItem(pk=item_id, casting=None, **{f: getattr(r, f) for f in RESULT_FIELDS})
            for item_id, r in results.items()
        ],
        [*RESULT_FIELDS, "casting"],
        batch_size=500,
    )
    if s.secret:
        _rewrite_in_neutral_order(s)
    ballots = Ballot.objects.filter(session=s).count()
    return {
        "ballots": ballots,
        "written": Ballot.objects.filter(session=s, written=True).count(),
        "members": members,
        "ties": sorted(i for i, r in results.items() if r.tied),
    }


def _rewrite_in_neutral_order(s: CouncilSession) -> None:
    """Delete and insert again the session's roll (by member), ballots (by receipt) and
    choices (by receipt, then agenda order), keeping every key. On PostgreSQL each table is
    one statement that deletes and re-inserts on the server (no row travels to Python)."""
    if connection.vendor == "postgresql":
        _rewrite_on_server(s)
        return
    roll = list(VoterRoll.objects.filter(session=s).values("id", "member_id"))
    VoterRoll.objects.filter(session=s).delete()
    VoterRoll.objects.bulk_create(
        [
            VoterRoll(id=r["id"], session_id=s.pk, member_id=r["member_id"])
            for r in sorted(roll, key=lambda r: r["member_id"])
        ]
    )
    ballots = list(Ballot.objects.filter(session=s).values("id", "receipt", "secret", "written"))
    choices = list(
        BallotChoice.objects.filter(ballot__session=s).values(
            "id", "ballot_id", "item_id", "choice", "item__order"
        )
    )
    BallotChoice.objects.filter(ballot__session=s).delete()
    Ballot.objects.filter(session=s).delete()
    receipt_of = {b["id"]: b["receipt"] for b in ballots}
    Ballot.objects.bulk_create(
        [Ballot(session_id=s.pk, **b) for b in sorted(ballots, key=lambda b: b["receipt"])]
    )
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(
                id=c["id"], ballot_id=c["ballot_id"], item_id=c["item_id"], choice=c["choice"]
            )
            for c in sorted(choices, key=lambda c: (receipt_of[c["ballot_id"]], c["item__order"]))
        ]
    )


def _rewrite_on_server(s: CouncilSession) -> None:
    q = connection.ops.quote_name
    roll, ballot, choice, item = (
        q(m._meta.db_table) for m in (VoterRoll, Ballot, BallotChoice, SessionItem)
    )
    with connection.cursor() as cur:
        # The ORDER BY sorts every deleted row before the first insert, so the unique keys
        # are free again when the rows come back; the ballots' foreign keys are deferred.
        cur.execute(
            f"WITH old AS (DELETE FROM {roll} WHERE session_id = %s RETURNING *) "
            f"INSERT INTO {roll} (id, session_id, member_id) "
            f"SELECT id, session_id, member_id FROM old ORDER BY member_id",
            [s.pk],
        )
        cur.execute(
            f"WITH old AS (DELETE FROM {choice} c USING {ballot} b "
            f"WHERE c.ballot_id = b.id AND b.session_id = %s "
            f"RETURNING c.id, c.ballot_id, c.item_id, c.choice, b.receipt) "
            f"INSERT INTO {choice} (id, ballot_id, item_id, choice) "
            f"SELECT old.id, old.ballot_id, old.item_id, old.choice FROM old "
            f'JOIN {item} i ON i.id = old.item_id ORDER BY old.receipt, i."order", i.id',
            [s.pk],
        )
        cur.execute(
            f"WITH old AS (DELETE FROM {ballot} WHERE session_id = %s RETURNING *) "
            f"INSERT INTO {ballot} (id, session_id, receipt, secret, written, voter_id) "
            f"SELECT id, session_id, receipt, secret, written, voter_id FROM old "
            f"ORDER BY receipt",
            [s.pk],
        )


def start_minutes(actor, s: CouncilSession) -> None:
    """The minutes (biên bản) are rendered by a Celery task after commit, with progress on
    the job page."""
    from awards.council import tasks

    job = start_job(actor, "council.minutes", tasks.render_minutes, {"session": s.pk})
    CouncilSession.objects.filter(pk=s.pk).update(minutes_job=job)
    s.minutes_job = job


def check_publishable(s: CouncilSession) -> dict:
    pending = list(s.items.filter(tied=True, casting__isnull=True).select_related("award_type"))
    if pending:
        raise ValidationError(
            _("The chair must first settle the tie for the last place(s) of %(awards)s.")
            % {"awards": ", ".join(sorted({i.award_type.code for i in pending}))},
            code="tie",
        )
    return {
        "approved": list(s.items.filter(approved=True).values_list("nomination_id", flat=True)),
        "not_approved": list(
            s.items.filter(approved=False).values_list("nomination_id", flat=True)
        ),
    }


def figures(item: SessionItem, members: int, threshold: Decimal) -> str:
    """“14/15 (93.3%); threshold 90%” — the line the nomination's history keeps."""
    return _("%(a)s/%(m)s approvals (%(p)s%%); threshold %(t)s%%") % {
        "a": item.approvals,
        "m": members,
        "p": percent(item.approvals or 0, members),
        "t": format((Decimal(threshold) * 100).quantize(Decimal("0.1")).normalize(), "f"),
    }


def move_nominations(actor, s: CouncilSession) -> None:
    """Each item's nomination goes to approved or rejected (not approved) through the
    nominations' transition function, its figures in the note."""
    from awards.nominations import services as nomination_services

    thresholds = {r.award_type_id: r.threshold for r in s.rules.all()}
    for item in s.items.select_related("nomination").order_by("order"):
        if item.nomination.state != NominationState.IN_SESSION:
            continue
        move = "approve" if item.approved else "reject"
        note = f"{s}: " + figures(item, s.members_count, thresholds[item.award_type_id])
        nomination_services.transition(actor, item.nomination, move, note=note)


@transaction.atomic
def settle_tie(actor, session: CouncilSession, chosen_items) -> list[int]:
    """The chair's casting decision for a tie at the last place(s) of an award: exactly as
    many of the tied items as there are places left get approved."""
    s = lock_session(session)
    require(actor, "council.casting", s)
    if s.state != SessionState.CLOSED:
        raise ValidationError(_("A tie is settled after closing and before publishing."))
    chosen = {int(getattr(i, "pk", i)) for i in chosen_items}
    tied = list(s.items.filter(tied=True))
    if not tied:
        raise ValidationError(_("There is no tie to settle."))
    if not chosen <= {i.pk for i in tied}:
        raise ValidationError(_("Choose only among the tied items."))
    places = {r.award_type_id: r.places for r in s.rules.all()}
    for award_id in {i.award_type_id for i in tied}:
        mine = [i for i in tied if i.award_type_id == award_id]
        above = s.items.filter(award_type_id=award_id, approved=True, tied=False).count()
        left = places[award_id] - above
        picked = [i for i in mine if i.pk in chosen]
        if len(picked) != left:
            raise ValidationError(
                _("Choose exactly %(n)s of the tied items.") % {"n": left}, code="tie_count"
            )
    for item in tied:
        decision = item.pk in chosen
        SessionItem.objects.filter(pk=item.pk).update(casting=decision, approved=decision)
    audit.record(actor, "council_session.casting", s, after={"chosen": sorted(chosen)})
    return sorted(chosen)


# --------------------------------------------------------------------------- the proof


def verify(session: CouncilSession) -> list[str]:
    """Recompute the session's results from its stored ballots and compare them with what
    was stored and published. Returns one line per difference (empty: all agree)."""
    s = CouncilSession.objects.get(pk=session.pk)
    problems: list[str] = []
    if s.state not in (SessionState.CLOSED, SessionState.PUBLISHED):
        return [f"session {s.pk}: not closed, nothing to verify"]
    ballots = Ballot.objects.filter(session=s).count()
    voters = VoterRoll.objects.filter(session=s).count()
    if ballots != voters:
        problems.append(f"session {s.pk}: {ballots} ballots but {voters} voters on the roll")
    if ballots > (s.members_count or 0):
        problems.append(f"session {s.pk}: {ballots} ballots for {s.members_count} members")
    item_count = s.items.count()
    for receipt, n in (
        Ballot.objects.filter(session=s).annotate(n=Count("choices")).values_list("receipt", "n")
    ):
        if n != item_count:
            problems.append(f"ballot {receipt}: {n} choices for {item_count} items")
    items, rules, counts, recusals = _inputs(s)
    stored = {i.pk: i for i in s.items.select_related("nomination", "award_type")}
    casting = {pk: i.casting for pk, i in stored.items() if i.tied}
    results = compute(s.members_count, items, rules, counts, recusals, casting)
    for item_id, r in results.items():
        item = stored[item_id]
        for f in RESULT_FIELDS:
            if getattr(item, f) != getattr(r, f):
                problems.append(
                    f"item {item_id} ({item.award_type.code}, {item.nomination.nominee}): "
                    f"{f} stored {getattr(item, f)!r}, recounted {getattr(r, f)!r}"
                )
        if s.state == SessionState.PUBLISHED and r.approved is not None:
            want = NominationState.APPROVED if r.approved else NominationState.REJECTED
            state = item.nomination.state
            if state != want and not (r.approved and state == NominationState.DECIDED):
                problems.append(
                    f"item {item_id} ({item.award_type.code}, {item.nomination.nominee}): "
                    f"nomination is {state}, the recount says {want}"
                )
    return problems
