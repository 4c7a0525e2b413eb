"""The bloc's pledge: draft, criteria, signing, lock and revision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import (
    BlocMeeting,
    Criterion,
    CriterionKind,
    Pledge,
    PledgeState,
    Score,
    Signature,
)
from campaigns.services.common import _lock_pledge, _members, _move, _points, _require, _when
from emulation_portal import audit
from units.models import Bloc, Unit

# The pledge's life: draft -> signing -> locked -> superseded (by a new draft version).
PLEDGE_MOVES = {
    "open_signing": ({PledgeState.DRAFT}, PledgeState.SIGNING),
    "lock": ({PledgeState.SIGNING}, PledgeState.LOCKED),
    "supersede": ({PledgeState.LOCKED, PledgeState.SIGNING}, PledgeState.SUPERSEDED),
}


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
