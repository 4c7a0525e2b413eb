"""Reads of nominations scoped to the user, and the office / unit queue with its filters.

The queue is one query for the page (nominee, award, proposing unit joined; the deadline
and the count of unanswered objections as subqueries) plus the count for the paginator.
"""

import datetime as dt

from django.db.models import (
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from awards.models import Disclosure, Nomination, NominationLevel, NominationProposer, Objection
from awards.models.nominations import EDITABLE_STATES
from awards.nominations.rules import COUNCIL_STATES
from emulation_portal.permissions import is_council_member, is_office, is_unit_officer
from emulation_portal.text import fold
from units.models import BlocMembership
from units.rules import scope_q


def visible(user) -> QuerySet[Nomination]:
    """The office sees everything; a unit officer the nominations proposed by units in
    their scope; council members those accepted for the council and later; every staff
    member the nominees of published disclosures."""
    if not (user and user.is_authenticated and user.is_active):
        return Nomination.objects.none()
    if is_office(user):
        return Nomination.objects.all()
    disclosed = Q(Exists(Disclosure.nominations.through.objects.filter(nomination=OuterRef("pk"))))
    q = disclosed
    if is_unit_officer(user):
        q |= Q(pk__in=Nomination.objects.filter(scope_q(user, "proposing_unit__")).values("pk"))
    if is_council_member(user):
        q |= Q(state__in=COUNCIL_STATES)
    return Nomination.objects.filter(q)


def reviewable(user) -> QuerySet[Nomination]:
    """The nominations ``user`` reviews: all for the office; unit-level ones of their scope
    for a unit officer; in both cases none that ``user`` proposed."""
    if is_office(user):
        qs = Nomination.objects.all()
    elif is_unit_officer(user):
        qs = Nomination.objects.filter(
            scope_q(user, "proposing_unit__"), level=NominationLevel.UNIT
        )
    else:
        return Nomination.objects.none()
    return qs.exclude(
        Exists(NominationProposer.objects.filter(nomination=OuterRef("pk"), user_id=user.pk))
    )


def proposed_by(user, ids) -> set[int]:
    """Which of the nominations ``ids`` ``user`` proposed (one query)."""
    if not ids:
        return set()
    return set(
        NominationProposer.objects.filter(user_id=user.pk, nomination_id__in=ids).values_list(
            "nomination_id", flat=True
        )
    )


def _with_deadline(qs: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Annotate ``deadline``: the proposing unit's extension of the campaign's nominations
    phase, else the phase's own date (None without a campaign or phase)."""
    from campaigns.models import Phase, PhaseExtension, PhaseKind

    extension = PhaseExtension.objects.filter(
        phase__campaign=OuterRef("campaign"),
        phase__kind=PhaseKind.NOMINATIONS,
        unit=OuterRef("proposing_unit"),
    ).values("closes_on")[:1]
    phase = Phase.objects.filter(campaign=OuterRef("campaign"), kind=PhaseKind.NOMINATIONS).values(
        "closes_on"
    )[:1]
    return qs.annotate(
        deadline=Coalesce(
            Subquery(extension, output_field=DateField()),
            Subquery(phase, output_field=DateField()),
        )
    )


def with_queue_data(qs: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Join what a queue row shows and annotate ``deadline`` and ``open_objections``."""
    objections = (
        Objection.objects.filter(nomination=OuterRef("pk"), answered_at__isnull=True)
        .order_by()
        .values("nomination")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return _with_deadline(
        qs.select_related("person", "person__unit", "unit", "award_type", "proposing_unit", "batch")
    ).annotate(
        open_objections=Coalesce(Subquery(objections, output_field=IntegerField()), Value(0)),
    )


FILTERS = (
    "unit",
    "bloc",
    "award",
    "state",
    "eligible",
    "overdue",
    "year",
    "level",
    "q",
    "objections",
)


def queue(user, params) -> QuerySet[Nomination]:
    """The queue for ``user`` (office: everything; unit officer: their units'), filtered by
    ``params`` (a QueryDict or dict): unit (proposing unit id, subtree included), bloc (bloc
    id: the proposing or nominated unit is a member in the nomination's year), award (code),
    state, eligible (yes / no / unknown / override), overdue (1: still editable past the
    deadline), year, level, q (nominee name or code, accent-free), objections (open: with
    an objection not yet answered)."""
    if is_office(user):
        qs = Nomination.objects.all()
    elif is_unit_officer(user):  # the unit's queue: its own units' nominations only
        qs = Nomination.objects.filter(scope_q(user, "proposing_unit__"))
    else:
        qs = visible(user)
    get = params.get
    if get("unit"):
        from units.models import Unit

        unit = Unit.objects.filter(pk=_int(get("unit"))).only("path").first()
        qs = qs.filter(proposing_unit__path__startswith=unit.path) if unit else qs.none()
    if get("bloc"):
        members = BlocMembership.objects.filter(bloc_id=_int(get("bloc")), year=OuterRef("year"))
        qs = qs.filter(
            Exists(members.filter(unit=OuterRef("proposing_unit")))
            | Exists(members.filter(unit=OuterRef("unit")))
        )
    if get("award"):
        qs = qs.filter(award_type__code=get("award"))
    if get("state"):
        qs = qs.filter(state=get("state"))
    if get("year"):
        qs = qs.filter(year=_int(get("year")))
    if get("level"):
        qs = qs.filter(level=get("level"))
    eligible = get("eligible")
    if eligible == "yes":
        qs = qs.filter(eligible=True)
    elif eligible == "no":
        qs = qs.filter(eligible=False)
    elif eligible == "unknown":
        qs = qs.filter(eligible__isnull=True)
    elif eligible == "override":
        qs = qs.exclude(override_reason="")
    if get("q"):
        for word in fold(get("q")).split()[:6]:
            qs = qs.filter(
                Q(person__search_text__contains=word) | Q(unit__search_text__contains=word)
            )
    if get("overdue") in ("1", "true", "on"):
        qs = _with_deadline(qs).filter(state__in=EDITABLE_STATES, deadline__lt=timezone.localdate())
    if get("objections") == "open":
        qs = qs.filter(
            Exists(Objection.objects.filter(nomination=OuterRef("pk"), answered_at=None))
        )
    return qs.order_by(*QUEUE_ORDER)


QUEUE_ORDER = ("-year", "state", "award_type__order", "id")


def rows_for(ids) -> list[Nomination]:
    """The queue rows for a page of ids (from ``queue(...).values_list("pk")``), in that
    order, with what a row shows: one query. Paginating narrow ids first keeps the sort of
    a large queue cheap; the joins and subqueries run for the page only."""
    ids = list(ids)
    if not ids:
        return []
    by_id = {n.pk: n for n in with_queue_data(Nomination.objects.filter(pk__in=ids))}
    return [by_id[i] for i in ids if i in by_id]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def detail(pk: int) -> Nomination:
    return (
        Nomination.objects.select_related(
            "person",
            "person__unit",
            "unit",
            "award_type",
            "proposing_unit",
            "batch",
            "campaign",
            "verdict",
            "verdict__rule_set",
            "initiative",
            "acclamation",
            "override_by",
        )
        .prefetch_related("attachments", "comments__author", "objections__author")
        .get(pk=pk)
    )


def open_disclosures(today=None) -> QuerySet[Disclosure]:
    today = today or timezone.localdate()
    return Disclosure.objects.filter(starts_on__lte=today, ends_on__gte=today)


ENDING_DAYS = 7


def ending_disclosures(today=None) -> QuerySet[Disclosure]:
    """Open disclosures whose period ends within ``ENDING_DAYS`` days (today included)."""
    today = today or timezone.localdate()
    return open_disclosures(today).filter(ends_on__lte=today + dt.timedelta(days=ENDING_DAYS))
