"""API: the same permissions as the pages; refusals are 400/403 and change nothing."""

import datetime as dt

import pytest

from campaigns import services
from campaigns.models import (
    AcclamationVote,
    Campaign,
    ElectionVote,
    Ranking,
    Registration,
    Score,
    Signature,
)
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_campaigns_read_by_all_written_by_the_office(client, viewer_user, office_user):
    CampaignFactory(year=2025)
    client.force_login(viewer_user)
    assert client.get(f"{API}/campaigns/").json()["count"] == 1
    body = {
        "year": 2026,
        "kind": "annual",
        "name": "2026",
        "theme": "",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    assert client.post(f"{API}/campaigns/", body).status_code == 403
    client.force_login(office_user)
    r = client.post(f"{API}/campaigns/", body)
    assert r.status_code == 201, r.json()
    r = client.post(f"{API}/campaigns/", body)
    assert r.status_code == 400 and "year" in r.json()
    pk = Campaign.objects.get(year=2026).pk
    assert client.post(f"{API}/campaigns/{pk}/launch/", {"reference": "x"}).json()["state"] == (
        "launched"
    )
    r = client.patch(
        f"{API}/campaigns/{pk}/", {"theme": "Kỷ cương"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["theme"] == "Kỷ cương"
    r = client.patch(
        f"{API}/campaigns/{pk}/", {"ends_on": "2025-12-31"}, content_type="application/json"
    )
    assert r.status_code == 400 and "ends_on" in r.json()
    client.force_login(viewer_user)
    assert client.post(f"{API}/campaigns/{pk}/close/").status_code == 403
    r = client.patch(f"{API}/campaigns/{pk}/", {"theme": "x"}, content_type="application/json")
    assert r.status_code == 403
    campaign = Campaign.objects.get(pk=pk)
    assert (campaign.state, campaign.theme) == ("launched", "Kỷ cương")


def test_registration_api(client, bloc_setup, viewer_user):
    s = bloc_setup
    c = CampaignFactory(year=s.year, state="launched", launched_at=dt.datetime.now(dt.UTC))
    body = {
        "campaign": c.pk,
        "unit": "DV_B",
        "collective_title": "TTLDXS",
        "initiatives": ["Số hóa"],
        "submit": True,
    }
    client.force_login(viewer_user)
    assert (
        client.post(f"{API}/registrations/", body, content_type="application/json").status_code
        == 403
    )
    client.force_login(s.officers[2])
    assert (
        client.post(f"{API}/registrations/", body, content_type="application/json").status_code
        == 403
    )
    assert not Registration.objects.exists()
    client.force_login(s.officers[1])
    r = client.post(f"{API}/registrations/", body, content_type="application/json")
    assert r.status_code == 201, r.json()
    assert r.json()["entries"][0]["initiative_title"] == "Số hóa"
    client.force_login(s.officers[2])
    assert client.get(f"{API}/registrations/").json()["count"] == 0


def test_pledge_sign_and_scores_api(client, bloc_setup, viewer_user):
    s = bloc_setup
    pledge = services.start_pledge(s.leader, s.bloc, s.year)
    services.set_criteria(s.leader, pledge, [{"name": "A", "max_points": 10}])
    services.open_signing(s.leader, pledge)
    client.force_login(viewer_user)
    assert client.get(f"{API}/pledges/").json()["count"] == 0
    assert client.post(f"{API}/pledges/{pledge.pk}/sign/", {"unit": "DV_A"}).status_code == 404
    client.force_login(s.outsider)
    assert client.post(f"{API}/pledges/{pledge.pk}/sign/", {"unit": "DV_X"}).status_code == 404
    client.force_login(s.officers[1])
    assert client.post(f"{API}/pledges/{pledge.pk}/sign/", {"unit": "DV_C"}).status_code == 403
    assert client.post(f"{API}/pledges/{pledge.pk}/sign/", {"unit": "DV_B"}).status_code == 201
    r = client.post(f"{API}/pledges/{pledge.pk}/sign/", {"unit": "DV_B"})
    assert r.status_code == 400 and "đã ký giao ước này" in str(r.json())  # in Vietnamese
    assert Signature.objects.count() == 1
    for unit, user in zip(s.units, s.officers, strict=True):
        if unit != s.units[1]:
            services.sign_pledge(user, pledge, unit)
    crit = pledge.criteria.get()
    r = client.post(f"{API}/scores/", {"criterion": crit.pk, "unit": "DV_B", "points": "11"})
    assert r.status_code == 400
    r = client.post(f"{API}/scores/", {"criterion": crit.pk, "unit": "DV_C", "points": "5"})
    assert r.status_code == 403
    r = client.post(f"{API}/scores/", {"criterion": crit.pk, "unit": "DV_B", "points": "8"})
    assert r.status_code == 201 and r.json()["version"] == 1
    score_id = r.json()["id"]
    r = client.post(f"{API}/scores/{score_id}/adjust/", {"points": 5, "reason": "x", "version": 1})
    assert r.status_code == 403
    client.force_login(s.leader)
    r = client.post(f"{API}/scores/{score_id}/adjust/", {"points": 5, "reason": "", "version": 1})
    assert r.status_code == 400
    r = client.post(
        f"{API}/scores/{score_id}/adjust/", {"points": 5, "reason": "Thiếu", "version": 1}
    )
    assert r.status_code == 200 and r.json()["final_points"] == "5.00"
    r = client.post(
        f"{API}/scores/{score_id}/adjust/", {"points": 4, "reason": "Lại", "version": 1}
    )
    assert r.status_code == 400  # stale version
    assert Score.objects.get().final_points == 5


def test_rankings_and_votes_api(client, bloc_setup, locked_pledge, viewer_user):
    s = bloc_setup
    ranking = services.compute_ranking(s.leader, s.bloc, s.year)
    client.force_login(viewer_user)
    assert client.get(f"{API}/rankings/").json()["count"] == 0  # not published
    services.publish_ranking(s.leader, ranking)
    data = client.get(f"{API}/rankings/").json()
    assert data["count"] == 1 and len(data["results"][0]["entries"]) == 4
    assert Ranking.objects.get().published_at
    meeting = services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="year_end",
        held_on=dt.date(2026, 1, 10),
        place="Hà Nội",
        host=s.units[0],
    )
    body = {
        "meeting": meeting.pk,
        "voting_unit": "DV_B",
        "award_code": "CO_BO",
        "candidate": "DV_A",
    }
    client.force_login(s.outsider)
    assert client.post(f"{API}/acclamation-votes/", body).status_code == 403
    client.force_login(s.officers[1])
    assert client.post(f"{API}/acclamation-votes/", body).status_code == 201
    assert client.post(f"{API}/acclamation-votes/", body).status_code == 400
    assert (
        client.post(f"{API}/acclamation-votes/", {**body, "voting_unit": "DV_C"}).status_code == 403
    )
    r = client.post(
        f"{API}/election-votes/",
        {"meeting": meeting.pk, "voting_unit": "DV_B", "office": "leader", "candidate": "DV_X"},
    )
    assert r.status_code == 400
    assert AcclamationVote.objects.count() == 1
    assert client.get(f"{API}/acclamation-votes/?meeting={meeting.pk}").json()["count"] == 1
    client.force_login(viewer_user)
    assert client.get(f"{API}/acclamation-votes/").json()["count"] == 0


@pytest.mark.parametrize(
    "who,voting_unit,code",
    [
        ("outsider", "DV_X", 403),  # not an officer of a member unit
        ("member", "DV_C", 403),  # for another member unit
        ("viewer", "DV_B", 403),
        ("office", "DV_B", 403),  # the office oversees, it does not vote
        ("member", "DV_B", 201),
    ],
)
def test_election_vote_api_permissions(client, bloc_setup, make_user, who, voting_unit, code):
    s = bloc_setup
    meeting = services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="year_end",
        held_on=dt.date(2026, 1, 10),
        place="Hà Nội",
        host=s.units[0],
    )
    user = {
        "outsider": s.outsider,
        "member": s.officers[1],
        "viewer": make_user("viewer"),
        "office": make_user("office"),
    }[who]
    client.force_login(user)
    r = client.post(
        f"{API}/election-votes/",
        {
            "meeting": meeting.pk,
            "voting_unit": voting_unit,
            "office": "leader",
            "candidate": "DV_A",
        },
    )
    assert r.status_code == code
    assert ElectionVote.objects.count() == (1 if code == 201 else 0)


def test_proposals_api_is_scoped(client, bloc_setup, viewer_user, office_user):
    s = bloc_setup
    meeting = services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="year_end",
        held_on=dt.date(2026, 1, 10),
        place="Hà Nội",
        host=s.units[0],
    )
    for unit, user in zip(s.units, s.officers, strict=True):
        services.cast_acclamation_vote(
            user, meeting, voting_unit=unit, award_code="CO_BO", candidate=s.units[0]
        )
    services.record_meeting_result(s.leader, meeting)
    for user, expected in ((viewer_user, 0), (s.outsider, 0), (s.officers[3], 1), (office_user, 1)):
        client.force_login(user)
        data = client.get(f"{API}/acclamation-proposals/").json()
        assert data["count"] == expected
    assert data["results"][0]["unit"] == "DV_A" and data["results"][0]["votes"] == 4
