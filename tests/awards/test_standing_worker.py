"""The fanned-out pass through a real broker and worker stores what one process computes.

Runs only when CELERY_BROKER_URL is set (the PostgreSQL + Redis pass of .ci/run)."""

import time

import pytest

from awards import verdict_store
from awards.models import VerdictPass
from tests.awards.factories import PersonFactory, UnitFactory, award, rate, rate_unit
from tests.awards.test_standing_verdicts import YEAR, engine, stored

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_fanned_out_pass_on_the_worker_equals_one_process(celery_worker_process):
    vp = UnitFactory(code="VP", name="Văn phòng Bộ")
    rate_unit(vp, {YEAR: "HTXSNV"})
    for i in range(9):
        p = PersonFactory(code=f"W{i:03d}", unit=vp)
        rate(p, {2023: "HTXSNV", YEAR: ["HTXSNV", "HTTNV", "HTNV"][i % 3]})
        if i % 2:
            award(p, "CSTD_CS", 2023)
    p = verdict_store.request_pass(None, YEAR)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        p.refresh_from_db()
        if p.state in (VerdictPass.State.DONE, VerdictPass.State.FAILED):
            break
        time.sleep(0.3)
    assert p.state == VerdictPass.State.DONE, p.message
    assert p.chunks_total == p.chunks_done
    assert stored() == engine()
