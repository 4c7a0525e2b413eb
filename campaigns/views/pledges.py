"""The bloc's pledge pages: start, edit, open signing, sign, revise."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms, services
from campaigns.models import BlocMeeting, Pledge
from campaigns.selectors import BlocYear
from campaigns.views.common import _back, _need, _say, bloc_action
from units.models import Unit


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
