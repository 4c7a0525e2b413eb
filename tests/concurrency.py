"""Running callables in real threads released together, for the race tests on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

# Row locks and concurrent transactions need a server database: skip elsewhere.
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent transactions need PostgreSQL (set DATABASE_URL)",
)


def run_at_once(jobs):
    """Run each callable in its own thread, all released by one barrier; return, in order,
    ``("ok", result)`` or ``("error", exception)`` per job. Each thread closes its database
    connections, so the test's teardown can drop the database."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = ("ok", job())
        except Exception as exc:  # the outcome is what the test asserts
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
