"""Score cells (self-score and adjustment) and the ranking's compute and publish."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms, selectors, services
from campaigns.models import Ranking, Score
from campaigns.views.common import _back, _need, _say, bloc_action
from units.models import Unit


def _score_cell(request, by, criterion, unit, score, form=None, adjust_form=None, saved=False):
    ranking = Ranking.objects.filter(bloc=by.bloc, year=by.year).only("published_at").first()
    template = (
        "campaigns/_score_cell.html"
        if request.headers.get("HX-Request")
        else "campaigns/score_page.html"
    )
    return render(
        request,
        template,
        {
            "by": by,
            "criterion": criterion,
            "unit": unit,
            "score": score,
            "form": form,
            "adjust_form": adjust_form,
            "saved": saved,
            "scoring_open": not (ranking and ranking.is_published),
            "is_leader": request.user.has_perm("campaigns.run_bloc", by),
            "can_adjust": score is not None
            and request.user.has_perm("campaigns.adjust_score", score),
            "mine": unit in selectors.member_units_for(request.user, by.bloc.pk, by.year),
        },
    )


@bloc_action
def score_cell(request, by, criterion_id, unit_id):
    """The score of one unit on one criterion: GET shows the form, POST saves (htmx swaps
    the cell; without htmx the page is shown again)."""
    _need(request, "campaigns.view_bloc_year", by)
    pledge = selectors.current_pledge(by.bloc.pk, by.year)
    if pledge is None:
        raise Http404
    criterion = get_object_or_404(pledge.criteria, pk=criterion_id)
    unit = get_object_or_404(Unit, pk=unit_id)
    score = Score.objects.filter(criterion=criterion, unit=unit).first()
    if request.method != "POST":
        form = (
            forms.ScoreForm(
                initial={
                    "points": score.self_points if score else None,
                    "evidence": score.evidence if score else "",
                    "version": score.version if score else 0,
                }
            )
            if request.GET.get("edit")
            and unit in selectors.member_units_for(request.user, by.bloc.pk, by.year)
            else None
        )
        adjust = (
            forms.AdjustForm(
                initial={
                    "points": score.points,
                    "reason": score.reason,
                    "version": score.version,
                }
            )
            if score
            and request.GET.get("adjust")
            and request.user.has_perm("campaigns.adjust_score", score)
            else None
        )
        return _score_cell(request, by, criterion, unit, score, form, adjust)
    if "reason" in request.POST:
        if score is None:
            raise Http404
        _need(request, "campaigns.adjust_score", score)
        adjust = forms.AdjustForm(request.POST)
        if adjust.is_valid():
            try:
                score = services.adjust_score(request.user, score, **adjust.cleaned_data)
            except ValidationError as exc:
                forms.add_service_error(adjust, exc)
            else:
                return _saved(request, by, criterion, unit, score)
        return _score_cell(request, by, criterion, unit, score, adjust_form=adjust)
    _need(request, "campaigns.score", by)
    form = forms.ScoreForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            score = services.save_self_score(
                request.user,
                criterion,
                unit,
                points=data["points"],
                evidence=data["evidence"],
                version=data["version"],
            )
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            return _saved(request, by, criterion, unit, score)
    return _score_cell(request, by, criterion, unit, score, form=form)


def _saved(request, by, criterion, unit, score):
    if request.headers.get("HX-Request"):
        return _score_cell(request, by, criterion, unit, score, saved=True)
    messages.success(request, _("Score saved."))
    return _back(by, "scores")


@require_POST
@bloc_action
def ranking_compute(request, by):
    _need(request, "campaigns.run_bloc", by)
    try:
        services.compute_ranking(request.user, by.bloc, by.year)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Ranking computed. Check it, then publish it to the bloc."))
    return _back(by, "ranking")


@require_POST
@bloc_action
def ranking_publish(request, by):
    _need(request, "campaigns.run_bloc", by)
    ranking = get_object_or_404(Ranking, bloc=by.bloc, year=by.year)
    try:
        services.publish_ranking(request.user, ranking)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Ranking published to the bloc."))
    return _back(by, "ranking")
