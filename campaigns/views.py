"""Pages for each role. Views check the page permission, call one service, and turn its
ValidationError into form errors (input kept) or a message; no business rule lives here."""

from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms, selectors, services
from campaigns.models import (
    AwardCode,
    BlocMeeting,
    Campaign,
    CampaignKind,
    MeetingKind,
    MeetingPhoto,
    Phase,
    Pledge,
    PledgeState,
    Ranking,
    Score,
)
from campaigns.selectors import BlocYear
from units.models import Bloc, Person, Unit


def _need(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _say(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _current_year() -> int:
    return timezone.localdate().year


def _year_param(request, default=None) -> int:
    try:
        return int(request.GET.get("year") or default or _current_year())
    except ValueError:
        return default or _current_year()


def bloc_action(view):
    """Load the bloc-year from the URL; hand the view ``request, by``."""

    @wraps(view)
    def wrapper(request, bloc_id, year, *args, **kwargs):
        bloc = get_object_or_404(Bloc, pk=bloc_id)
        return view(request, BlocYear(bloc, year), *args, **kwargs)

    return login_required(wrapper)


def _back(by: BlocYear, anchor: str = ""):
    from django.urls import reverse

    url = reverse("campaigns:bloc-year", args=[by.bloc.pk, by.year])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- campaigns -----------------------------------------------------------------------------


@login_required
def campaign_list(request):
    _need(request, "campaigns.browse")
    year = request.GET.get("year")
    campaigns = selectors.campaigns_list(int(year) if year and year.isdigit() else None)
    # the home page's links: exactly the campaigns it counted
    todo = request.GET.get("todo") == "register"
    unregistered = request.GET.get("registrations") == "none"
    if todo:
        campaigns = campaigns.filter(
            pk__in=selectors.campaigns_to_register(request.user, timezone.localdate()).values("pk")
        )
    if unregistered:
        campaigns = campaigns.filter(
            pk__in=selectors.campaigns_without_registrations().values("pk")
        )
    years = Campaign.objects.order_by("-year").values_list("year", flat=True).distinct()
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns,
            "years": years,
            "year": year,
            "can_manage": request.user.has_perm("campaigns.manage_campaign"),
            "filtered": todo or unregistered,
        },
    )


@login_required
def campaign_create(request):
    _need(request, "campaigns.manage_campaign")
    form = forms.CampaignForm(
        request.POST or None, initial={"year": _current_year(), "kind": CampaignKind.ANNUAL}
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
def campaign_edit(request, pk):
    _need(request, "campaigns.manage_campaign")
    campaign = get_object_or_404(Campaign, pk=pk)
    initial = {f: getattr(campaign, f) for f in services.CAMPAIGN_FIELDS}
    form = forms.CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(request.user, campaign, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk):
    _need(request, "campaigns.browse")
    campaign = get_object_or_404(Campaign.objects.select_related("launched_by"), pk=pk)
    user = request.user
    ctx = {"campaign": campaign, "phases": campaign.phases.order_by("opens_on")}
    if user.has_perm("campaigns.view_all"):
        ctx.update(selectors.campaign_dashboard(campaign))
        ctx["can_manage"] = user.has_perm("campaigns.manage_campaign")
        ctx["launch_form"] = forms.LaunchForm()
        ctx["phase_form"] = forms.PhaseForm()
        ctx["extension_form"] = forms.ExtensionForm(units=Unit.objects.order_by("code"))
    if user.has_perm("campaigns.register"):
        ctx["my_registrations"] = list(selectors.registrations_for(user, campaign))
        ctx["can_register"] = campaign.state == "launched"
    return render(request, "campaigns/campaign_detail.html", ctx)


def _campaign_post(request, pk, func, ok_message, form_class=None):
    campaign = get_object_or_404(Campaign, pk=pk)
    kwargs = {}
    if form_class:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors.as_text())
            return redirect("campaigns:detail", pk=pk)
        kwargs = form.cleaned_data
    try:
        func(request.user, campaign, **kwargs)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, ok_message)
    return redirect("campaigns:detail", pk=pk)


@require_POST
@login_required
def campaign_launch(request, pk):
    _need(request, "campaigns.manage_campaign")
    return _campaign_post(
        request, pk, services.launch_campaign, _("Campaign launched."), forms.LaunchForm
    )


@require_POST
@login_required
def campaign_close(request, pk):
    _need(request, "campaigns.manage_campaign")
    return _campaign_post(request, pk, services.close_campaign, _("Campaign closed."))


@require_POST
@login_required
def campaign_phase(request, pk):
    _need(request, "campaigns.manage_campaign")
    return _campaign_post(request, pk, services.set_phase, _("Phase saved."), forms.PhaseForm)


@require_POST
@login_required
def campaign_remind(request, pk):
    _need(request, "campaigns.remind")
    campaign = get_object_or_404(Campaign, pk=pk)
    sent = services.remind_unregistered(request.user, campaign)
    messages.success(request, _("Reminder sent to %(n)s units.") % {"n": len(sent)})
    return redirect("campaigns:detail", pk=pk)


@require_POST
@login_required
def phase_extend(request, pk, phase_id):
    _need(request, "campaigns.extend_deadline")
    phase = get_object_or_404(Phase, pk=phase_id, campaign_id=pk)
    form = forms.ExtensionForm(request.POST, units=Unit.objects.all())
    if form.is_valid():
        try:
            services.extend_phase(request.user, phase, **form.cleaned_data)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, _("Deadline extended."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors.as_text())
    return redirect("campaigns:detail", pk=pk)


# --- registration --------------------------------------------------------------------------


@login_required
def registration_edit(request, pk):
    _need(request, "campaigns.register")
    campaign = get_object_or_404(Campaign, pk=pk)
    units = Unit.objects.filter(selectors.scope_filter(request.user)).order_by("code")
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    existing = None
    if unit_id and str(unit_id).isdigit():
        existing = (
            selectors.registrations_for(request.user, campaign)
            .filter(unit_id=unit_id)
            .prefetch_related("entries__person")
            .first()
        )
    initial = {"unit": unit_id}
    if existing:
        initial.update(
            collective_title=existing.collective_title,
            targets=existing.targets,
            people="\n".join(
                f"{e.person.code} {e.title_code}"
                for e in existing.entries.all()
                if e.kind == "person"
            ),
            initiatives="\n".join(
                e.initiative_title for e in existing.entries.all() if e.kind == "initiative"
            ),
        )
    # Past the deadline (for the chosen unit, or for every unit in scope) the form is shown
    # read-only with the reason at the top, instead of refusing only on saving.
    candidates = [u for u in units if str(u.pk) == str(unit_id)] if unit_id else list(units)
    reasons = [services.registration_closed_reason(campaign, u) for u in candidates]
    closed_reason = reasons[0] if reasons and all(reasons) else None
    example = (
        Person.objects.filter(unit__in=units).order_by("code").values_list("code", flat=True)
    ).first()
    form = forms.RegistrationForm(
        request.POST or None,
        initial=initial,
        units=units,
        example_code=example,
        read_only=bool(closed_reason),
    )
    if request.method == "POST" and closed_reason:
        messages.error(request, closed_reason)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_registration(
                request.user,
                campaign,
                data["unit"],
                collective_title=data["collective_title"],
                targets=data["targets"],
                people=[services.PersonTarget(p, t) for p, t in data["people"]],
                initiatives=data["initiatives"],
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        except PermissionDenied:
            form.add_error("unit", _("You can only register your own unit."))
        else:
            messages.success(request, _("Registration saved."))
            return redirect("campaigns:detail", pk=pk)
    return render(
        request,
        "campaigns/registration_form.html",
        {
            "form": form,
            "campaign": campaign,
            "existing": existing,
            "closed_reason": closed_reason,
        },
    )


# --- blocs ---------------------------------------------------------------------------------


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


def _pledge_of(by: BlocYear, pledge_id) -> Pledge:
    return get_object_or_404(Pledge, pk=pledge_id, bloc=by.bloc, year=by.year)


@require_POST
@bloc_action
def pledge_start(request, by):
    _need(request, "campaigns.run_bloc", by)
    try:
        services.start_pledge(request.user, by.bloc, by.year)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Pledge started from last year's."))
    return _back(by, "pledge")


@bloc_action
def pledge_edit(request, by, pledge_id):
    _need(request, "campaigns.run_bloc", by)
    pledge = _pledge_of(by, pledge_id)
    meetings = BlocMeeting.objects.filter(bloc=by.bloc, year=by.year)
    form = forms.PledgeForm(
        request.POST or None,
        meetings=meetings,
        initial={
            "title": pledge.title,
            "text": pledge.text,
            "targets": pledge.targets,
            "signing_meeting": pledge.signing_meeting_id,
        },
    )
    initial = [
        {"name": c.name, "kind": c.kind, "max_points": c.max_points}
        for c in pledge.criteria.order_by("order")
    ]
    formset = forms.CriterionFormSet(request.POST or None, initial=initial, prefix="crit")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                services.update_pledge(request.user, pledge, **form.cleaned_data)
                services.set_criteria(
                    request.user,
                    pledge,
                    [f.cleaned_data for f in formset.forms if f.cleaned_data.get("name")],
                )
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Pledge saved."))
            return _back(by, "pledge")
    return render(
        request,
        "campaigns/pledge_form.html",
        {"by": by, "pledge": pledge, "form": form, "formset": formset},
    )


@require_POST
@bloc_action
def pledge_open(request, by, pledge_id):
    _need(request, "campaigns.run_bloc", by)
    try:
        services.open_signing(request.user, _pledge_of(by, pledge_id))
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The pledge is open for signing."))
    return _back(by, "pledge")


@require_POST
@bloc_action
def pledge_sign(request, by, pledge_id):
    pledge = _pledge_of(by, pledge_id)
    _need(request, "campaigns.sign_pledge", pledge)
    unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
    try:
        services.sign_pledge(request.user, pledge, unit)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("%(unit)s has signed the pledge.") % {"unit": unit})
    return _back(by, "pledge")


@bloc_action
def pledge_revise(request, by, pledge_id):
    _need(request, "campaigns.run_bloc", by)
    pledge = _pledge_of(by, pledge_id)
    form = forms.ReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revise_pledge(request.user, pledge, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("A new version was started; every unit signs again."))
            return _back(by, "pledge")
    return render(
        request, "campaigns/pledge_revise.html", {"by": by, "pledge": pledge, "form": form}
    )


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


# --- meetings ------------------------------------------------------------------------------


def _member_units(by):
    return Unit.objects.filter(
        bloc_memberships__bloc=by.bloc, bloc_memberships__year=by.year
    ).order_by("code")


@bloc_action
def meeting_create(request, by):
    _need(request, "campaigns.run_bloc", by)
    units = _member_units(by)
    form = forms.MeetingForm(
        request.POST or None,
        units=units,
        initial={"kind": request.GET.get("kind") or MeetingKind.SIGNING},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                request.user, by.bloc, by.year, attendees=list(data.pop("attendees")), **data
            )
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect(
                "campaigns:meeting", bloc_id=by.bloc.pk, year=by.year, meeting_id=meeting.pk
            )
    return render(request, "campaigns/meeting_form.html", {"by": by, "form": form})


def _meeting_of(by, meeting_id) -> BlocMeeting:
    return get_object_or_404(
        BlocMeeting.objects.select_related("host"), pk=meeting_id, bloc=by.bloc, year=by.year
    )


@bloc_action
def meeting_detail(request, by, meeting_id):
    _need(request, "campaigns.view_bloc_year", by)
    meeting = _meeting_of(by, meeting_id)
    user = request.user
    units = _member_units(by)
    ctx = {
        "by": by,
        "meeting": meeting,
        "photos": meeting.photos.all(),
        "attendees": meeting.attendees.order_by("code"),
        "is_leader": user.has_perm("campaigns.run_bloc", by),
    }
    if meeting.kind == MeetingKind.YEAR_END:
        from campaigns.services import tally

        votes = list(meeting.votes.values_list("award_code", "candidate_id", "voting_unit_id"))
        election = list(
            meeting.election_votes.values_list("office", "candidate_id", "voting_unit_id")
        )
        names = {u.pk: u for u in units}
        results = []
        for label, cast in (
            (AwardCode.CO_BO.label, [c for a, c, _v in votes if a == "CO_BO"]),
            (AwardCode.BK_BO.label, [c for a, c, _v in votes if a == "BK_BO"]),
            (_("Next year's leader"), [c for o, c, _v in election if o == "leader"]),
            (_("Next year's deputy"), [c for o, c, _v in election if o == "deputy"]),
        ):
            results.append(
                {
                    "label": label,
                    "cast": len(cast),
                    "rows": [(names.get(cid), n) for cid, n in tally(cast, {})],
                }
            )
        ctx["results"] = results
        ctx["voted_units"] = {v for *_r, v in votes} | {v for *_r, v in election}
        ctx["proposals"] = meeting.proposals.select_related("unit")
        mine = selectors.member_units_for(user, by.bloc.pk, by.year)
        if mine and not meeting.result_recorded_at:
            ctx["vote_form"] = forms.VoteForm(
                voters=Unit.objects.filter(pk__in=[u.pk for u in mine]), candidates=units
            )
    if ctx["is_leader"] and not meeting.result_recorded_at:
        ctx["minutes_form"] = forms.MinutesForm(
            units=units, initial={"minutes": meeting.minutes, "attendees": list(ctx["attendees"])}
        )
        ctx["photo_form"] = forms.PhotoForm()
    return render(request, "campaigns/meeting_detail.html", ctx)


@bloc_action
def meeting_photo_file(request, by, meeting_id, photo_id):
    """A meeting's photo, to whoever may see the meeting (media files are not public:
    these are internal records). Served inline as the image type detected at upload."""
    from django.http import FileResponse, Http404

    from emulation_portal.uploads import IMAGE_TYPES, check_image

    _need(request, "campaigns.view_bloc_year", by)
    meeting = _meeting_of(by, meeting_id)
    photo = get_object_or_404(MeetingPhoto, pk=photo_id, meeting=meeting)
    types = {ext: content_type for content_type, ext in IMAGE_TYPES.values()}
    extension = photo.image.name.rsplit(".", 1)[-1].lower()
    try:
        handle = photo.image.open("rb")
    except OSError:
        raise Http404 from None
    if extension not in types:  # stored before names followed the detected type
        try:
            extension = check_image(handle).extension
        except ValidationError:
            handle.close()
            raise Http404 from None
    response = FileResponse(
        handle,
        content_type=types[extension],
        as_attachment=False,
        filename=f"anh-{meeting.pk}-{photo.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _to_meeting(by, meeting):
    return redirect("campaigns:meeting", bloc_id=by.bloc.pk, year=by.year, meeting_id=meeting.pk)


@require_POST
@bloc_action
def meeting_minutes(request, by, meeting_id):
    _need(request, "campaigns.run_bloc", by)
    meeting = _meeting_of(by, meeting_id)
    form = forms.MinutesForm(request.POST, units=_member_units(by))
    if form.is_valid():
        try:
            services.update_meeting(
                request.user,
                meeting,
                minutes=form.cleaned_data["minutes"],
                attendees=list(form.cleaned_data["attendees"]),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Minutes saved."))
    return _to_meeting(by, meeting)


@require_POST
@bloc_action
def meeting_photo(request, by, meeting_id):
    _need(request, "campaigns.run_bloc", by)
    meeting = _meeting_of(by, meeting_id)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                request.user,
                meeting,
                form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, _("Photo added."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors.as_text())
    return _to_meeting(by, meeting)


@require_POST
@bloc_action
def meeting_vote(request, by, meeting_id):
    meeting = _meeting_of(by, meeting_id)
    _need(request, "campaigns.vote", meeting)
    mine = selectors.member_units_for(request.user, by.bloc.pk, by.year)
    form = forms.VoteForm(
        request.POST,
        voters=Unit.objects.filter(pk__in=[u.pk for u in mine]),
        candidates=_member_units(by),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors.as_text())
        return _to_meeting(by, meeting)
    data = form.cleaned_data
    try:
        with transaction.atomic():  # the whole ballot or nothing
            for name, kind, code in forms.VoteForm.QUESTIONS:
                if not data.get(name):
                    continue
                if kind == "acclamation":
                    services.cast_acclamation_vote(
                        request.user,
                        meeting,
                        voting_unit=data["voting_unit"],
                        award_code=code,
                        candidate=data[name],
                    )
                else:
                    services.cast_election_vote(
                        request.user,
                        meeting,
                        voting_unit=data["voting_unit"],
                        office=code,
                        candidate=data[name],
                    )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Vote recorded."))
    return _to_meeting(by, meeting)


@require_POST
@bloc_action
def meeting_result(request, by, meeting_id):
    _need(request, "campaigns.run_bloc", by)
    meeting = _meeting_of(by, meeting_id)
    try:
        result = services.record_meeting_result(request.user, meeting)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(
            request,
            _("Result recorded: %(n)s proposals; next year's leader: %(leader)s.")
            % {"n": len(result.proposals), "leader": result.leader or "-"},
        )
    return _to_meeting(by, meeting)


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
