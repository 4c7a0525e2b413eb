"""The API: casting is the member's own act; refusals answer 400/403 with the reason and
change nothing; progress shows counts only; results after closing; fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import Ballot
from emulation_portal.models import Role
from tests.council.conftest import accepted, vote_all
from tests.factories import UserFactory


@pytest.fixture
def session(world, make_session):
    return make_session(
        [
            accepted(person=world.people[0], proposing_unit=world.vp),
            accepted(person=world.people[1], proposing_unit=world.vp),
        ]
    )


def _url(s, action=""):
    return f"/api/v1/council-sessions/{s.pk}/" + (f"{action}/" if action else "")


def _choices(s, choice="approve"):
    return {"choices": {str(i.pk): choice for i in s.items.all()}}


def test_member_casts_and_gets_a_receipt(world, session, client):
    client.force_login(world.members[1].user)
    r = client.post(_url(session, "ballot"), _choices(session), content_type="application/json")
    assert r.status_code == 201, r.content
    assert Ballot.objects.filter(receipt=r.json()["receipt"]).exists()
    again = client.post(_url(session, "ballot"), _choices(session), content_type="application/json")
    assert again.status_code == 400 and "đã bỏ phiếu" in again.json()["detail"][0]
    assert Ballot.objects.count() == 1


def test_refusals_in_vietnamese(world, session, client):
    client.force_login(world.members[1].user)
    bad = {"choices": {"999999": "approve"}}
    r = client.post(
        _url(session, "ballot"), bad, content_type="application/json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert r.status_code == 400
    assert "không có trong chương trình" in r.json()["detail"][0]


def test_outsiders_cannot_see_or_cast(world, session, client):
    outsider = UserFactory(role=Role.COUNCIL, username="ngoai")
    client.force_login(outsider)
    assert client.get(_url(session)).status_code == 404
    r = client.post(_url(session, "ballot"), _choices(session), content_type="application/json")
    assert r.status_code == 404
    assert Ballot.objects.count() == 0


def test_office_cannot_cast_for_a_member(world, session, client):
    client.force_login(world.office)
    r = client.post(_url(session, "ballot"), _choices(session), content_type="application/json")
    assert r.status_code == 403
    assert Ballot.objects.count() == 0


def test_progress_counts_and_results_after_closing(world, session, client):
    vote_all(session, world.members[:5], lambda i, it: "approve")
    client.force_login(world.chair.user)
    progress = client.get(_url(session, "progress")).json()
    assert progress["cast"] == 5 and progress["members"] == 15
    assert client.get(_url(session, "results")).status_code == 403
    client.force_login(world.members[3].user)
    assert client.get(_url(session, "progress")).status_code == 403
    client.force_login(world.office)
    r = client.post(_url(session, "transition"), {"move": "close"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    client.force_login(world.members[3].user)
    data = client.get(_url(session, "results")).json()
    assert len(data["receipts"]) == 5
    assert data["items"][0]["approvals"] == 5 and data["items"][0]["approved"] is False


def test_open_refused_without_quorum_through_the_api(world, make_session, client):
    s = make_session(
        [accepted(person=world.people[0], proposing_unit=world.vp)], present=9, open_it=False
    )
    client.force_login(world.office)
    r = client.post(_url(s, "transition"), {"move": "open"}, content_type="application/json")
    assert r.status_code == 400 and "10" in r.json()["detail"][0]
    s.refresh_from_db()
    assert s.state == "draft"


@pytest.mark.parametrize("n", [1, 3])
def test_session_list_query_count_is_fixed(world, make_session, client, n):
    for i in range(n):
        make_session([accepted(person=world.people[i], proposing_unit=world.vp)], open_it=False)
    client.force_login(world.members[2].user)
    client.get("/api/v1/council-sessions/")
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/api/v1/council-sessions/")
    assert r.status_code == 200 and len(r.json()["results"]) == n
    assert len(ctx.captured_queries) <= 12, [q["sql"] for q in ctx.captured_queries]
    test_session_list_query_count_is_fixed.counts = getattr(
        test_session_list_query_count_is_fixed, "counts", {}
    )
    test_session_list_query_count_is_fixed.counts[n] = len(ctx.captured_queries)
    if len(test_session_list_query_count_is_fixed.counts) == 2:
        a, b = test_session_list_query_count_is_fixed.counts.values()
        assert a == b


def test_council_list(world, client):
    client.force_login(world.members[2].user)
    data = client.get("/api/v1/councils/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert rows[0]["terms"][0]["decision_number"] == "100/QĐ-BNNMT"
    assert len(rows[0]["terms"][0]["members"]) == 15
