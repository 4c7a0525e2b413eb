"""The reviewer's side of a dossier: comments, the stored verdict and the office's override."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from awards.models import (
    Nomination,
    ReviewComment,
    Section,
)
from awards.nominations.services.checks import _record_verdict
from awards.nominations.services.common import (
    S,
    _clean_text,
    _lock,
    _require,
)
from awards.nominations.services.duties import require_independent
from emulation_portal import audit


@transaction.atomic
def add_comment(actor, nomination: Nomination, *, section: str, text: str) -> ReviewComment:
    """A reviewer's comment on one section of the dossier (kept for the current round)."""
    n = _lock(nomination)
    require_independent(actor, n)
    _require(actor, "nominations.comment", n)
    text = _clean_text(text)
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if section not in Section.values:
        raise ValidationError({"section": _("Choose a section.")})
    comment = ReviewComment.objects.create(
        nomination=n, section=section, text=text, round=n.submit_count, author=actor
    )
    audit.record(actor, "nomination.comment", n, after={"section": section, "text": text})
    return comment


@transaction.atomic
def record_verdict(actor, nomination: Nomination) -> Nomination:
    """Judge the nominee now and keep the verdict with the nomination (the "check" button);
    allowed to whoever may edit or review it."""
    n = _lock(nomination)
    if not (actor.has_perm("nominations.edit", n) or actor.has_perm("nominations.review", n)):
        raise PermissionDenied(_("You are not allowed to do this."))
    verdict = _record_verdict(actor, n)
    Nomination.objects.filter(pk=n.pk).update(
        verdict=verdict, eligible=verdict.eligible if verdict else None
    )
    n.verdict, n.eligible = verdict, (verdict.eligible if verdict else None)
    audit.record(
        actor, "nomination.check", n, after={"eligible": n.eligible, "verdict": n.verdict_id}
    )
    return n


@transaction.atomic
def override_verdict(actor, nomination: Nomination, *, reason: str) -> Nomination:
    """The office lets an ineligible nomination go forward, with a written reason (audited).
    An empty reason clears nothing: it is refused."""
    n = _lock(nomination)
    require_independent(actor, n)
    _require(actor, "nominations.override", n)
    reason = _clean_text(reason)
    if len(reason) < 10:
        raise ValidationError({"reason": _("Write the reason for the override (a sentence).")})
    if n.state not in (S.DRAFT, S.RETURNED, S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("The verdict can no longer be overridden at this stage."))
    before = {"override_reason": n.override_reason}
    Nomination.objects.filter(pk=n.pk).update(
        override_reason=reason, override_by=actor, version=F("version") + 1
    )
    n.refresh_from_db()
    audit.record(actor, "nomination.override", n, before=before, after={"override_reason": reason})
    return n
