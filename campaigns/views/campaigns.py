"""Campaign pages: the list, create and edit, a campaign's page, its steps and phases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms, selectors, services
from campaigns.models import Campaign, CampaignKind, Phase
from campaigns.views.common import _current_year, _need, _say
from units.models import Unit


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
