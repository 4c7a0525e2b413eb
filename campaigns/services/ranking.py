"""The bloc's ranking from the scores, its documented tie-break and its publication."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns import selectors, tasks
from campaigns.models import TIE_RULES, PledgeState, Ranking, RankingEntry
from campaigns.services.common import _lock_pledge, _members, _require, _when
from emulation_portal import audit
from units.models import Bloc, Unit

TIE_BREAK = gettext_noop(
    "total points (higher first), then points on standard criteria (higher first), then "
    "penalty points (fewer first), then the previous year's rank in the bloc (better "
    "first; units unranked last year come after), then the unit code (alphabetical)"
)


def rank_rows(totals: dict[int, dict], units: dict[int, Unit], previous: dict[int, int]):
    """Order units by the documented tie-break (see ``TIE_BREAK``); returns a list of
    (unit, totals, previous_rank, tie_note). Pure function, unit-tested directly."""
    rows = []
    for unit_id, unit in units.items():
        t = totals.get(unit_id) or {
            "standard": Decimal(0),
            "bonus": Decimal(0),
            "penalty": Decimal(0),
        }
        total = t["standard"] + t["bonus"] - t["penalty"]
        prev = previous.get(unit_id)
        key = (-total, -t["standard"], t["penalty"], prev if prev is not None else 10**6, unit.code)
        rows.append((key, unit, {**t, "total": total}, prev))
    rows.sort(key=lambda r: r[0])
    out = []
    for i, (key, unit, t, prev) in enumerate(rows):
        note = ""
        neighbours = [rows[j] for j in (i - 1, i + 1) if 0 <= j < len(rows)]
        tied = [n for n in neighbours if n[0][0] == key[0]]
        if tied:
            # the first criterion of the tie-break that separates this unit from a neighbour
            # (stored as a code; the page shows it translated, see RankingEntry.tie_label)
            level = max(next(k for k in range(1, 5) if n[0][k] != key[k]) for n in tied)
            note = TIE_RULES[level - 1]
        out.append((unit, t, prev, note))
    return out


@transaction.atomic
def compute_ranking(actor, bloc: Bloc, year: int) -> Ranking:
    """(Re)compute the bloc's ranking for ``year`` from the locked pledge's scores. Allowed
    until the ranking is published. Units without scores rank with 0 points."""
    from campaigns.selectors import BlocYear

    _require(actor, "campaigns.run_bloc", BlocYear(bloc, year))
    pledge = selectors.current_pledge(bloc.pk, year)
    if pledge is None or pledge.state != PledgeState.LOCKED:
        raise ValidationError(_("The bloc's pledge is not signed and locked yet."))
    pledge = _lock_pledge(pledge)
    ranking = Ranking.objects.select_for_update().filter(bloc=bloc, year=year).first()
    if ranking and ranking.is_published:
        raise ValidationError(_("The ranking is already published."))
    units = {m.unit_id: m.unit for m in _members(bloc.pk, year)}
    previous = dict(
        RankingEntry.objects.filter(ranking__bloc=bloc, ranking__year=year - 1).values_list(
            "unit_id", "rank"
        )
    )
    rows = rank_rows(selectors.score_totals(pledge.pk), units, previous)
    now = timezone.now()
    if ranking is None:
        ranking = Ranking.objects.create(
            bloc=bloc, year=year, pledge=pledge, computed_at=now, explanation=TIE_BREAK
        )
    else:
        ranking.pledge, ranking.computed_at, ranking.explanation = pledge, now, TIE_BREAK
        ranking.save(update_fields=["pledge", "computed_at", "explanation"])
        ranking.entries.all().delete()
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                ranking=ranking,
                unit=unit,
                rank=i,
                total=t["total"],
                standard_total=t["standard"],
                bonus_total=t["bonus"],
                penalty_total=t["penalty"],
                previous_rank=prev,
                tie_note=note[:200],
            )
            for i, (unit, t, prev, note) in enumerate(rows, start=1)
        ]
    )
    audit.record(
        actor,
        "ranking.compute",
        ranking,
        after={"order": [(u.code, str(t["total"])) for u, t, _p, _n in rows]},
    )
    return ranking


@transaction.atomic
def publish_ranking(actor, ranking: Ranking, *, at=None) -> Ranking:
    """Publish the ranking to the bloc; scores are frozen from then on."""
    _require(actor, "campaigns.run_bloc", ranking)
    _lock_pledge(ranking.pledge)
    ranking = Ranking.objects.select_for_update().get(pk=ranking.pk)
    if ranking.is_published:
        raise ValidationError(_("The ranking is already published."))
    ranking.published_at = _when(at)
    ranking.published_by = actor
    ranking.save(update_fields=["published_at", "published_by"])
    audit.record(actor, "ranking.publish", ranking, after={"published_at": ranking.published_at})
    from emulation_portal.jobs import enqueue

    enqueue(tasks.notify_ranking_published, ranking.pk)
    return ranking
