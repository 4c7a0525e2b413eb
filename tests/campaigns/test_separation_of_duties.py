"""Separation of duties in the bloc's scoring: the leading unit's officer enters its own
unit's self-assessment, so they may not adjust it (service, page, API); they still adjust the
other members' scores, and the emulation office adjusts the leading unit's own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campaigns import services
from emulation_portal.models import AuditEvent

API = "/api/v1"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _cell(s, crit, unit):
    return reverse("campaigns:score", args=[s.bloc.pk, s.year, crit.pk, unit.pk])


@pytest.fixture
def own_score(locked_pledge, bloc_setup):
    """The leading unit's self-assessment, entered by its officer (the bloc's leader)."""
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    return services.save_self_score(s.leader, crit, s.units[0], points=55)


def test_the_leader_may_not_adjust_their_own_units_score(own_score, bloc_setup):
    s = bloc_setup
    with pytest.raises(PermissionDenied, match="may not adjust its own score"):
        services.adjust_score(s.leader, own_score, points=60, reason="Tự nâng", version=1)
    own_score.refresh_from_db()
    assert own_score.final_points is None
    assert not AuditEvent.objects.filter(action="score.adjust").exists()


def test_the_office_adjusts_the_leading_units_score_not_the_others(
    own_score, bloc_setup, office_user
):
    s = bloc_setup
    score = services.adjust_score(office_user, own_score, points=50, reason="Thiếu", version=1)
    assert score.final_points == 50 and score.adjusted_by == office_user
    other = services.save_self_score(s.officers[2], own_score.criterion, s.units[2], points=40)
    with pytest.raises(PermissionDenied):
        services.adjust_score(office_user, other, points=30, reason="x", version=1)
    # the leader still adjusts another member's score
    assert services.adjust_score(s.leader, other, points=30, reason="x", version=1).final_points


def test_pages_offer_no_adjustment_of_the_own_unit(client, own_score, bloc_setup, office_user):
    s = bloc_setup
    crit = own_score.criterion
    other = services.save_self_score(s.officers[2], crit, s.units[2], points=40)
    own_cell, other_cell = _cell(s, crit, s.units[0]), _cell(s, crit, s.units[2])
    client.force_login(s.leader)
    assert 'name="reason"' not in client.get(own_cell + "?adjust=1", **HTMX).content.decode()
    assert 'name="reason"' in client.get(other_cell + "?adjust=1", **HTMX).content.decode()
    grid = client.get(reverse("campaigns:bloc-year", args=[s.bloc.pk, s.year])).content.decode()
    assert f"{crit.pk}/{s.units[0].pk}/?adjust=1" not in grid
    assert f"{crit.pk}/{s.units[2].pk}/?adjust=1" in grid
    response = client.post(own_cell, {"points": 60, "reason": "Tự nâng", "version": 1})
    assert response.status_code == 403
    own_score.refresh_from_db()
    assert own_score.final_points is None

    client.force_login(office_user)
    grid = client.get(reverse("campaigns:bloc-year", args=[s.bloc.pk, s.year])).content.decode()
    assert f"{crit.pk}/{s.units[0].pk}/?adjust=1" in grid
    assert f"{crit.pk}/{s.units[2].pk}/?adjust=1" not in grid
    client.post(own_cell, {"points": 50, "reason": "Thiếu minh chứng", "version": 1})
    own_score.refresh_from_db()
    assert own_score.final_points == 50
    other.refresh_from_db()
    assert other.final_points is None


def test_api_refuses_the_leader_on_their_own_unit_with_the_reason(
    client, own_score, bloc_setup, office_user
):
    s = bloc_setup
    client.force_login(s.leader)
    r = client.post(
        f"{API}/scores/{own_score.pk}/adjust/",
        {"points": 60, "reason": "Tự nâng", "version": 1},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert r.status_code == 403 and "không được điều chỉnh điểm" in r.json()["detail"]
    client.force_login(office_user)
    r = client.post(
        f"{API}/scores/{own_score.pk}/adjust/", {"points": 50, "reason": "Thiếu", "version": 1}
    )
    assert r.status_code == 200 and r.json()["final_points"] == "50.00"
