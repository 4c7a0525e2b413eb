"""The blocs' pages: all blocs, the user's blocs, a bloc-year, and the bloc results
panel on a unit's page."""

import rules
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors
from campaigns.models import PledgeState
from campaigns.selectors import BlocYear
from campaigns.views.common import _current_year, _need, _year_param, bloc_action


@login_required
def all_blocs(request):
    _need(request, "campaigns.view_all")
    year = _year_param(request)
    return render(
        request,
        "campaigns/all_blocs.html",
        {
            "year": year,
            "rows": selectors.all_blocs_overview(year),
            "years": range(_current_year(), _current_year() - 6, -1),
        },
    )


@login_required
def my_blocs(request):
    _need(request, "campaigns.my_blocs")
    year = _year_param(request)
    rows = selectors.blocs_for(request.user, year)
    todo = request.GET.get("todo")
    # the home page's links: exactly the memberships it counted
    if todo == "sign":
        keep = set(selectors.pledges_to_sign(request.user, year).values_list("pk", flat=True))
    elif todo == "scores":
        due = selectors.scores_due(request.user, year, timezone.localdate())
        keep = set(due.values_list("pk", flat=True))
    else:
        todo, keep = None, None
    if keep is not None:
        rows = [m for m in rows if m.pk in keep]
    return render(
        request,
        "campaigns/my_blocs.html",
        {
            "year": year,
            "todo": todo,
            "rows": rows,
            "years": range(_current_year(), _current_year() - 6, -1),
        },
    )


@bloc_action
def bloc_year(request, by: BlocYear):
    _need(request, "campaigns.view_bloc_year", by)
    data = selectors.bloc_year_page(by.bloc, by.year)
    user = request.user
    is_leader = user.has_perm("campaigns.run_bloc", by)
    my_units = selectors.member_units_for(user, by.bloc.pk, by.year)
    pledge = data["pledge"]
    rows = []
    for m in data["members"]:
        cells = [data["grid"].get((m.unit_id, c.pk)) for c in data["criteria"]]
        rows.append(
            {
                "membership": m,
                "cells": list(zip(data["criteria"], cells, strict=True)),
                "signature": data["signatures"].get(m.unit_id),
                "mine": m.unit in my_units,
                "scored": sum(1 for c in cells if c is not None),
            }
        )
    ranking = data["ranking"]
    can_see_ranking = ranking is not None and (
        ranking.is_published or is_leader or user.has_perm("campaigns.view_all")
    )
    scoring_open = bool(
        pledge and pledge.state == PledgeState.LOCKED and not (ranking and ranking.is_published)
    )
    return render(
        request,
        "campaigns/bloc_year.html",
        {
            "by": by,
            **data,
            "rows": rows,
            "is_leader": is_leader,
            # The banner speaks to the leading unit's officer only: a superuser passes every
            # has_perm, so ask the rule itself.
            "leader_officer": rules.has_perm("campaigns.run_bloc", user, by),
            # the office adjusts the leading unit's own scores (separation of duties)
            "office_adjusts": user.has_perm("campaigns.view_all"),
            "my_units": my_units,
            "signed": len(data["signatures"]),
            "can_see_ranking": can_see_ranking,
            "scoring_open": scoring_open,
            "unsigned_mine": [u for u in my_units if u.pk not in data["signatures"]],
            "score_base": reverse("campaigns:bloc-year", args=[by.bloc.pk, by.year]) + "scores/",
            **_neighbour_years(user, by),
        },
    )


def _neighbour_years(user, by: BlocYear) -> dict:
    """``prev_year`` / ``next_year``: the years around ``by`` the bloc has members in and the
    user may open, else None (no link that answers 403 or an empty page)."""
    years = selectors.bloc_member_years(by.bloc.pk, [by.year - 1, by.year + 1])
    return {
        key: year
        if year in years and user.has_perm("campaigns.view_bloc_year", BlocYear(by.bloc, year))
        else None
        for key, year in (("prev_year", by.year - 1), ("next_year", by.year + 1))
    }


def bloc_results_panel(request, unit):
    """The unit page's panel: its bloc memberships, with rank in published rankings.
    Two queries."""
    from campaigns.models import RankingEntry
    from units.models import BlocMembership

    memberships = list(
        BlocMembership.objects.filter(unit=unit).select_related("bloc").order_by("-year")[:6]
    )
    if not memberships:
        return None
    ranks = {
        (e.ranking.bloc_id, e.ranking.year): e
        for e in RankingEntry.objects.filter(
            unit=unit, ranking__published_at__isnull=False
        ).select_related("ranking")
    }
    rows = [(m, ranks.get((m.bloc_id, m.year))) for m in memberships]
    return "campaigns/_unit_panel.html", {"bloc_rows": rows}
