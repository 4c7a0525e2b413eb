"""Reads for campaigns pages and API, scoped to the user, each in a fixed number of queries.

Scope: a unit officer acts for the units their ``UnitOfficer`` rows cover (the unit and its
sub-units, by materialised path). The bloc leader's officer is an officer covering the unit
whose membership role is ``leader`` in the bloc that year.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from campaigns.models import (
    Campaign,
    CampaignKind,
    CampaignState,
    Criterion,
    Phase,
    PhaseKind,
    Pledge,
    PledgeState,
    Ranking,
    Registration,
    Score,
    Signature,
)
from units.models import Bloc, BlocMembership, BlocRole, Unit, UnitOfficer


@dataclass(frozen=True)
class BlocYear:
    """A bloc in one year: the object bloc-wide permissions are checked on."""

    bloc: Bloc
    year: int

    @property
    def pk(self):  # rules and templates only need something hashable and printable
        return f"{self.bloc.pk}:{self.year}"

    def __str__(self):
        return f"{self.bloc} {self.year}"


def bloc_year_of(obj) -> tuple[int, int] | None:
    """(bloc id, year) of any campaigns object that belongs to a bloc-year."""
    if obj is None:
        return None
    if hasattr(obj, "bloc_id") and hasattr(obj, "year"):
        return obj.bloc_id, obj.year
    if isinstance(obj, BlocYear):
        return obj.bloc.pk, obj.year
    for attr in ("pledge", "meeting", "ranking", "criterion"):
        inner = getattr(obj, attr, None)
        if inner is not None:
            return bloc_year_of(inner)
    return None


def officer_paths(user) -> list[str]:
    """The materialised paths of the units ``user`` is officer of (cached on the user)."""
    if not (user and user.is_authenticated):
        return []
    cached = getattr(user, "_campaigns_officer_paths", None)
    if cached is None:
        cached = list(UnitOfficer.objects.filter(user=user).values_list("unit__path", flat=True))
        user._campaigns_officer_paths = cached
    return cached


def covers(paths: list[str], unit_path: str) -> bool:
    return any(unit_path.startswith(p) for p in paths if p)


def covers_unit(user, unit: Unit) -> bool:
    return covers(officer_paths(user), unit.path)


def scope_filter(user, field: str = "") -> Q:
    """A Q selecting units (through ``field``, e.g. "unit__") in the user's scope."""
    paths = officer_paths(user)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}path__startswith": p})
    return q


def memberships(bloc_id: int, year: int) -> list[BlocMembership]:
    return list(
        BlocMembership.objects.filter(bloc_id=bloc_id, year=year)
        .select_related("unit")
        .order_by("unit__code")
    )


def _bloc_memberships_cached(user, bloc_id: int, year: int) -> list[BlocMembership]:
    cache = getattr(user, "_campaigns_memberships", None)
    if cache is None:
        cache = {}
        if user is not None:
            user._campaigns_memberships = cache
    key = (bloc_id, year)
    if key not in cache:
        cache[key] = memberships(bloc_id, year)
    return cache[key]


def member_units_for(user, bloc_id: int, year: int) -> list[Unit]:
    """The bloc's member units (that year) the user acts for."""
    paths = officer_paths(user)
    if not paths:
        return []
    return [
        m.unit for m in _bloc_memberships_cached(user, bloc_id, year) if covers(paths, m.unit.path)
    ]


def is_leader_officer(user, bloc_id: int, year: int) -> bool:
    paths = officer_paths(user)
    if not paths:
        return False
    return any(
        m.role == BlocRole.LEADER and covers(paths, m.unit.path)
        for m in _bloc_memberships_cached(user, bloc_id, year)
    )


def is_member_officer(user, bloc_id: int, year: int) -> bool:
    return bool(member_units_for(user, bloc_id, year))


def blocs_for(user, year: int) -> list[BlocMembership]:
    """The bloc memberships (that year) of units in the user's scope, with the bloc."""
    paths = officer_paths(user)
    if not paths:
        return []
    return list(
        BlocMembership.objects.filter(scope_filter(user, "unit__"), year=year)
        .select_related("bloc", "unit")
        .order_by("bloc__kind", "bloc__code")
    )


def current_pledge(bloc_id: int, year: int) -> Pledge | None:
    return (
        Pledge.objects.filter(bloc_id=bloc_id, year=year)
        .exclude(state=PledgeState.SUPERSEDED)
        .first()
    )


def last_locked_pledge(bloc_id: int, year: int) -> Pledge | None:
    return (
        Pledge.objects.filter(bloc_id=bloc_id, year=year, state=PledgeState.LOCKED)
        .order_by("-version")
        .first()
    )


def annual_campaign(year: int) -> Campaign | None:
    return Campaign.objects.filter(year=year, kind=CampaignKind.ANNUAL).first()


def campaigns_list(year: int | None = None):
    qs = Campaign.objects.all()
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(n_registrations=Count("registrations", distinct=True))


def phase_deadline(phase: Phase, unit: Unit):
    """The deadline of ``phase`` for ``unit``: its extension if it has one."""
    ext = phase.extensions.filter(unit=unit).values_list("closes_on", flat=True).first()
    return ext or phase.closes_on


def expected_units(campaign: Campaign) -> list[Unit]:
    """Units expected to register: every unit in a bloc or cluster that year."""
    return list(
        Unit.objects.filter(bloc_memberships__year=campaign.year).distinct().order_by("code")
    )


def registration_status(campaign: Campaign) -> dict:
    """Who has and has not registered for ``campaign`` (three queries)."""
    units = expected_units(campaign)
    regs = {
        r.unit_id: r
        for r in Registration.objects.filter(campaign=campaign).annotate(n_entries=Count("entries"))
    }
    registered = [(u, regs[u.pk]) for u in units if u.pk in regs]
    extra = [r for uid, r in regs.items() if uid not in {u.pk for u in units}]
    missing = [u for u in units if u.pk not in regs or regs[u.pk].state != "submitted"]
    return {"registered": registered, "extra": extra, "missing": missing, "total": len(units)}


def registrations_for(user, campaign: Campaign | None = None):
    qs = Registration.objects.select_related("campaign", "unit")
    if not user.has_perm("campaigns.view_all"):
        qs = qs.filter(scope_filter(user, "unit__"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def _totals(scores) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"standard": Decimal(0), "bonus": Decimal(0), "penalty": Decimal(0)}
    )
    for unit_id, kind, self_points, final_points in scores:
        points = self_points if final_points is None else final_points
        out[unit_id][kind] += points
    return out


def score_totals(pledge_id: int) -> dict[int, dict[str, Decimal]]:
    """Per unit id: standard, bonus and penalty points (adjusted where adjusted)."""
    rows = Score.objects.filter(criterion__pledge_id=pledge_id).values_list(
        "unit_id", "criterion__kind", "self_points", "final_points"
    )
    return _totals(rows)


def bloc_member_years(bloc_id: int, years: list[int]) -> set[int]:
    """Those of ``years`` in which the bloc has at least one member unit."""
    return set(
        BlocMembership.objects.filter(bloc_id=bloc_id, year__in=years)
        .values_list("year", flat=True)
        .distinct()
    )


def bloc_year_page(bloc: Bloc, year: int) -> dict:
    """Everything the bloc-year page shows, in a fixed number of queries."""
    members = memberships(bloc.pk, year)
    pledge = current_pledge(bloc.pk, year)
    criteria, signatures, grid = [], {}, {}
    if pledge:
        criteria = list(pledge.criteria.all())
        signatures = {
            s.unit_id: s
            for s in Signature.objects.filter(pledge=pledge).select_related("signed_by")
        }
        for s in Score.objects.filter(criterion__pledge=pledge).select_related("adjusted_by"):
            grid[(s.unit_id, s.criterion_id)] = s
    ranking = Ranking.objects.filter(bloc=bloc, year=year).prefetch_related("entries__unit").first()
    meetings = list(
        bloc.meetings.filter(year=year)
        .select_related("host")
        .prefetch_related("photos", "attendees")
        .order_by("held_on")
    )
    return {
        "members": members,
        "pledge": pledge,
        "criteria": criteria,
        "signatures": signatures,
        "grid": grid,
        "ranking": ranking,
        "meetings": meetings,
    }


def all_blocs_overview(year: int) -> list[dict]:
    """The office's all-bloc view for ``year``: per bloc, members, pledge signed x of y,
    scoring done x of y, ranking published, the top unit. Five queries whatever the size."""
    blocs = list(Bloc.objects.order_by("kind", "code"))
    member_counts = dict(
        BlocMembership.objects.filter(year=year)
        .values_list("bloc_id")
        .annotate(n=Count("id"))
        .values_list("bloc_id", "n")
    )
    pledges = {
        p.bloc_id: p
        for p in Pledge.objects.filter(year=year)
        .exclude(state=PledgeState.SUPERSEDED)
        .annotate(
            n_signed=Count("signatures", distinct=True),
            n_criteria=Count("criteria", distinct=True),
        )
    }
    # units that scored every criterion of their bloc's current pledge
    per_unit = (
        Score.objects.filter(criterion__pledge_id__in=[p.pk for p in pledges.values()])
        .values("criterion__pledge_id", "unit_id")
        .annotate(n=Count("id"))
    )
    done: dict[int, int] = defaultdict(int)
    criteria_by_pledge = {p.pk: p.n_criteria for p in pledges.values()}
    for row in per_unit:
        pid = row["criterion__pledge_id"]
        if criteria_by_pledge.get(pid) and row["n"] >= criteria_by_pledge[pid]:
            done[pid] += 1
    rankings = {
        r.bloc_id: r for r in Ranking.objects.filter(year=year).prefetch_related("entries__unit")
    }
    out = []
    for bloc in blocs:
        pledge = pledges.get(bloc.pk)
        ranking = rankings.get(bloc.pk)
        entries = list(ranking.entries.all()) if ranking else []
        out.append(
            {
                "bloc": bloc,
                "members": member_counts.get(bloc.pk, 0),
                "pledge": pledge,
                "signed": pledge.n_signed if pledge else 0,
                "scored": done.get(pledge.pk, 0) if pledge else 0,
                "ranking": ranking,
                "top": entries[0] if entries else None,
            }
        )
    return out


def campaign_dashboard(campaign: Campaign) -> dict:
    phases = list(campaign.phases.order_by("opens_on"))
    return {
        "phases": phases,
        "blocs": all_blocs_overview(campaign.year),
        "registration": registration_status(campaign),
        "registration_phase": next((p for p in phases if p.kind == PhaseKind.REGISTRATION), None),
    }


def criteria_of(pledge: Pledge) -> list[Criterion]:
    return list(pledge.criteria.order_by("order"))


# --- the home page's things to do (campaigns.home) ------------------------------------------


def pledges_to_sign(user, year: int):
    """The user's units' bloc memberships of ``year`` whose bloc pledge is out for signing
    and not yet signed for that unit."""
    signing = Pledge.objects.filter(
        bloc=OuterRef("bloc"), year=OuterRef("year"), state=PledgeState.SIGNING
    )
    signed = Signature.objects.filter(
        pledge__bloc=OuterRef("bloc"),
        pledge__year=OuterRef("year"),
        pledge__state=PledgeState.SIGNING,
        unit=OuterRef("unit"),
    )
    return BlocMembership.objects.filter(
        scope_filter(user, "unit__"), Exists(signing), ~Exists(signed), year=year
    )


def scores_due(user, year: int, today):
    """The user's units' bloc memberships of ``year`` with a criterion of the bloc's locked
    pledge still unscored for that unit, while scoring is open (the annual campaign's
    scoring phase has begun and the bloc's ranking is not published)."""
    unscored = Criterion.objects.filter(
        pledge__bloc=OuterRef("bloc"),
        pledge__year=OuterRef("year"),
        pledge__state=PledgeState.LOCKED,
    ).exclude(
        Exists(Score.objects.filter(criterion=OuterRef("pk"), unit=OuterRef(OuterRef("unit"))))
    )
    published = Ranking.objects.filter(
        bloc=OuterRef("bloc"), year=OuterRef("year"), published_at__isnull=False
    )
    scoring = Phase.objects.filter(
        campaign__year=year,
        campaign__kind=CampaignKind.ANNUAL,
        kind=PhaseKind.SCORING,
        opens_on__lte=today,
    )
    if not scoring.exists():
        return BlocMembership.objects.none()
    return BlocMembership.objects.filter(
        scope_filter(user, "unit__"), Exists(unscored), ~Exists(published), year=year
    )


def scoring_phase(year: int) -> Phase | None:
    return Phase.objects.filter(
        campaign__year=year, campaign__kind=CampaignKind.ANNUAL, kind=PhaseKind.SCORING
    ).first()


def campaigns_to_register(user, today):
    """Launched campaigns whose registration phase is open today and that a unit of the
    user's (a bloc or cluster member in the campaign's year) has not submitted for."""
    expected = BlocMembership.objects.filter(scope_filter(user, "unit__"), year=OuterRef("year"))
    submitted = Registration.objects.filter(
        campaign=OuterRef(OuterRef("pk")), unit=OuterRef("unit"), state="submitted"
    )
    open_phase = Phase.objects.filter(
        campaign=OuterRef("pk"),
        kind=PhaseKind.REGISTRATION,
        opens_on__lte=today,
        closes_on__gte=today,
    )
    return Campaign.objects.filter(
        Exists(open_phase),
        Exists(expected.exclude(Exists(submitted))),
        state=CampaignState.LAUNCHED,
    )


def campaigns_without_registrations():
    """Launched campaigns no unit has registered for yet."""
    return Campaign.objects.filter(state=CampaignState.LAUNCHED).exclude(
        Exists(Registration.objects.filter(campaign=OuterRef("pk")))
    )
