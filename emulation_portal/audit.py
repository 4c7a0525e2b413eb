"""The audit log: every service that writes records an event here.

Events form a hash chain. Each event's ``hash`` covers its own content and the previous
event's hash, and the chain head (one locked row) serialises appends, so ``verify_chain``
finds any row edited or deleted after the fact, and names it.

The head row is locked by every append but written once per transaction, right after it
commits (the last event's number and hash). Written at every append, PostgreSQL kept one
row version per event inside a transaction, and each lock had to walk them all: a
transaction's appends grew quadratic (the demo's 4,348 events of one seeder). Inside the
transaction the chain's end is read from the events themselves (insert-only, by the unique
``seq`` index), which also stays right when a savepoint rolls some events back.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from emulation_portal.models import AuditEvent, AuditHead

GENESIS = "0" * 64
# The action of the event ``record`` appends when it finds the head gone from a non-empty
# chain; ``verify_chain`` reports every such event as tampering.
HEAD_RECREATED = "audit.head_recreated"


def _plain(value):
    """JSON-normalise a value exactly as the database will give it back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The plain field values of ``instance`` (foreign keys as ids), for before/after."""
    return _plain(model_to_dict(instance, fields=fields))


def _digest(event: AuditEvent) -> str:
    content = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``action`` is a dotted name (``nomination.submit``); ``obj`` fills the object type, id
    and label unless they are given. Locks the chain head until the caller commits.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        last_seq, last_hash = head.last_seq, head.last_hash
        tail = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        # The head is behind while this transaction appends; ahead of the events only if
        # events it saw were deleted since, which must stay a visible gap in the chain.
        if tail and tail[0] > last_seq:
            last_seq, last_hash = tail
        if created and tail:
            # Someone deleted the head of a non-empty chain (with the last events, most
            # likely). Re-creating it silently would let the next sync cover the
            # truncation, so the chain itself says where it happened.
            marker = _append(
                last_seq,
                last_hash,
                None,
                HEAD_RECREATED,
                object_type=AuditHead._meta.label_lower,
                object_id=1,
                object_label=f"#{last_seq}",
            )
            last_seq, last_hash = marker.seq, marker.hash
        event = _append(
            last_seq,
            last_hash,
            user,
            action,
            object_type=object_type,
            object_id=object_id,
            object_label=object_label,
            before=before,
            after=after,
        )
        _sync_head_after_commit()
    return event


def _append(
    last_seq: int,
    last_hash: str,
    user,
    action: str,
    *,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Save one event after ``last_seq`` (the caller holds the head's lock)."""
    event = AuditEvent(
        seq=last_seq + 1,
        at=timezone.now(),
        actor=user,
        actor_label=(user.display_name if user else "system")[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=str(object_label)[:300],
        before=_plain(before),
        after=_plain(after),
        prev_hash=last_hash or GENESIS,
    )
    event.hash = _digest(event)
    event.save()
    return event


class _HeadSync:
    """One per transaction: the first of its after-commit callbacks to run writes the head;
    the others (one is registered per event, so that a savepoint rolled back with its
    callback leaves the rest in place) find it done."""

    __slots__ = ("done",)

    def __init__(self):
        self.done = False

    def __call__(self):
        if self.done:
            return
        self.done = True
        sync_head()


def _sync_head_after_commit() -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "_audit_head_sync", None)
    if pending is None or pending.done:
        pending = connection._audit_head_sync = _HeadSync()
    transaction.on_commit(pending)


def sync_head() -> None:
    """Move the head to the last committed event, never backwards. If another transaction
    holds the head (it is appending), leave it: its own after-commit sync will move the
    head past our events, and waiting here would hold this request until it commits."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if head is None:
            return
        tail = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        if tail and tail[0] > head.last_seq:
            head.last_seq, head.last_hash = tail
            head.save(update_fields=["last_seq", "last_hash"])


def apply_changes(
    actor,
    action: str,
    obj: models.Model,
    fields: list[str],
    changes: dict,
    *,
    check: Callable[[models.Model], None] | None = None,
) -> bool:
    """Set ``changes`` on ``obj`` (a row the caller has locked), run ``check(obj)``, and if
    any of ``fields`` changed, save ``obj`` and record ``action`` with before and after.

    A name outside ``fields`` is a programming error (TypeError). Returns whether anything
    changed; an unchanged object is neither saved nor audited."""
    before = snapshot(obj, fields)
    for name, value in changes.items():
        if name not in fields:
            raise TypeError(name)
        setattr(obj, name, value)
    if check is not None:
        check(obj)
    after = snapshot(obj, fields)
    if after == before:
        return False
    obj.save()
    record(actor, action, obj, before=before, after=after)
    return True


@dataclass
class ChainProblem:
    seq: int
    reason: str

    def __str__(self):
        return f"#{self.seq}: {self.reason}"


@dataclass(frozen=True)
class Anchor:
    """An event's sequence and hash, printed by ``verify_audit`` to be kept outside the
    database; a later run given it proves the chain still holds that event unchanged."""

    seq: int
    hash: str

    def __str__(self):
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        """``SEQ:HASH`` as printed; ValueError if it is not one."""
        seq, sep, digest = text.strip().partition(":")
        digest = digest.lower()
        if not (sep and seq.isdigit() and int(seq) > 0 and len(digest) == 64):
            raise ValueError(text)
        int(digest, 16)  # ValueError unless hexadecimal
        return cls(int(seq), digest)


@dataclass
class ChainReport:
    problems: list[ChainProblem]
    count: int
    end: Anchor | None  # the last event, when there is one


def verify_chain(batch_size: int = 2000) -> list[ChainProblem]:
    """Check every event against its hash and its predecessor, and the chain's end against
    the head; return what is wrong. See ``check_chain``."""
    return check_chain(batch_size=batch_size).problems


def check_chain(anchors: Iterable[Anchor] = (), batch_size: int = 2000) -> ChainReport:
    """Check every event against its hash and its predecessor, the chain's end against the
    head, and each kept anchor against the event of its sequence; report what is wrong,
    how many events there are and the last one (the anchor to keep next).

    The head may be behind the last event (a transaction that committed a moment ago, or
    one whose after-commit write was lost): then the event it names must still be there,
    unchanged. A non-empty chain without its head was cut: the head went with the last
    events, or ``record`` found it gone and left a ``HEAD_RECREATED`` event. Only an anchor
    kept elsewhere shows a cut made with the head rewritten to match."""
    problems: list[ChainProblem] = []
    kept = {anchor.seq: anchor.hash for anchor in anchors}
    head = AuditHead.objects.filter(pk=1).first()
    expected_seq = 1
    prev_hash = GENESIS
    at_head = None  # the hash of the event the head names, as found
    count = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        count += 1
        if event.seq != expected_seq:
            missing = (
                f"#{expected_seq}"
                if event.seq == expected_seq + 1
                else f"#{expected_seq}-#{event.seq - 1}"
            )
            problems.append(ChainProblem(expected_seq, f"event(s) {missing} deleted"))
        if event.prev_hash != prev_hash:
            problems.append(
                ChainProblem(event.seq, "previous-hash link broken (an earlier event changed)")
            )
        if _digest(event) != event.hash:
            problems.append(ChainProblem(event.seq, "content does not match its hash (edited)"))
        if event.action == HEAD_RECREATED:
            problems.append(
                ChainProblem(
                    event.seq,
                    "the chain head had been deleted and was re-created here: "
                    "the events that followed it may have been deleted",
                )
            )
        if event.seq in kept and kept.pop(event.seq) != event.hash:
            problems.append(ChainProblem(event.seq, "event differs from the anchor kept"))
        if head and event.seq == head.last_seq:
            at_head = event.hash
        prev_hash = event.hash
        expected_seq = event.seq + 1
    for seq in sorted(kept):
        problems.append(ChainProblem(seq, "the event of the anchor kept is deleted"))
    if head is None and count:
        problems.append(
            ChainProblem(
                expected_seq,
                "the chain head is deleted: events after "
                f"#{expected_seq - 1} may have been deleted with it",
            )
        )
    elif head and head.last_seq >= expected_seq:
        missing = (
            f"#{head.last_seq}"
            if head.last_seq == expected_seq
            else f"#{expected_seq}-#{head.last_seq}"
        )
        problems.append(ChainProblem(expected_seq, f"last event(s) {missing} deleted"))
    elif head and head.last_hash and at_head is not None and at_head != head.last_hash:
        problems.append(ChainProblem(head.last_seq, "event differs from the chain head"))
    end = Anchor(expected_seq - 1, prev_hash) if count else None
    return ChainReport(problems, count, end)
