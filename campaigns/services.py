"""Every write in campaigns: one function per workflow step.

Each function takes the acting user first, runs in one transaction, locks the row it moves
(``select_for_update``) or updates conditionally, records an audit event, and starts any
after-commit work with ``jobs.enqueue``. Refusals raise ``ValidationError`` (bad input or a
state that does not allow the step) or ``PermissionDenied`` (not the actor's business), with
messages for the user. Permission checks live here too, so pages, API and admin agree.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns import selectors, tasks
from campaigns.models import (
    TIE_RULES,
    AcclamationProposal,
    AcclamationVote,
    AwardCode,
    BlocMeeting,
    Campaign,
    CampaignKind,
    CampaignState,
    Criterion,
    CriterionKind,
    ElectionVote,
    MeetingKind,
    MeetingPhoto,
    Phase,
    PhaseExtension,
    PhaseKind,
    Pledge,
    PledgeState,
    Ranking,
    RankingEntry,
    Registration,
    RegistrationEntry,
    Score,
    Signature,
)
from emulation_portal import audit
from units.models import MAX_YEAR, MIN_YEAR, Bloc, BlocMembership, BlocRole, Person, Unit

CAMPAIGN_FIELDS = ["year", "kind", "name", "theme", "description", "starts_on", "ends_on"]

# The campaign's life: draft -> launched -> closed.
CAMPAIGN_MOVES = {
    "launch": ({CampaignState.DRAFT}, CampaignState.LAUNCHED),
    "close": ({CampaignState.LAUNCHED}, CampaignState.CLOSED),
}

# The pledge's life: draft -> signing -> locked -> superseded (by a new draft version).
PLEDGE_MOVES = {
    "open_signing": ({PledgeState.DRAFT}, PledgeState.SIGNING),
    "lock": ({PledgeState.SIGNING}, PledgeState.LOCKED),
    "supersede": ({PledgeState.LOCKED, PledgeState.SIGNING}, PledgeState.SUPERSEDED),
}

TIE_BREAK = gettext_noop(
    "total points (higher first), then points on standard criteria (higher first), then "
    "penalty points (fewer first), then the previous year's rank in the bloc (better "
    "first; units unranked last year come after), then the unit code (alphabetical)"
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


# The business date. Only the demo seeder moves it (to write past years' history through
# the same services); nothing a user sends can.
_as_of: ContextVar[date | None] = ContextVar("campaigns_as_of", default=None)


def _today() -> date:
    return _as_of.get() or timezone.localdate()


@contextmanager
def as_of(day: date):
    """Run the services as on ``day`` (deadlines are checked against it)."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def _require(user, perm: str, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _when(at):
    """``at`` records an act done on paper earlier (e.g. the signatures at the signing
    meeting, entered afterwards); never in the future. Default: now."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValidationError(_("The date cannot be in the future."))
    return at


def _move(table: dict, name: str, current: str) -> str:
    allowed, target = table[name]
    if current not in allowed:
        raise ValidationError(
            _("This step is not possible in the current state (%(state)s).") % {"state": current}
        )
    return target


def _points(value, label: str) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({label: _("Enter a number of points.")}) from None
    if not points.is_finite():
        raise ValidationError({label: _("Enter a number of points.")})
    return points


# --- campaigns ---------------------------------------------------------------------------


def _check_campaign(data: dict, exclude_pk=None):
    year = data["year"]
    if not (isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR):
        raise ValidationError(
            {
                "year": _("The year %(year)s is out of range (%(min)s-%(max)s).")
                % {"year": data["year"], "min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    if data["kind"] == "annual":
        clash = Campaign.objects.filter(year=data["year"], kind="annual").exclude(pk=exclude_pk)
        if clash.exists():
            raise ValidationError(
                {"year": _("There is already an annual campaign for %(year)s.") % data}
            )


@transaction.atomic
def create_campaign(actor, **data) -> Campaign:
    """Create a draft campaign (office only)."""
    _require(actor, "campaigns.manage_campaign")
    data = {k: data.get(k, "") for k in CAMPAIGN_FIELDS}
    _check_campaign(data)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(**data)
    except IntegrityError:
        raise ValidationError(
            {"year": _("There is already an annual campaign for %(year)s.") % data}
        ) from None
    audit.record(
        actor, "campaign.create", campaign, after=audit.snapshot(campaign, CAMPAIGN_FIELDS)
    )
    return campaign


@transaction.atomic
def update_campaign(actor, campaign: Campaign, **data) -> Campaign:
    """Change a campaign's name, theme, dates (not once closed)."""
    _require(actor, "campaigns.manage_campaign")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state == CampaignState.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."))
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    merged = {**before, **{k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}}
    for k in ("starts_on", "ends_on"):
        if isinstance(merged[k], str):
            merged[k] = date.fromisoformat(merged[k])
    _check_campaign(merged, exclude_pk=campaign.pk)
    for k, v in merged.items():
        setattr(campaign, k, v)
    campaign.save()
    audit.record(
        actor,
        "campaign.update",
        campaign,
        before=before,
        after=audit.snapshot(campaign, CAMPAIGN_FIELDS),
    )
    return campaign


@transaction.atomic
def launch_campaign(actor, campaign: Campaign, *, reference: str = "") -> Campaign:
    """Launch (phát động) a draft campaign: records when, by whom and the document."""
    _require(actor, "campaigns.manage_campaign")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.state = _move(CAMPAIGN_MOVES, "launch", campaign.state)
    campaign.launched_at = timezone.now()
    campaign.launched_by = actor
    campaign.launch_reference = reference[:200]
    campaign.save(update_fields=["state", "launched_at", "launched_by", "launch_reference"])
    audit.record(
        actor,
        "campaign.launch",
        campaign,
        before={"state": "draft"},
        after={"state": campaign.state, "reference": campaign.launch_reference},
    )
    return campaign


@transaction.atomic
def close_campaign(actor, campaign: Campaign) -> Campaign:
    """Close a launched campaign; registrations are no longer accepted."""
    _require(actor, "campaigns.manage_campaign")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.state = _move(CAMPAIGN_MOVES, "close", campaign.state)
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["state", "closed_at"])
    audit.record(
        actor,
        "campaign.close",
        campaign,
        before={"state": "launched"},
        after={"state": campaign.state},
    )
    return campaign


@transaction.atomic
def set_phase(actor, campaign: Campaign, *, kind: str, opens_on: date, closes_on: date) -> Phase:
    """Create or move the phase ``kind`` of ``campaign``."""
    _require(actor, "campaigns.manage_campaign")
    if kind not in PhaseKind.values:
        raise ValidationError({"kind": _("Unknown phase.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The deadline is before the opening date.")})
    phase = Phase.objects.select_for_update().filter(campaign=campaign, kind=kind).first()
    before = audit.snapshot(phase, ["opens_on", "closes_on"]) if phase else None
    if phase is None:
        phase = Phase(campaign=campaign, kind=kind)
    phase.opens_on, phase.closes_on = opens_on, closes_on
    phase.save()
    audit.record(
        actor,
        "campaign.set_phase",
        phase,
        before=before,
        after=audit.snapshot(phase, ["kind", "opens_on", "closes_on"]),
    )
    return phase


@transaction.atomic
def extend_phase(actor, phase: Phase, *, unit: Unit, closes_on: date, reason: str):
    """Give ``unit`` a later deadline for ``phase``; a reason is required."""
    _require(actor, "campaigns.extend_deadline")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if closes_on <= phase.closes_on:
        raise ValidationError({"closes_on": _("The new deadline must be after the phase's.")})
    ext, created = PhaseExtension.objects.update_or_create(
        phase=phase,
        unit=unit,
        defaults={"closes_on": closes_on, "reason": reason, "granted_by": actor},
    )
    audit.record(
        actor,
        "campaign.extend_phase",
        ext,
        after={"unit": unit.code, "closes_on": closes_on, "reason": reason},
    )
    return ext


# --- registrations -----------------------------------------------------------------------


@dataclass
class PersonTarget:
    person: Person
    title_code: str


def registration_closed_reason(campaign: Campaign, unit: Unit) -> str | None:
    """Why ``unit`` can no longer register for ``campaign`` (the campaign is not running,
    or the unit's registration deadline has passed), or None while it can. Changes nothing;
    the registration page shows the reason before anyone types."""
    if campaign.state != CampaignState.LAUNCHED:
        return _("Registration is only possible while the campaign runs.")
    phase = campaign.phases.filter(kind=PhaseKind.REGISTRATION).first()
    if phase is not None:
        deadline = selectors.phase_deadline(phase, unit)
        if _today() > deadline:
            return _("The registration deadline (%(date)s) has passed.") % {
                "date": deadline.strftime("%d/%m/%Y")
            }
    return None


def _check_registration_open(campaign: Campaign, unit: Unit):
    reason = registration_closed_reason(campaign, unit)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def save_registration(
    actor,
    campaign: Campaign,
    unit: Unit,
    *,
    collective_title: str,
    targets: str = "",
    people: list[PersonTarget] | None = None,
    initiatives: list[str] | None = None,
    submit: bool = False,
) -> Registration:
    """Create or replace ``unit``'s registration for ``campaign`` (its entries are replaced
    as a whole); ``submit`` marks it submitted. Only the unit's officer, before the deadline.
    """
    _require(actor, "campaigns.edit_registration", unit)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_registration_open(campaign, unit)
    collective_title = (collective_title or "").strip().upper()
    if not collective_title:
        raise ValidationError({"collective_title": _("Choose the collective title aimed for.")})
    people = people or []
    initiatives = [t.strip() for t in (initiatives or []) if t and t.strip()]
    seen = set()
    outside = [t.person for t in people if not t.person.unit.path.startswith(unit.path)]
    if outside:
        raise ValidationError(
            {
                "people": _("Not in this unit: %(people)s")
                % {"people": ", ".join(f"{p.full_name} ({p.code})" for p in outside)}
            }
        )
    for target in people:
        key = (target.person.pk, target.title_code)
        if key in seen:
            raise ValidationError(
                _("%(person)s is listed twice for the same title.") % {"person": target.person}
            )
        seen.add(key)
    reg, created = Registration.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit, defaults={"collective_title": collective_title}
    )
    before = (
        None
        if created
        else {
            **audit.snapshot(reg, ["collective_title", "targets", "state"]),
            "entries": reg.entries.count(),
        }
    )
    reg.collective_title = collective_title
    reg.targets = targets or ""
    if submit:
        reg.state = Registration.State.SUBMITTED
        reg.submitted_at = timezone.now()
        reg.submitted_by = actor
    reg.save()
    reg.entries.all().delete()
    RegistrationEntry.objects.bulk_create(
        [
            RegistrationEntry(
                registration=reg, kind="person", person=t.person, title_code=t.title_code.upper()
            )
            for t in people
        ]
        + [
            RegistrationEntry(registration=reg, kind="initiative", initiative_title=title[:500])
            for title in initiatives
        ]
    )
    audit.record(
        actor,
        "registration.submit" if submit else "registration.save",
        reg,
        before=before,
        after={
            **audit.snapshot(reg, ["collective_title", "targets", "state"]),
            "people": [(t.person.code, t.title_code) for t in people],
            "initiatives": initiatives,
        },
    )
    return reg


@transaction.atomic
def remind_unregistered(actor, campaign: Campaign) -> list[int]:
    """Remind the units that have not submitted a registration (by e-mail, after commit);
    returns their ids."""
    _require(actor, "campaigns.remind")
    status = selectors.registration_status(campaign)
    unit_ids = [u.pk for u in status["missing"]]
    if unit_ids:
        Registration.objects.filter(campaign=campaign, unit_id__in=unit_ids).update(
            reminded_at=timezone.now()
        )
        from emulation_portal.jobs import enqueue

        enqueue(tasks.send_registration_reminders, campaign.pk, unit_ids)
    audit.record(
        actor, "registration.remind", campaign, after={"units": [u.code for u in status["missing"]]}
    )
    return unit_ids


# --- pledges -----------------------------------------------------------------------------


def _members(bloc_id: int, year: int) -> list[BlocMembership]:
    return selectors.memberships(bloc_id, year)


def _lock_pledge(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().select_related("bloc").get(pk=pledge.pk)


@transaction.atomic
def start_pledge(actor, bloc: Bloc, year: int, *, title: str = "") -> Pledge:
    """Start the bloc's pledge for ``year`` as a draft, copying text, targets and criteria
    from last year's locked pledge when there is one. Bloc leader's officer only."""
    from campaigns.selectors import BlocYear

    _require(actor, "campaigns.run_bloc", BlocYear(bloc, year))
    if selectors.current_pledge(bloc.pk, year):
        raise ValidationError(_("This bloc already has a pledge for %(year)s.") % {"year": year})
    source = selectors.last_locked_pledge(bloc.pk, year - 1)
    pledge = Pledge(
        bloc=bloc,
        year=year,
        version=1,
        title=title or _("Emulation pledge of %(bloc)s, %(year)s") % {"bloc": bloc, "year": year},
        text=source.text if source else "",
        targets=source.targets if source else "",
        previous=source,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        raise ValidationError(
            _("This bloc already has a pledge for %(year)s.") % {"year": year}
        ) from None
    if source:
        Criterion.objects.bulk_create(
            [
                Criterion(
                    pledge=pledge, order=c.order, name=c.name, kind=c.kind, max_points=c.max_points
                )
                for c in source.criteria.all()
            ]
        )
    audit.record(
        actor,
        "pledge.start",
        pledge,
        after={"bloc": bloc.code, "year": year, "copied_from": source and source.pk},
    )
    return pledge


@transaction.atomic
def update_pledge(
    actor,
    pledge: Pledge,
    *,
    title: str,
    text: str,
    targets: str,
    signing_meeting: BlocMeeting | None = None,
) -> Pledge:
    """Change a draft pledge's title, text, targets and signing meeting."""
    _require(actor, "campaigns.run_bloc", pledge)
    pledge = _lock_pledge(pledge)
    if pledge.state != PledgeState.DRAFT:
        raise ValidationError(_("Only a draft pledge can be changed; start a new version."))
    if signing_meeting and (signing_meeting.bloc_id, signing_meeting.year) != (
        pledge.bloc_id,
        pledge.year,
    ):
        raise ValidationError({"signing_meeting": _("That meeting is not this bloc's.")})
    fields = ["title", "text", "targets", "signing_meeting"]
    before = audit.snapshot(pledge, fields)
    pledge.title = (title or pledge.title).strip()[:300]
    pledge.text, pledge.targets, pledge.signing_meeting = text, targets, signing_meeting
    pledge.save(update_fields=fields)
    audit.record(
        actor, "pledge.update", pledge, before=before, after=audit.snapshot(pledge, fields)
    )
    return pledge


@transaction.atomic
def set_criteria(actor, pledge: Pledge, criteria: list[dict]) -> list[Criterion]:
    """Replace a draft pledge's scoring table. Each item: name, kind, max_points."""
    _require(actor, "campaigns.run_bloc", pledge)
    pledge = _lock_pledge(pledge)
    if pledge.state != PledgeState.DRAFT:
        raise ValidationError(_("Only a draft pledge's criteria can be changed."))
    rows = []
    for i, item in enumerate(criteria, start=1):
        name = (item.get("name") or "").strip()
        if not name:
            continue
        kind = item.get("kind") or CriterionKind.STANDARD
        if kind not in CriterionKind.values:
            raise ValidationError(_("Line %(n)s: unknown kind of criterion.") % {"n": i})
        max_points = _points(item.get("max_points"), "max_points")
        if max_points <= 0:
            raise ValidationError(
                _("Line %(n)s: the maximum must be more than 0 points.") % {"n": i}
            )
        rows.append(
            Criterion(
                pledge=pledge,
                order=len(rows) + 1,
                name=name[:500],
                kind=kind,
                max_points=max_points,
            )
        )
    if not rows:
        raise ValidationError(_("A scoring table needs at least one criterion."))
    before = list(pledge.criteria.values("order", "name", "kind", "max_points"))
    pledge.criteria.all().delete()
    created = Criterion.objects.bulk_create(rows)
    audit.record(
        actor,
        "pledge.set_criteria",
        pledge,
        before={"criteria": before},
        after={
            "criteria": [
                {"order": c.order, "name": c.name, "kind": c.kind, "max_points": c.max_points}
                for c in rows
            ]
        },
    )
    return created


@transaction.atomic
def open_signing(actor, pledge: Pledge) -> Pledge:
    """Put a draft pledge out for signature by every member unit."""
    _require(actor, "campaigns.run_bloc", pledge)
    pledge = _lock_pledge(pledge)
    target = _move(PLEDGE_MOVES, "open_signing", pledge.state)
    if not pledge.criteria.exists():
        raise ValidationError(_("Add the scoring table before opening the pledge for signing."))
    if not _members(pledge.bloc_id, pledge.year):
        raise ValidationError(_("The bloc has no member units this year."))
    pledge.state = target
    pledge.save(update_fields=["state"])
    audit.record(
        actor, "pledge.open_signing", pledge, before={"state": "draft"}, after={"state": target}
    )
    return pledge


@transaction.atomic
def sign_pledge(actor, pledge: Pledge, unit: Unit, *, at=None) -> Signature:
    """``unit`` signs the pledge (by its officer). When every member unit has signed the
    pledge locks. Signing twice or for another unit is refused."""
    _require(actor, "campaigns.sign_pledge", pledge)
    if not selectors.covers_unit(actor, unit):
        raise PermissionDenied(_("You can only sign for your own unit."))
    pledge = _lock_pledge(pledge)
    if pledge.state != PledgeState.SIGNING:
        raise ValidationError(_("This pledge is not open for signing."))
    members = {m.unit_id for m in _members(pledge.bloc_id, pledge.year)}
    if unit.pk not in members:
        raise ValidationError(_("%(unit)s is not a member of this bloc.") % {"unit": unit})
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                pledge=pledge, unit=unit, signed_by=actor, signed_at=_when(at)
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s has already signed this pledge.") % {"unit": unit}
        ) from None
    audit.record(actor, "pledge.sign", signature, after={"pledge": pledge.pk, "unit": unit.code})
    signed = set(Signature.objects.filter(pledge=pledge).values_list("unit_id", flat=True))
    if members <= signed:
        pledge.state = _move(PLEDGE_MOVES, "lock", pledge.state)
        pledge.locked_at = _when(at)
        pledge.save(update_fields=["state", "locked_at"])
        audit.record(
            actor,
            "pledge.lock",
            pledge,
            before={"state": "signing"},
            after={"state": "locked", "signatures": len(signed)},
        )
    return signature


@transaction.atomic
def revise_pledge(actor, pledge: Pledge, *, change_note: str) -> Pledge:
    """Change a signed (or being signed) pledge: the current version is superseded and a new
    draft version with the same text and criteria is started, which every unit signs again.
    Refused once scoring has started on it."""
    _require(actor, "campaigns.run_bloc", pledge)
    pledge = _lock_pledge(pledge)
    change_note = (change_note or "").strip()
    if not change_note:
        raise ValidationError({"change_note": _("Say what changes in the new version.")})
    target = _move(PLEDGE_MOVES, "supersede", pledge.state)
    if Score.objects.filter(criterion__pledge=pledge).exists():
        raise ValidationError(_("Scoring has started on this pledge; it can no longer change."))
    pledge.state = target
    pledge.save(update_fields=["state"])
    new = Pledge.objects.create(
        bloc=pledge.bloc,
        year=pledge.year,
        version=pledge.version + 1,
        title=pledge.title,
        text=pledge.text,
        targets=pledge.targets,
        previous=pledge,
        change_note=change_note,
        signing_meeting=pledge.signing_meeting,
        created_by=actor,
    )
    Criterion.objects.bulk_create(
        [
            Criterion(pledge=new, order=c.order, name=c.name, kind=c.kind, max_points=c.max_points)
            for c in pledge.criteria.all()
        ]
    )
    audit.record(
        actor,
        "pledge.revise",
        new,
        before={"version": pledge.version},
        after={"version": new.version, "change_note": change_note},
    )
    return new


# --- scoring -----------------------------------------------------------------------------


def _check_scoring_open(pledge: Pledge, unit: Unit | None = None):
    if pledge.state != PledgeState.LOCKED:
        raise ValidationError(_("Scores can only be entered on a signed, locked pledge."))
    ranking = Ranking.objects.filter(bloc_id=pledge.bloc_id, year=pledge.year).first()
    if ranking and ranking.is_published:
        raise ValidationError(_("The ranking is published; scores can no longer change."))
    if unit is None:
        return
    phase = Phase.objects.filter(
        campaign__year=pledge.year, campaign__kind=CampaignKind.ANNUAL, kind=PhaseKind.SCORING
    ).first()
    if phase is not None:
        deadline = selectors.phase_deadline(phase, unit)
        if _today() > deadline:
            raise ValidationError(
                _("The year-end scoring deadline (%(date)s) has passed.")
                % {"date": deadline.strftime("%d/%m/%Y")},
                code="scoring_closed",
            )


def _conflict():
    return ValidationError(
        _(
            "Someone else saved this score meanwhile. Reload to see their version; your "
            "entry was not saved."
        )
    )


@transaction.atomic
def save_self_score(
    actor,
    criterion: Criterion,
    unit: Unit,
    *,
    points,
    evidence: str = "",
    version: int | None = None,
) -> Score:
    """Record ``unit``'s self-assessed points on ``criterion`` (its officer only).

    ``version`` is the version the user loaded (None for a new score): if someone saved in
    between, the save is refused (optimistic lock by a conditional UPDATE). The pledge row is
    locked so a ranking cannot be published in the middle of a save."""
    pledge = _lock_pledge(criterion.pledge)
    _require(actor, "campaigns.score", pledge)
    if not selectors.covers_unit(actor, unit):
        raise PermissionDenied(_("You can only score your own unit."))
    if unit.pk not in {m.unit_id for m in _members(pledge.bloc_id, pledge.year)}:
        raise ValidationError(_("%(unit)s is not a member of this bloc.") % {"unit": unit})
    _check_scoring_open(pledge, unit)
    points = _points(points, "points")
    if points < 0 or points > criterion.max_points:
        raise ValidationError(
            {"points": _("Points must be between 0 and %(max)s.") % {"max": criterion.max_points}}
        )
    existing = Score.objects.filter(criterion=criterion, unit=unit).first()
    if existing is None:
        if version not in (None, 0):
            raise _conflict()
        try:
            with transaction.atomic():
                score = Score.objects.create(
                    criterion=criterion,
                    unit=unit,
                    max_points=criterion.max_points,
                    self_points=points,
                    evidence=evidence,
                )
        except IntegrityError:
            raise _conflict() from None
        audit.record(
            actor, "score.save", score, after={"self_points": points, "evidence": evidence}
        )
        return score
    if version is None:  # an update must say which version it changes
        raise _conflict()
    updated = Score.objects.filter(pk=existing.pk, version=version).update(
        self_points=points,
        evidence=evidence,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise _conflict()
    score = Score.objects.get(pk=existing.pk)
    audit.record(
        actor,
        "score.save",
        score,
        before={"self_points": existing.self_points, "evidence": existing.evidence},
        after={"self_points": points, "evidence": evidence},
    )
    return score


@transaction.atomic
def adjust_score(actor, score: Score, *, points, reason: str, version: int) -> Score:
    """The bloc leader's officer sets the final points of ``score``; a reason is required
    and recorded (audited). Same optimistic lock as ``save_self_score``. Not a score of a
    unit the actor serves (they entered it, or could have): the office adjusts the leading
    unit's own scores."""
    pledge = _lock_pledge(score.criterion.pledge)
    if selectors.covers_unit(actor, score.unit):
        raise PermissionDenied(
            _(
                "You serve %(unit)s: you may not adjust its own score. The emulation office "
                "adjusts the leading unit's scores."
            )
            % {"unit": score.unit}
        )
    _require(actor, "campaigns.adjust_score", score)
    _check_scoring_open(pledge)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    points = _points(points, "points")
    if points < 0 or points > score.max_points:
        raise ValidationError(
            {"points": _("Points must be between 0 and %(max)s.") % {"max": score.max_points}}
        )
    before = {
        "final_points": score.final_points,
        "self_points": score.self_points,
        "reason": score.reason,
    }
    updated = Score.objects.filter(pk=score.pk, version=version).update(
        final_points=points,
        reason=reason,
        adjusted_by=actor,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise _conflict()
    score = Score.objects.get(pk=score.pk)
    audit.record(
        actor,
        "score.adjust",
        score,
        before=before,
        after={"final_points": points, "reason": reason},
    )
    return score


def rank_rows(totals: dict[int, dict], units: dict[int, Unit], previous: dict[int, int]):
    """Order units by the documented tie-break (see ``TIE_BREAK``); returns a list of
    (unit, totals, previous_rank, tie_note). Pure function, unit-tested directly."""
    rows = []
    for unit_id, unit in units.items():
        t = totals.get(unit_id) or {
            "standard": Decimal(0),
            "bonus": Decimal(0),
            "penalty": Decimal(0),
        }
        total = t["standard"] + t["bonus"] - t["penalty"]
        prev = previous.get(unit_id)
        key = (-total, -t["standard"], t["penalty"], prev if prev is not None else 10**6, unit.code)
        rows.append((key, unit, {**t, "total": total}, prev))
    rows.sort(key=lambda r: r[0])
    out = []
    for i, (key, unit, t, prev) in enumerate(rows):
        note = ""
        neighbours = [rows[j] for j in (i - 1, i + 1) if 0 <= j < len(rows)]
        tied = [n for n in neighbours if n[0][0] == key[0]]
        if tied:
            # the first criterion of the tie-break that separates this unit from a neighbour
            # (stored as a code; the page shows it translated, see RankingEntry.tie_label)
            level = max(next(k for k in range(1, 5) if n[0][k] != key[k]) for n in tied)
            note = TIE_RULES[level - 1]
        out.append((unit, t, prev, note))
    return out


@transaction.atomic
def compute_ranking(actor, bloc: Bloc, year: int) -> Ranking:
    """(Re)compute the bloc's ranking for ``year`` from the locked pledge's scores. Allowed
    until the ranking is published. Units without scores rank with 0 points."""
    from campaigns.selectors import BlocYear

    _require(actor, "campaigns.run_bloc", BlocYear(bloc, year))
    pledge = selectors.current_pledge(bloc.pk, year)
    if pledge is None or pledge.state != PledgeState.LOCKED:
        raise ValidationError(_("The bloc's pledge is not signed and locked yet."))
    pledge = _lock_pledge(pledge)
    ranking = Ranking.objects.select_for_update().filter(bloc=bloc, year=year).first()
    if ranking and ranking.is_published:
        raise ValidationError(_("The ranking is already published."))
    units = {m.unit_id: m.unit for m in _members(bloc.pk, year)}
    previous = dict(
        RankingEntry.objects.filter(ranking__bloc=bloc, ranking__year=year - 1).values_list(
            "unit_id", "rank"
        )
    )
    rows = rank_rows(selectors.score_totals(pledge.pk), units, previous)
    now = timezone.now()
    if ranking is None:
        ranking = Ranking.objects.create(
            bloc=bloc, year=year, pledge=pledge, computed_at=now, explanation=TIE_BREAK
        )
    else:
        ranking.pledge, ranking.computed_at, ranking.explanation = pledge, now, TIE_BREAK
        ranking.save(update_fields=["pledge", "computed_at", "explanation"])
        ranking.entries.all().delete()
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                ranking=ranking,
                unit=unit,
                rank=i,
                total=t["total"],
                standard_total=t["standard"],
                bonus_total=t["bonus"],
                penalty_total=t["penalty"],
                previous_rank=prev,
                tie_note=note[:200],
            )
            for i, (unit, t, prev, note) in enumerate(rows, start=1)
        ]
    )
    audit.record(
        actor,
        "ranking.compute",
        ranking,
        after={"order": [(u.code, str(t["total"])) for u, t, _p, _n in rows]},
    )
    return ranking


@transaction.atomic
def publish_ranking(actor, ranking: Ranking, *, at=None) -> Ranking:
    """Publish the ranking to the bloc; scores are frozen from then on."""
    _require(actor, "campaigns.run_bloc", ranking)
    _lock_pledge(ranking.pledge)
    ranking = Ranking.objects.select_for_update().get(pk=ranking.pk)
    if ranking.is_published:
        raise ValidationError(_("The ranking is already published."))
    ranking.published_at = _when(at)
    ranking.published_by = actor
    ranking.save(update_fields=["published_at", "published_by"])
    audit.record(actor, "ranking.publish", ranking, after={"published_at": ranking.published_at})
    from emulation_portal.jobs import enqueue

    enqueue(tasks.notify_ranking_published, ranking.pk)
    return ranking


# --- meetings, acclamation and election --------------------------------------------------


@transaction.atomic
def create_meeting(
    actor,
    bloc: Bloc,
    year: int,
    *,
    kind: str,
    held_on: date,
    place: str,
    host: Unit,
    title: str = "",
    minutes: str = "",
    attendees: list[Unit] | None = None,
    other_blocs: list[Bloc] | None = None,
    flag_slots: int = 1,
    bk_slots: int = 2,
) -> BlocMeeting:
    """Record a meeting or joint activity of the bloc (leader's officer)."""
    from campaigns.selectors import BlocYear

    _require(actor, "campaigns.run_bloc", BlocYear(bloc, year))
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Unknown kind of meeting.")})
    if not (place or "").strip():
        raise ValidationError({"place": _("Give the place of the meeting.")})
    if (
        kind == MeetingKind.YEAR_END
        and BlocMeeting.objects.filter(bloc=bloc, year=year, kind=kind).exists()
    ):
        raise ValidationError(
            _("The bloc already has a year-end meeting for %(year)s.") % {"year": year}
        )
    try:
        with transaction.atomic():
            meeting = BlocMeeting.objects.create(
                bloc=bloc,
                year=year,
                kind=kind,
                held_on=held_on,
                place=place.strip(),
                host=host,
                title=title,
                minutes=minutes,
                flag_slots=flag_slots,
                bk_slots=bk_slots,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("The bloc already has a year-end meeting for %(year)s.") % {"year": year}
        ) from None
    if attendees:
        meeting.attendees.set(attendees)
    if other_blocs:
        meeting.other_blocs.set(other_blocs)
    audit.record(
        actor,
        "meeting.create",
        meeting,
        after={
            "kind": kind,
            "held_on": held_on,
            "place": place,
            "host": host.code,
            "attendees": [u.code for u in attendees or []],
        },
    )
    return meeting


@transaction.atomic
def update_meeting(
    actor, meeting: BlocMeeting, *, minutes: str, attendees: list[Unit] | None = None
) -> BlocMeeting:
    """Record the minutes and the attending units."""
    _require(actor, "campaigns.run_bloc", meeting)
    meeting = BlocMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.result_recorded_at:
        raise ValidationError(
            _(
                "The meeting's result is recorded: its minutes and attendees are part of the "
                "record and can no longer change."
            ),
            code="meeting_closed",
        )
    before = {
        "minutes": meeting.minutes,
        "attendees": sorted(meeting.attendees.values_list("code", flat=True)),
    }
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    if attendees is not None:
        meeting.attendees.set(attendees)
    audit.record(
        actor,
        "meeting.update",
        meeting,
        before=before,
        after={"minutes": minutes, "attendees": sorted(u.code for u in attendees or [])},
    )
    return meeting


def validate_image(upload) -> str:
    """Check by content (not by name) that ``upload`` is a JPEG, PNG or WebP image within
    the size and pixel limits, without decoding it; returns the extension of the detected
    type."""
    from emulation_portal.uploads import check_image

    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("The photo is larger than 10 MB.")})
    try:
        checked = check_image(upload, formats=tuple(PHOTO_FORMATS))
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    return checked.extension


def add_photo(actor, meeting: BlocMeeting, upload, *, caption: str = "") -> MeetingPhoto:
    """Attach a photo (checked by its content) to a meeting or activity: stores the file
    under a random name with the detected type's extension, its row and the audit event."""
    import uuid

    _require(actor, "campaigns.run_bloc", meeting)
    extension = validate_image(upload)  # before the transaction: it reads the whole file
    with transaction.atomic():
        photo = MeetingPhoto(meeting=meeting, caption=caption[:300], uploaded_by=actor)
        photo.image.save(f"{uuid.uuid4().hex}.{extension}", upload, save=True)
        audit.record(
            actor,
            "meeting.add_photo",
            photo,
            after={"meeting": meeting.pk, "file": photo.image.name},
        )
    return photo


def _voting_checks(actor, meeting: BlocMeeting, voting_unit: Unit, candidate: Unit):
    _require(actor, "campaigns.vote", meeting)
    if not selectors.covers_unit(actor, voting_unit):
        raise PermissionDenied(_("You can only vote for your own unit."))
    meeting = BlocMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.kind != MeetingKind.YEAR_END:
        raise ValidationError(_("Votes are cast at the year-end meeting."))
    if meeting.result_recorded_at:
        raise ValidationError(_("The result of this meeting is recorded; voting is closed."))
    members = {m.unit_id for m in _members(meeting.bloc_id, meeting.year)}
    if voting_unit.pk not in members:
        raise ValidationError(
            _("%(unit)s is not a member of this bloc and cannot vote.") % {"unit": voting_unit}
        )
    if candidate.pk not in members:
        raise ValidationError(
            {"candidate": _("%(unit)s is not a member of this bloc.") % {"unit": candidate}}
        )
    return meeting


@transaction.atomic
def cast_acclamation_vote(
    actor, meeting: BlocMeeting, *, voting_unit: Unit, award_code: str, candidate: Unit
) -> AcclamationVote:
    """``voting_unit`` puts ``candidate`` forward for ``award_code`` (one vote per unit and
    award; a second vote is refused by the database)."""
    if award_code not in AwardCode.values:
        raise ValidationError({"award_code": _("Unknown award.")})
    meeting = _voting_checks(actor, meeting, voting_unit, candidate)
    try:
        with transaction.atomic():
            vote = AcclamationVote.objects.create(
                meeting=meeting,
                voting_unit=voting_unit,
                award_code=award_code,
                candidate=candidate,
                cast_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s has already voted for this award.") % {"unit": voting_unit}
        ) from None
    audit.record(
        actor,
        "meeting.acclamation_vote",
        vote,
        after={"voting_unit": voting_unit.code, "award": award_code, "candidate": candidate.code},
    )
    return vote


@transaction.atomic
def cast_election_vote(
    actor, meeting: BlocMeeting, *, voting_unit: Unit, office: str, candidate: Unit
) -> ElectionVote:
    """``voting_unit`` votes for next year's leader or deputy (one vote each)."""
    if office not in (BlocRole.LEADER, BlocRole.DEPUTY):
        raise ValidationError({"office": _("Vote for the leader or the deputy.")})
    meeting = _voting_checks(actor, meeting, voting_unit, candidate)
    try:
        with transaction.atomic():
            vote = ElectionVote.objects.create(
                meeting=meeting,
                voting_unit=voting_unit,
                office=office,
                candidate=candidate,
                cast_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s has already voted for this office.") % {"unit": voting_unit}
        ) from None
    audit.record(
        actor,
        "meeting.election_vote",
        vote,
        after={"voting_unit": voting_unit.code, "office": office, "candidate": candidate.code},
    )
    return vote


def tally(votes, rank_of: dict[int, int]) -> list[tuple[int, int]]:
    """(candidate id, votes) by votes desc, ties by the bloc's ranking, then id."""
    counts: dict[int, int] = {}
    for candidate_id in votes:
        counts[candidate_id] = counts.get(candidate_id, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], rank_of.get(kv[0], 10**6), kv[0]))


@dataclass
class MeetingResult:
    proposals: list[AcclamationProposal]
    leader: Unit | None
    deputy: Unit | None
    next_year: list[BlocMembership]


@transaction.atomic
def record_meeting_result(actor, meeting: BlocMeeting, *, at=None) -> MeetingResult:
    """Close the year-end vote and record its result:

    - each unit has one vote per award. Candidates are put forward by votes, best first, up
      to the meeting's slots (``flag_slots`` for CO_BO, ``bk_slots`` for BK_BO); ties in
      votes go to the better rank in the bloc's ranking; a CO_BO candidate also needs more
      than half of the votes cast for the flag;
    - next year's leader and deputy are the candidates with most votes (same tie-break;
      the deputy cannot be the leader); next year's memberships are created through the
      registry's bloc services (members carried forward, then the two roles).
    Leaves ``AcclamationProposal`` rows for the nominations workflow."""
    _require(actor, "campaigns.run_bloc", meeting)
    from units import services as unit_services

    meeting = BlocMeeting.objects.select_for_update().select_related("bloc").get(pk=meeting.pk)
    if meeting.kind != MeetingKind.YEAR_END:
        raise ValidationError(_("Only a year-end meeting has a vote result."))
    if meeting.result_recorded_at:
        raise ValidationError(_("The result of this meeting is already recorded."))
    rank_of = dict(
        RankingEntry.objects.filter(
            ranking__bloc_id=meeting.bloc_id, ranking__year=meeting.year
        ).values_list("unit_id", "rank")
    )
    units = {m.unit_id: m.unit for m in _members(meeting.bloc_id, meeting.year)}
    proposals = []
    votes = list(meeting.votes.values_list("award_code", "candidate_id"))
    election = list(meeting.election_votes.values_list("office", "candidate_id"))
    # A unit removed from the bloc after votes named it: the office must settle those votes
    # (a proposal or an office for a non-member would be wrong either way).
    strays = {c for _a, c in votes + election} - set(units)
    if strays:
        names = ", ".join(sorted(u.code for u in Unit.objects.filter(pk__in=strays)))
        raise ValidationError(
            _("Votes name units that are no longer members of the bloc this year: %(units)s.")
            % {"units": names}
        )
    for code, slots in ((AwardCode.CO_BO, meeting.flag_slots), (AwardCode.BK_BO, meeting.bk_slots)):
        cast = [c for a, c in votes if a == code]
        ranked = tally(cast, rank_of)
        if code == AwardCode.CO_BO:  # the flag needs a majority of the votes cast
            ranked = [(c, n) for c, n in ranked if 2 * n > len(cast)]
        chosen = ranked[:slots]
        for candidate_id, n in chosen:
            proposals.append(
                AcclamationProposal.objects.create(
                    bloc_id=meeting.bloc_id,
                    year=meeting.year,
                    unit=units[candidate_id],
                    award_code=code,
                    votes=n,
                    voters=len(cast),
                    meeting=meeting,
                )
            )
    leader_tally = tally([c for o, c in election if o == BlocRole.LEADER], rank_of)
    leader_id = leader_tally[0][0] if leader_tally else None
    deputy_tally = [
        row
        for row in tally([c for o, c in election if o == BlocRole.DEPUTY], rank_of)
        if row[0] != leader_id
    ]
    deputy_id = deputy_tally[0][0] if deputy_tally else None
    next_year = meeting.year + 1
    bloc = meeting.bloc
    unit_services.carry_bloc_forward(actor, bloc=bloc, year=meeting.year)
    for office, unit_id in ((BlocRole.LEADER, leader_id), (BlocRole.DEPUTY, deputy_id)):
        if not unit_id:
            continue
        # a holder already named for next year (e.g. by decision) steps down to member
        for holder in (
            BlocMembership.objects.filter(bloc=bloc, year=next_year, role=office)
            .exclude(unit_id=unit_id)
            .select_related("unit")
        ):
            unit_services.set_bloc_role(
                actor, bloc=bloc, year=next_year, unit=holder.unit, role=BlocRole.MEMBER
            )
        if not BlocMembership.objects.filter(bloc=bloc, year=next_year, unit_id=unit_id).exists():
            unit_services.add_bloc_member(
                actor, bloc=bloc, year=next_year, unit=units[unit_id], role=BlocRole.MEMBER
            )
        unit_services.set_bloc_role(
            actor, bloc=bloc, year=next_year, unit=units[unit_id], role=office
        )
    meeting.result_recorded_at = _when(at)
    meeting.save(update_fields=["result_recorded_at"])
    audit.record(
        actor,
        "meeting.record_result",
        meeting,
        after={
            "proposals": [(p.award_code, p.unit.code, p.votes, p.voters) for p in proposals],
            "leader": leader_id and units[leader_id].code,
            "deputy": deputy_id and units[deputy_id].code,
            "next_year": next_year,
        },
    )
    next_members = list(
        BlocMembership.objects.filter(bloc=bloc, year=next_year).select_related("unit")
    )
    return MeetingResult(
        proposals=proposals,
        leader=units.get(leader_id),
        deputy=units.get(deputy_id),
        next_year=next_members,
    )
