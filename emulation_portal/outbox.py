"""The outbox: work enqueued after commit is first a row in the caller's transaction, then
sent to the broker, so a request never waits on a broker that is down and no work is lost.

``jobs.enqueue`` writes the row (``add``) and, once the transaction commits, tries to send it
(``dispatch``) with short bounds: one connection attempt, a publish that never retries, no
result subscription. A row that could not be sent stays unsent with its error and is sent by
the next sweep: ``manage.py sweep_outbox`` (``--loop`` for a long-running process), each
enqueue whose publish succeeds, and each ``/healthz`` that finds the broker up.

A row is sent by whoever claims it first (a conditional UPDATE on ``sent_at IS NULL`` and an
expired claim), so two sweepers never publish one row twice; should a sender die between
publishing and marking the row sent, the worker still runs the task once: the first delivery
stamps ``started_at`` (``mark_started``) and later ones are ignored.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from emulation_portal.celery import app as celery_app
from emulation_portal.models import OutboxMessage

log = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"
# Long enough to cover a bounded publish; a sender that died frees its rows after it.
CLAIM_LEASE = timedelta(seconds=60)
# A failed row waits this long before a sweep tries it again.
RETRY_DELAY = timedelta(seconds=10)
# After a failure this process sends nothing for a while (each new row just waits), so a
# burst of requests does not pay the connection bound one after another.
PAUSE_AFTER_FAILURE = 5.0
# Rows an enqueue or /healthz sends on the side, besides its own.
OPPORTUNISTIC_BATCH = 20

_paused_until = 0.0


class BrokerUnavailable(Exception):
    pass


def add(task_name: str, args, kwargs, job=None) -> OutboxMessage:
    """Write an unsent row for ``task_name(*args, **kwargs)`` in the current transaction."""
    return OutboxMessage.objects.create(
        task=task_name,
        args=list(args),
        kwargs=dict(kwargs),
        job=job,
        next_attempt_at=timezone.now(),
    )


def task_id_for(pk: int) -> str:
    # The row's id lets the worker deduplicate; the random part keeps Celery ids unique
    # should ids be reused (a test database flushed while old messages wait in the queue).
    return f"{TASK_ID_PREFIX}{pk}-{uuid.uuid4().hex[:12]}"


def message_pk(task_id: str | None) -> int | None:
    """The outbox row a Celery task id was sent for, or None for other task ids."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    head = task_id[len(TASK_ID_PREFIX) :].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def mark_started(pk: int) -> bool:
    """Stamp the row's first start by a worker; False when a worker already started it."""
    if OutboxMessage.objects.filter(pk=pk, started_at__isnull=True).update(
        started_at=timezone.now()
    ):
        return True
    return not OutboxMessage.objects.filter(pk=pk).exists()


def _claim(pk: int) -> bool:
    now = timezone.now()
    return bool(
        OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    )


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:2000]


def _record_failure(pks, exc: BaseException, *, attempted: bool, claimed: bool) -> None:
    """Leave the rows unsent with the error and a next attempt; releases a claim."""
    global _paused_until
    if attempted:
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
    fields = {
        "last_error": _error_text(exc),
        "next_attempt_at": timezone.now() + RETRY_DELAY,
        "claimed_until": None,
    }
    rows = OutboxMessage.objects.filter(pk__in=list(pks), sent_at__isnull=True)
    if not claimed:  # a claimed row's attempt was counted by its claim
        rows = rows.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now()))
        if attempted:
            fields["attempts"] = F("attempts") + 1
    rows.update(**fields)


def _connect():
    """A fresh broker connection, tried once (no retry); connecting and each socket read
    (a broker that accepts but never answers) are bounded by the connection timeout."""
    bound = celery_app.conf.broker_connection_timeout
    conn = celery_app.connection_for_write(
        transport_options={"socket_connect_timeout": bound, "socket_timeout": bound}
    )
    try:
        conn.ensure_connection(max_retries=0, interval_start=0, interval_step=0, timeout=bound)
    except BaseException:
        conn.release()
        raise
    return conn


def _publish(conn, message: OutboxMessage) -> None:
    celery_app.send_task(
        message.task,
        args=message.args,
        kwargs=message.kwargs,
        task_id=task_id_for(message.pk),
        connection=conn,
        # Bounded: one attempt, and no result subscription (the Redis result backend's
        # reconnect loop is what made a request hang for about 19 s). Jobs report
        # through their Job row, other tasks have no caller waiting for a result.
        retry=False,
        ignore_result=True,
    )


def _send_claimed(conn, pks) -> int:
    """Claim and publish each row in turn; stops at the first failed publish."""
    sent = 0
    for pk in pks:
        if not _claim(pk):
            continue  # sent or being sent by someone else
        message = OutboxMessage.objects.get(pk=pk)
        try:
            _publish(conn, message)
        except Exception as exc:
            _record_failure([pk], exc, attempted=True, claimed=True)
            raise BrokerUnavailable(str(exc)) from exc
        OutboxMessage.objects.filter(pk=pk).update(
            sent_at=timezone.now(), claimed_until=None, last_error=""
        )
        sent += 1
    return sent


def _due_pks(limit: int | None, *, due_only: bool) -> list[int]:
    now = timezone.now()
    rows = OutboxMessage.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if due_only:
        rows = rows.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    pks = rows.order_by("id").values_list("pk", flat=True)
    return list(pks[:limit] if limit else pks)


def paused() -> bool:
    """True for a few seconds after this process failed to reach the broker."""
    return time.monotonic() < _paused_until


def send(pks, *, sweep_after: int = 0, respect_pause: bool = True) -> int:
    """Send the unsent rows ``pks`` (then up to ``sweep_after`` other due rows, oldest first,
    once the broker has taken them). Never raises for a broker that is down: the rows stay
    unsent with the error. Returns how many rows this call sent."""
    global _paused_until
    pks = list(pks)
    if not OutboxMessage.objects.filter(pk__in=pks, sent_at__isnull=True).exists():
        return 0  # e.g. sent on the side by an earlier dispatch of the same transaction
    if respect_pause and paused():
        failure = BrokerUnavailable("the broker was unavailable moments ago")
        _record_failure(pks, failure, attempted=False, claimed=False)
        return 0
    try:
        conn = _connect()
    except Exception as exc:
        log.warning("broker unavailable, %d outbox row(s) wait: %s", len(pks), exc)
        _record_failure(pks, exc, attempted=True, claimed=False)
        return 0
    _paused_until = 0.0  # the broker answers again: no need to hold new rows back
    sent = 0
    try:
        sent += _send_claimed(conn, pks)
        if sweep_after:
            others = [pk for pk in _due_pks(sweep_after, due_only=True) if pk not in pks]
            sent += _send_claimed(conn, others)
    except BrokerUnavailable as exc:
        log.warning("broker publish failed, outbox rows wait: %s", exc)
    finally:
        conn.release()
    return sent


def dispatch(pk: int) -> None:
    """After commit: send the row just written, and older waiting rows if the broker takes
    it. Never raises: the request that enqueued must not fail because of the broker."""
    try:
        send([pk], sweep_after=OPPORTUNISTIC_BATCH)
    except Exception:  # a database error here must not turn the committed request into a 500
        log.exception("outbox row %s could not be dispatched; a sweep will send it", pk)


def sweep(limit: int | None = None, *, due_only: bool = True, respect_pause: bool = True) -> int:
    """Send waiting rows, oldest first (at most ``limit``; only those whose next attempt has
    come unless ``due_only`` is False; nothing for a few seconds after this process failed
    to reach the broker unless ``respect_pause`` is False). Stops at the first broker
    failure. Returns how many rows it sent."""
    if respect_pause and paused():
        return 0
    pks = _due_pks(limit, due_only=due_only)
    if not pks:
        return 0
    return send(pks, respect_pause=respect_pause)


def waiting_count() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def prune(older_than: timedelta) -> int:
    """Delete rows sent longer ago than ``older_than``; returns how many."""
    deleted, _ = OutboxMessage.objects.filter(
        sent_at__isnull=False, sent_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
