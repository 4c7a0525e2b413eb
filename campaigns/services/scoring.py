"""Scores on a locked pledge: the unit's self-score and the office's adjustment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import (
    CampaignKind,
    Criterion,
    Phase,
    PhaseKind,
    Pledge,
    PledgeState,
    Ranking,
    Score,
)
from campaigns.services.common import _lock_pledge, _members, _points, _require, _today
from emulation_portal import audit
from units.models import Unit


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
