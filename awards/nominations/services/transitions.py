"""The nomination's state table and the one function that moves a nomination through it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import (
    AwardKind,
    Nomination,
    ReviewComment,
    Section,
)
from awards.nominations import tasks
from awards.nominations.services.checks import _check_submission
from awards.nominations.services.common import (
    S,
    _clean_text,
    _conflict,
    _lock,
    _require,
)
from awards.nominations.services.duties import INDEPENDENT_PERMS, note_proposer, require_independent
from emulation_portal import audit
from emulation_portal.jobs import enqueue

# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Move:
    sources: frozenset
    target: str
    perm: str
    notify: bool = False
    # Only another service makes this move (``internal=True``): decide and undecide belong
    # to signing a decision, never to a hand-made step.
    internal: bool = False


# The nomination's life (``shared/domain/model-sketch.md``). "Resubmitted" is a submit from
# ``returned``; ``submit_count`` says how many times. The council moves (schedule, approve,
# reject, decide) are here for the council service to call; the office holds them until then.
MOVES: dict[str, Move] = {
    "submit": Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "nominations.submit", True),
    "start_review": Move(frozenset({S.SUBMITTED}), S.UNDER_REVIEW, "nominations.review"),
    "return": Move(
        frozenset({S.SUBMITTED, S.UNDER_REVIEW}), S.RETURNED, "nominations.review", True
    ),
    "accept": Move(
        frozenset({S.SUBMITTED, S.UNDER_REVIEW}), S.ACCEPTED, "nominations.review", True
    ),
    "withdraw": Move(
        frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED}),
        S.WITHDRAWN,
        "nominations.withdraw",
    ),
    "schedule": Move(frozenset({S.ACCEPTED}), S.IN_SESSION, "nominations.council"),
    "approve": Move(frozenset({S.IN_SESSION, S.ACCEPTED}), S.APPROVED, "nominations.council"),
    "reject": Move(frozenset({S.IN_SESSION}), S.REJECTED, "nominations.council"),
    "decide": Move(frozenset({S.APPROVED}), S.DECIDED, "nominations.council", internal=True),
    # A replacing decision that leaves the nomination out (``awards.decisions``).
    "undecide": Move(frozenset({S.DECIDED}), S.APPROVED, "nominations.council", internal=True),
}

MOVE_LABELS = {
    "submit": gettext_lazy("Submit"),
    "start_review": gettext_lazy("Start review"),
    "return": gettext_lazy("Return for correction"),
    "accept": gettext_lazy("Accept for the council"),
    "withdraw": gettext_lazy("Withdraw"),
    "schedule": gettext_lazy("Put on a council session"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "decide": gettext_lazy("Record the decision"),
    "undecide": gettext_lazy("Left out by a replacing decision"),
}


# --------------------------------------------------------------------------- the transition


@transaction.atomic
def transition(
    actor,
    nomination: Nomination,
    move: str,
    *,
    version: int | None = None,
    comments: list[tuple[str, str]] | None = None,
    note: str = "",
    internal: bool = False,
) -> Nomination:
    """The one way a nomination changes state. Looks ``move`` up in ``MOVES``, locks the
    row, checks the actor's permission on the locked row and the move's own conditions
    (submission checks on submit; comments on return; on accept, every objection answered
    and no disclosure of the nominee still running), then
    writes the new state, bumps ``version``, records ``nomination.<move>`` in the audit log
    and e-mails after commit. ``version`` (optional) refuses a stale page."""
    spec = MOVES.get(move)
    if spec is None:
        raise ValidationError(_("Unknown step: %(move)s.") % {"move": move}, code="unknown_move")
    n = _lock(nomination)
    if spec.perm in INDEPENDENT_PERMS:
        require_independent(actor, n)
    _require(actor, spec.perm, n)
    if spec.internal and not internal:
        raise ValidationError(
            _("This step is taken by signing a decision (Decisions)."), code="by_decision"
        )
    if version is not None and int(version) != n.version:
        raise _conflict()
    if n.state not in spec.sources:
        raise ValidationError(
            _("This step is not possible while the nomination is “%(state)s”.")
            % {"state": n.get_state_display()},
            code="bad_state",
        )
    before = {"state": n.state, "version": n.version}
    now = timezone.now()
    updates: dict = {}
    extra: dict = {}
    if move == "submit":
        _check_submission(actor, n)
        updates.update(
            submit_count=n.submit_count + 1,
            submitted_at=now,
            verdict=n.verdict,
            eligible=n.eligible,
        )
        extra = {
            "round": n.submit_count + 1,
            "eligible": n.eligible,
            "verdict": n.verdict_id,
            "resubmission": n.state == S.RETURNED,
        }
        note_proposer(actor, [n])
    elif move == "return":
        comments = [(s, _clean_text(t)) for s, t in (comments or []) if _clean_text(t)]
        valid = set(Section.values)
        if any(s not in valid for s, _t in comments):
            raise ValidationError(_("Choose a section for each comment."))
        has_open = n.comments.filter(round=n.submit_count).exists()
        if not comments and not has_open:
            raise ValidationError(
                _("Say what must be corrected: add at least one comment."), code="no_comment"
            )
        ReviewComment.objects.bulk_create(
            [
                ReviewComment(nomination=n, section=s, text=t, round=n.submit_count, author=actor)
                for s, t in comments
            ]
        )
        extra = {"comments": [{"section": s, "text": t} for s, t in comments]}
    elif move == "accept":
        open_objections = n.objections.filter(answered_at__isnull=True).count()
        if open_objections:
            raise ValidationError(
                _("%(n)s objection(s) from the public disclosure are not answered yet.")
                % {"n": open_objections},
                code="open_objections",
            )
        disclosed_until = n.disclosures.filter(ends_on__gte=timezone.localdate()).aggregate(
            until=Max("ends_on")
        )["until"]
        if disclosed_until is not None:
            raise ValidationError(
                _(
                    "The nominee is publicly disclosed until %(date)s: the nomination can go "
                    "to the council once the disclosure period is over."
                )
                % {"date": disclosed_until.strftime("%d/%m/%Y")},
                code="disclosure_open",
            )
        if n.eligible is False and n.kind == AwardKind.CONG_TRANG and not n.override_reason:
            raise ValidationError(_("The verdict is negative and was not overridden."))
        updates["accepted_at"] = now
    elif move == "approve" and n.state == S.ACCEPTED and n.award_type.council_vote:
        raise ValidationError(_("This award needs the council's vote first."))
    elif move in ("approve", "reject") and n.state == S.IN_SESSION:
        # On a council session's agenda the counted ballot decides, not whoever holds the
        # move; without one (no council set up in the portal) the office records it by hand.
        items = n.council_items.order_by("-session__date", "-id")
        latest = items.values("approved", "session__state").first()
        if latest is not None and (
            latest["session__state"] not in ("closed", "published")
            or latest["approved"] != (move == "approve")
        ):
            raise ValidationError(
                _(
                    "The council's ballot decides this nomination: its counted result does "
                    "not allow this step."
                ),
                code="council_result",
            )
    updates.update(state=spec.target, version=n.version + 1, updated_at=now)
    Nomination.objects.filter(pk=n.pk).update(**updates)
    for key, value in updates.items():
        setattr(n, key, value)
    note = _clean_text(note)
    audit.record(
        actor,
        f"nomination.{move}",
        n,
        before=before,
        after={"state": n.state, "version": n.version, **extra, **({"note": note} if note else {})},
    )
    if spec.notify:
        enqueue(tasks.notify_nomination, n.pk, move)
    return n


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def bulk_transition(actor, nominations, move: str) -> BulkResult:
    """Apply ``move`` to each nomination in its own transaction; a refusal of one does not
    stop the others and is reported with its reason."""
    result = BulkResult()
    for n in nominations:
        try:
            transition(actor, n, move)
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            result.refused[n.pk] = " ".join(str(m) for m in messages)
        else:
            result.done.append(n.pk)
    return result
