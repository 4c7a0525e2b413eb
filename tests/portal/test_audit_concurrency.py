"""The audit chain under real concurrency (PostgreSQL only; SQLite has no concurrent
writers): appends from two connections interleave into one gap-free chain, and a
transaction that has committed never waits for another one's lock to move the head."""

import threading
import time

import pytest
from django.db import connection, transaction

from emulation_portal import audit
from emulation_portal.models import AuditEvent, AuditHead

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs real concurrent connections (PostgreSQL)"
    ),
]


def _append(n, label):
    for i in range(n):
        with transaction.atomic():
            audit.record(None, "test.concurrent", object_type="t", object_label=f"{label}{i}")


def test_two_writers_make_one_chain_and_the_head_follows_it():
    def writer(label):
        from django.db import connection as own

        try:
            _append(20, label)
        finally:
            own.close()

    threads = [threading.Thread(target=writer, args=(x,)) for x in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 41)
    )
    head = AuditHead.objects.get(pk=1)
    assert head.last_seq == 40
    assert audit.verify_chain() == []


def test_a_committed_append_does_not_wait_for_another_appender():
    locked, release = threading.Event(), threading.Event()

    def long_appender():
        from django.db import connection as own

        try:
            with transaction.atomic():
                audit.record(None, "test.long", object_type="t", object_label="long")
                locked.set()
                release.wait(10)
        finally:
            own.close()

    _append(1, "first")  # the head exists and names #1
    other = threading.Thread(target=long_appender)
    other.start()
    assert locked.wait(10)
    try:
        start = time.monotonic()
        # The head is locked by the other transaction: moving it after commit is left to
        # that transaction, so this returns at once instead of waiting for it.
        audit.sync_head()
        waited = time.monotonic() - start
    finally:
        release.set()
        other.join()
    assert waited < 5
    assert AuditHead.objects.get(pk=1).last_seq == 2  # the long appender's sync moved it
    assert audit.verify_chain() == []
