"""Every transition by every role: the allowed ones pass, the others are refused by the
service, the page and the API, and a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from awards.models import Nomination
from awards.nominations import services
from emulation_portal.models import AuditEvent, Role

SOURCE = {
    "submit": "draft",
    "start_review": "submitted",
    "return": "under_review",
    "accept": "under_review",
    "withdraw": "submitted",
    "schedule": "accepted",
    "approve": "in_session",
    "reject": "in_session",
    "decide": "approved",
}
# Ministry-level title (BK_BO): who may make each move.
ALLOWED = {
    "submit": {"office", "officer"},
    "withdraw": {"office", "officer"},
    "start_review": {"office"},
    "return": {"office"},
    "accept": {"office"},
    "schedule": {"office"},
    "approve": {"office"},
    "reject": {"office"},
    "decide": {"office"},
}
ROLES = ["office", "officer", "other_officer", "viewer", "council"]


@pytest.fixture
def actors(world, make_user):
    return {
        "office": world.office,
        "officer": world.officer,
        "other_officer": world.other_officer,
        "viewer": make_user(Role.VIEWER, username="v1"),
        "council": make_user(Role.COUNCIL, username="c1"),
    }


def _put(n, state):
    Nomination.objects.filter(pk=n.pk).update(state=state)
    n.refresh_from_db()
    return n


def _snapshot(n):
    n.refresh_from_db()
    return (n.state, n.version, AuditEvent.objects.count(), n.comments.count())


@pytest.mark.parametrize("move", list(SOURCE))
def test_service_allows_only_the_right_roles(move, actors, complete_bk):
    """Every role tries the move from its source state: the refused ones change nothing
    (state, version, audit, comments); the allowed ones reach the target."""
    comments = [("general", "Bổ sung hồ sơ.")] if move == "return" else None
    for role in ROLES:
        n = _put(complete_bk, SOURCE[move])
        before = _snapshot(n)
        if role in ALLOWED[move]:
            internal = services.MOVES[move].internal  # decide: only when signing a decision
            n = services.transition(actors[role], n, move, comments=comments, internal=internal)
            assert n.state == services.MOVES[move].target, role
        else:
            with pytest.raises(PermissionDenied):
                services.transition(actors[role], n, move, comments=comments)
            assert _snapshot(n) == before, role


@pytest.mark.parametrize("move", ["submit", "start_review", "accept", "withdraw"])
def test_page_refuses_and_changes_nothing(move, actors, complete_bk, client):
    n = _put(complete_bk, SOURCE[move])
    for role in ("other_officer", "viewer", "council"):
        before = _snapshot(n)
        client.force_login(actors[role])
        response = client.post(reverse("nominations:move", args=[n.pk]), {"move": move})
        assert response.status_code in (403, 404), role
        assert _snapshot(n) == before, role


@pytest.mark.parametrize(
    "move", ["start_review", "accept", "return", "schedule", "approve", "reject", "decide"]
)
def test_api_refuses_the_proposer_reviewing_a_ministry_title(move, actors, complete_bk, client):
    n = _put(complete_bk, SOURCE[move])
    before = _snapshot(n)
    client.force_login(actors["officer"])
    response = client.post(
        f"/api/v1/nominations/{n.pk}/transition/",
        {"move": move, "comments": [{"section": "general", "text": "x"}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _snapshot(n) == before


def test_api_hides_nominations_from_outsiders(actors, complete_bk, client):
    for role in ("other_officer", "viewer", "council"):
        client.force_login(actors[role])
        assert client.get(f"/api/v1/nominations/{complete_bk.pk}/").status_code == 404
        assert client.get("/api/v1/nominations/").json()["count"] == 0
        response = client.post(
            f"/api/v1/nominations/{complete_bk.pk}/transition/",
            {"move": "submit"},
            content_type="application/json",
        )
        assert response.status_code == 404
    assert Nomination.objects.get(pk=complete_bk.pk).state == "draft"


def test_edit_and_upload_refused_to_outsiders_and_after_submission(actors, complete_bk, client):
    url = reverse("nominations:edit", args=[complete_bk.pk])
    client.force_login(actors["other_officer"])
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_dossier(
            actors["other_officer"], complete_bk, version=complete_bk.version, background="x"
        )
    n = services.transition(actors["officer"], complete_bk, "submit")
    with pytest.raises(PermissionDenied):
        services.update_dossier(actors["officer"], n, version=n.version, background="x")
    assert Nomination.objects.get(pk=n.pk).background != "x"


def test_objection_only_on_disclosed_and_answer_only_by_office(actors, complete_bk):
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    n = services.transition(actors["officer"], complete_bk, "submit")
    with pytest.raises(PermissionDenied):
        services.raise_objection(actors["viewer"], n, text="Không đồng ý")
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.publish_disclosure(
            actors["officer"],
            title="x",
            year=2025,
            starts_on=today,
            ends_on=today,
            nominations=[n],
        )
    services.publish_disclosure(
        actors["office"],
        title="Công khai",
        year=2025,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        nominations=[n],
    )
    objection = services.raise_objection(actors["viewer"], n, text="Không đồng ý")
    with pytest.raises(PermissionDenied):
        services.answer_objection(actors["officer"], objection, answer="Đã giải trình")
    services.answer_objection(actors["office"], objection, answer="Đã giải trình")
    with pytest.raises(ValidationError):
        services.answer_objection(actors["office"], objection, answer="Lần hai")
