"""A unit's registration for a campaign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaigns import forms, selectors, services
from campaigns.models import Campaign
from campaigns.views.common import _need
from units.models import Person, Unit


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
