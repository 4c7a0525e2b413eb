"""Real concurrency (PostgreSQL only; SQLite has no concurrent writers): two saves of one
dossier from the same version, and two reviewers moving one nomination at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from awards.models import Nomination
from awards.nominations import services
from emulation_portal.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs real concurrent connections (PostgreSQL)"
    ),
]


def _at_once(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        from django.db import connection as conn

        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except (ValidationError, PermissionDenied) as exc:
            outcomes.append(getattr(exc, "code", None) or "refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_two_saves_from_one_version_one_wins(world, complete_bk):
    n, v = complete_bk, complete_bk.version
    outcomes = _at_once(
        lambda: services.update_dossier(world.officer, n, version=v, background="Bản A"),
        lambda: services.update_dossier(world.office, n, version=v, background="Bản B"),
    )
    assert outcomes == ["ok", "stale"]
    n.refresh_from_db()
    assert n.version == v + 1 and n.background in ("Bản A", "Bản B")
    assert AuditEvent.objects.filter(action="nomination.edit").count() == 1


def test_return_and_accept_at_once_one_wins(world, complete_bk):
    n = services.transition(world.officer, complete_bk, "submit")
    outcomes = _at_once(
        lambda: services.transition(world.office, n, "accept"),
        lambda: services.transition(world.office, n, "return", comments=[("general", "Thiếu")]),
    )
    assert outcomes == ["bad_state", "ok"]
    n.refresh_from_db()
    assert n.state in ("accepted", "returned")
    moves = AuditEvent.objects.filter(action__in=["nomination.accept", "nomination.return"])
    assert moves.count() == 1
    assert Nomination.objects.get(pk=n.pk).comments.count() == (n.state == "returned")
