"""Bloc meetings: create, the meeting's page, photos, minutes, votes and the result."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms, selectors, services
from campaigns.models import AwardCode, BlocMeeting, MeetingKind, MeetingPhoto
from campaigns.views.common import _need, _say, bloc_action
from units.models import Unit


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
