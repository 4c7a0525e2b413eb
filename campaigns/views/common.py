"""What the campaign pages share: the permission check, errors as messages, the year
from the query string, the bloc-year loader and the way back to the bloc-year page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from campaigns.selectors import BlocYear
from units.models import Bloc


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
