"""Separation of duties: the one who proposes a nomination never reviews or decides it.

The proposing services (create, edit the dossier, attach or remove a file, build a letter or
attach to it, submit) record their actor as a proposer of the nominations they touch; the
reviewing and deciding services (start review, return, accept, comment as reviewer,
override the verdict, answer an objection, the council moves) refuse a proposer before
anything is written or audited. ``awards.nominations.rules`` mirrors the refusal so pages
and the API do not offer the action.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from awards.models import Nomination, NominationProposer
from awards.nominations.rules import forget_proposers, is_proposer

# The permissions whose holder reviews or decides: a proposer is refused them.
INDEPENDENT_PERMS = frozenset(
    {
        "nominations.review",
        "nominations.comment",
        "nominations.override",
        "nominations.answer_objection",
        "nominations.council",
    }
)


def proposer_refusal() -> PermissionDenied:
    return PermissionDenied(
        _(
            "You proposed this nomination (you created, edited or submitted it), so you may "
            "not review or decide it: another authorised person must."
        )
    )


def require_independent(actor, nomination: Nomination) -> None:
    """Refuse ``actor`` if they proposed ``nomination``; changes nothing."""
    if is_proposer(actor, nomination):
        raise proposer_refusal()


def note_proposer(actor, nominations: Iterable[Nomination | int]) -> None:
    """Record ``actor`` as a proposer of each of ``nominations`` (objects or ids; already
    recorded pairs are left as they are)."""
    if not getattr(actor, "is_authenticated", False):
        return
    rows, seen = [], set()
    for n in nominations:
        pk = n if isinstance(n, int) else n.pk
        if pk in seen:
            continue
        seen.add(pk)
        rows.append(NominationProposer(nomination_id=pk, user_id=actor.pk))
        if not isinstance(n, int):
            forget_proposers(n)
    NominationProposer.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def copy_batch_proposers(nomination: Nomination) -> None:
    """A nomination added to a submission letter is proposed by whoever built the letter or
    attached its files, too."""
    if not nomination.batch_id:
        return
    from awards.models import Attachment, Batch

    users = set(
        Attachment.objects.filter(batch_id=nomination.batch_id, uploaded_by__isnull=False)
        .values_list("uploaded_by_id", flat=True)
        .distinct()
    )
    creator = Batch.objects.filter(pk=nomination.batch_id).values_list("created_by_id", flat=True)
    users.update(u for u in creator if u)
    NominationProposer.objects.bulk_create(
        [NominationProposer(nomination_id=nomination.pk, user_id=u) for u in sorted(users)],
        ignore_conflicts=True,
    )
    forget_proposers(nomination)
