"""Pages: each role sees and does what it may; denied actions change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import (
    AcclamationVote,
    BlocMeeting,
    Campaign,
    ElectionVote,
    Pledge,
    PledgeState,
    Ranking,
    Score,
    Signature,
)
from emulation_portal.models import AuditEvent
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def url(name, s, *args):
    return reverse(f"campaigns:{name}", args=[s.bloc.pk, s.year, *args])


def test_campaign_list_is_in_vietnamese(client, viewer_user):
    CampaignFactory(year=2026)
    client.force_login(viewer_user)
    page = client.get(reverse("campaigns:list")).content.decode()
    assert "<h1>Phong trào thi đua</h1>" in page  # "Campaigns"
    assert "Thời gian" in page and "Trạng thái" in page and "Dự thảo" in page
    assert "Phong trào thi đua năm 2026" in page


def test_office_creates_and_launches_a_campaign(office_client):
    data = {
        "year": 2027,
        "kind": "annual",
        "name": "Thi đua 2027",
        "theme": "Đổi mới",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
    }
    r = office_client.post(reverse("campaigns:create"), data)
    campaign = Campaign.objects.get(year=2027)
    assert r.status_code == 302
    office_client.post(reverse("campaigns:launch", args=[campaign.pk]), {"reference": "KH 01"})
    campaign.refresh_from_db()
    assert campaign.state == "launched" and campaign.launch_reference == "KH 01"
    # a bad date range keeps the input and says why
    data2 = {**data, "year": 2028, "name": "Giữ nguyên", "ends_on": "2026-12-31"}
    r = office_client.post(reverse("campaigns:create"), data2)
    assert r.status_code == 200 and "Giữ nguyên" in r.content.decode()
    assert not Campaign.objects.filter(year=2028).exists()


@pytest.mark.parametrize("role", ["viewer", "unit_officer"])
def test_only_the_office_manages_campaigns(client, make_user, role):
    campaign = CampaignFactory(year=2026)
    client.force_login(make_user(role))
    assert client.get(reverse("campaigns:create")).status_code == 403
    r = client.post(reverse("campaigns:launch", args=[campaign.pk]))
    assert r.status_code == 403
    campaign.refresh_from_db()
    assert campaign.state == "draft"
    assert client.post(reverse("campaigns:remind", args=[campaign.pk])).status_code == 403


def test_office_dashboard_shows_each_bloc(office_client, locked_pledge, bloc_setup):
    s = bloc_setup
    campaign = CampaignFactory(year=s.year)
    page = office_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert s.bloc.name in page and "4 / 4" not in page
    assert "4 trên 4" in page or "4 of 4" in page


def test_bloc_page_permissions(client, bloc_setup, viewer_user, office_user):
    s = bloc_setup
    for user, code in (
        (viewer_user, 403),
        (s.outsider, 403),
        (office_user, 200),
        (s.officers[2], 200),
        (s.leader, 200),
    ):
        client.force_login(user)
        assert client.get(url("bloc-year", s)).status_code == code, user


def test_pledge_through_the_pages(client, bloc_setup):
    s = bloc_setup
    client.force_login(s.officers[1])  # a member, not the leader
    assert client.post(url("pledge-start", s)).status_code == 403
    assert not Pledge.objects.exists()
    client.force_login(s.leader)
    client.post(url("pledge-start", s))
    pledge = Pledge.objects.get()
    form = {
        "title": "Giao ước 2025",
        "text": "",
        "targets": "",
        "signing_meeting": "",
        "crit-TOTAL_FORMS": "3",
        "crit-INITIAL_FORMS": "0",
        "crit-0-name": "Chuyên môn",
        "crit-0-kind": "standard",
        "crit-0-max_points": "80",
        "crit-1-name": "Thưởng",
        "crit-1-kind": "bonus",
        "crit-1-max_points": "10",
        "crit-2-name": "",
        "crit-2-kind": "standard",
        "crit-2-max_points": "",
    }
    r = client.post(url("pledge-edit", s, pledge.pk), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert pledge.criteria.count() == 2
    client.post(url("pledge-open", s, pledge.pk))
    # a member signs for itself; not for another unit; the outsider cannot
    client.force_login(s.officers[1])
    r = client.post(url("pledge-sign", s, pledge.pk), {"unit": s.units[2].pk})
    assert r.status_code == 403
    client.post(url("pledge-sign", s, pledge.pk), {"unit": s.units[1].pk})
    r = client.post(url("pledge-sign", s, pledge.pk), {"unit": s.units[1].pk}, follow=True)
    assert "đã ký" in r.content.decode() or "already signed" in r.content.decode()
    client.force_login(s.outsider)
    r = client.post(url("pledge-sign", s, pledge.pk), {"unit": s.outsider_unit.pk})
    assert r.status_code == 403
    assert list(Signature.objects.values_list("unit", flat=True)) == [s.units[1].pk]


def test_scoring_with_htmx_and_adjustment(client, bloc_setup, locked_pledge):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    htmx = {"HTTP_HX_REQUEST": "true"}
    client.force_login(s.officers[1])
    cell = url("score", s, crit.pk, s.units[1].pk)
    r = client.get(cell + "?edit=1", **htmx)
    assert 'name="points"' in r.content.decode()
    r = client.post(cell, {"points": "75", "evidence": "x", "version": "0"}, **htmx)
    assert r.status_code == 200 and not Score.objects.exists()  # above 60: refused, kept
    assert 'value="75"' in r.content.decode()
    client.post(cell, {"points": "55", "evidence": "Báo cáo", "version": "0"}, **htmx)
    score = Score.objects.get()
    # another member cannot score unit 1; a member cannot adjust
    client.force_login(s.officers[2])
    assert client.post(cell, {"points": "1", "version": "1"}, **htmx).status_code == 403
    r = client.post(cell, {"points": "1", "reason": "x", "version": "1"}, **htmx)
    assert r.status_code == 403
    client.force_login(s.leader)
    r = client.post(cell, {"points": "50", "reason": "", "version": "1"}, **htmx)
    score.refresh_from_db()
    assert score.final_points is None
    client.post(cell, {"points": "50", "reason": "Thiếu minh chứng", "version": "1"}, **htmx)
    score.refresh_from_db()
    assert score.final_points == 50 and score.reason == "Thiếu minh chứng"


def test_ranking_and_meeting_only_for_the_leader(client, bloc_setup, locked_pledge):
    s = bloc_setup
    client.force_login(s.officers[1])
    assert client.post(url("ranking-compute", s)).status_code == 403
    assert client.get(url("meeting-create", s)).status_code == 403
    assert not Ranking.objects.exists()
    client.force_login(s.leader)
    client.post(url("ranking-compute", s))
    client.post(url("ranking-publish", s))
    assert Ranking.objects.get().published_at
    data = {
        "kind": "year_end",
        "title": "Tổng kết",
        "held_on": "2026-01-10",
        "place": "Hà Nội",
        "host": s.units[0].pk,
        "attendees": [u.pk for u in s.units],
        "minutes": "",
    }
    r = client.post(url("meeting-create", s), data)
    assert r.status_code == 302
    meeting = BlocMeeting.objects.get()
    assert meeting.attendees.count() == 4


def test_votes_and_result_through_the_pages(client, bloc_setup):
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
    vote = url("meeting-vote", s, meeting.pk)
    client.force_login(s.outsider)
    assert (
        client.post(vote, {"voting_unit": s.outsider_unit.pk, "co_bo": s.units[0].pk}).status_code
        == 403
    )
    client.force_login(s.officers[1])
    page = client.get(url("meeting", s, meeting.pk)).content.decode()
    assert 'name="co_bo"' in page
    client.post(
        vote, {"voting_unit": s.units[1].pk, "co_bo": s.units[0].pk, "leader": s.units[2].pk}
    )
    # a second ballot from the same unit: refused whole, nothing counted twice
    client.post(
        vote, {"voting_unit": s.units[1].pk, "co_bo": s.units[3].pk, "deputy": s.units[3].pk}
    )
    # voting for another member unit is not possible (not in the choices)
    client.post(vote, {"voting_unit": s.units[2].pk, "co_bo": s.units[3].pk})
    assert AcclamationVote.objects.count() == 1 and ElectionVote.objects.count() == 1
    assert client.post(url("meeting-result", s, meeting.pk)).status_code == 403
    client.force_login(s.leader)
    client.post(url("meeting-result", s, meeting.pk))
    meeting.refresh_from_db()
    assert meeting.result_recorded_at
    assert AuditEvent.objects.filter(action="meeting.record_result").exists()


def test_registration_page(client, bloc_setup, office_user):
    s = bloc_setup
    campaign = CampaignFactory(year=s.year, state="launched", launched_at=dt.datetime.now(dt.UTC))
    client.force_login(s.officers[1])
    r = client.post(
        reverse("campaigns:register", args=[campaign.pk]),
        {"unit": s.units[2].pk, "collective_title": "TTLDXS", "people": "", "initiatives": ""},
    )
    assert r.status_code == 200 and not campaign.registrations.exists()  # not their unit
    r = client.post(
        reverse("campaigns:register", args=[campaign.pk]),
        {
            "unit": s.units[1].pk,
            "collective_title": "TTLDXS",
            "people": "NOBODY CSTD_CS",
            "initiatives": "Số hóa",
        },
    )
    assert r.status_code == 200 and "NOBODY" in r.content.decode()
    r = client.post(
        reverse("campaigns:register", args=[campaign.pk]),
        {
            "unit": s.units[1].pk,
            "collective_title": "TTLDXS",
            "people": "",
            "initiatives": "Số hóa\nTiết kiệm",
            "submit": "1",
        },
    )
    assert r.status_code == 302
    reg = campaign.registrations.get()
    assert reg.state == "submitted" and reg.entries.count() == 2
    client.force_login(office_user)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert s.units[0].name in page  # not registered yet: listed
    client.post(reverse("campaigns:remind", args=[campaign.pk]))
    assert AuditEvent.objects.filter(action="registration.remind").get().after["units"] == [
        "DV_A",
        "DV_C",
        "DV_D",
    ]


def test_my_blocs_page(client, bloc_setup):
    s = bloc_setup
    client.force_login(s.officers[2])
    page = client.get(reverse("campaigns:my-blocs") + f"?year={s.year}").content.decode()
    assert s.bloc.name in page


def test_pledge_page_states(client, bloc_setup, locked_pledge):
    s = bloc_setup
    client.force_login(s.officers[3])
    page = client.get(url("bloc-year", s)).content.decode()
    assert locked_pledge.title in page
    assert locked_pledge.state == PledgeState.LOCKED
    crit = locked_pledge.criteria.get(order=1)
    own = url("score", s, crit.pk, s.units[3].pk) + "?edit=1"
    other = url("score", s, crit.pk, s.units[2].pk) + "?edit=1"
    assert f'hx-get="{own}"' in page and other not in page  # only its own row is editable


LEADER_ONLY_POSTS = [
    ("pledge-open", True, {}),
    ("pledge-revise", True, {"change_note": "x"}),
    ("pledge-edit", True, {"title": "x", "crit-TOTAL_FORMS": "0", "crit-INITIAL_FORMS": "0"}),
    ("ranking-compute", False, {}),
    ("ranking-publish", False, {}),
    ("meeting-create", False, {"kind": "mid_year", "held_on": "2025-07-01", "place": "x"}),
]


@pytest.mark.parametrize("name,with_pledge,data", LEADER_ONLY_POSTS)
def test_leader_only_actions_are_refused_to_others(
    client, bloc_setup, locked_pledge, name, with_pledge, data, make_user
):
    s = bloc_setup
    others = {
        "member": s.officers[2],
        "deputy": s.officers[1],
        "outsider": s.outsider,
        "office": make_user("office"),
        "viewer": make_user("viewer"),
    }
    args = [locked_pledge.pk] if with_pledge else []
    before = AuditEvent.objects.count()
    for who, user in others.items():
        client.force_login(user)
        assert client.post(url(name, s, *args), data).status_code == 403, who
    assert AuditEvent.objects.count() == before
    locked_pledge.refresh_from_db()
    assert locked_pledge.state == PledgeState.LOCKED and not Ranking.objects.exists()
    assert not BlocMeeting.objects.exists()


def test_meeting_minutes_and_photos_only_for_the_leader(client, bloc_setup):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    s = bloc_setup
    meeting = services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="activity",
        held_on=dt.date(2025, 5, 20),
        place="Sầm Sơn",
        host=s.units[0],
    )
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "JPEG")
    client.force_login(s.officers[1])
    r = client.post(
        url("meeting-photo", s, meeting.pk),
        {"image": SimpleUploadedFile("a.jpg", buf.getvalue()), "caption": "x"},
    )
    assert r.status_code == 403
    r = client.post(url("meeting-minutes", s, meeting.pk), {"minutes": "sửa"})
    assert r.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.photos.exists()
    client.force_login(s.leader)
    fake = SimpleUploadedFile("b.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    r = client.post(url("meeting-photo", s, meeting.pk), {"image": fake}, follow=True)
    assert not meeting.photos.exists()
    client.post(
        url("meeting-photo", s, meeting.pk),
        {"image": SimpleUploadedFile("a.jpg", buf.getvalue()), "caption": "Biển"},
    )
    client.post(
        url("meeting-minutes", s, meeting.pk),
        {"minutes": "Biên bản", "attendees": [s.units[0].pk, s.units[1].pk]},
    )
    meeting.refresh_from_db()
    assert meeting.photos.count() == 1 and meeting.minutes == "Biên bản"
    assert meeting.attendees.count() == 2
    page = client.get(url("meeting", s, meeting.pk)).content.decode()
    assert 'class="meeting-photo"' in page and "Biển" in page
    assert url("meeting-minutes", s, meeting.pk) in page

    # Once the result is recorded the minutes are part of the record: no form, and a
    # crafted POST is refused with the reason in Vietnamese, nothing changed.
    meeting = services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="year_end",
        held_on=dt.date(2026, 1, 8),
        place="Hà Nội",
        host=s.units[0],
    )
    client.post(
        url("meeting-minutes", s, meeting.pk),
        {"minutes": "Biên bản", "attendees": [s.units[0].pk, s.units[1].pk]},
    )
    services.record_meeting_result(s.leader, meeting)
    page = client.get(url("meeting", s, meeting.pk)).content.decode()
    assert url("meeting-minutes", s, meeting.pk) not in page
    r = client.post(
        url("meeting-minutes", s, meeting.pk),
        {"minutes": "Sửa sau", "attendees": [s.units[0].pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert r.status_code == 200
    assert "Kết quả hội nghị đã được ghi nhận" in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Biên bản" and meeting.attendees.count() == 2


def test_unit_panel_shows_the_published_rank(rf, bloc_setup, locked_pledge):
    from campaigns.views import bloc_results_panel

    s = bloc_setup
    assert bloc_results_panel(rf.get("/"), s.outsider_unit) is None
    ranking = services.compute_ranking(s.leader, s.bloc, s.year)
    template, ctx = bloc_results_panel(rf.get("/"), s.units[1])
    assert ctx["bloc_rows"][0][1] is None  # not published yet: no rank shown
    services.publish_ranking(s.leader, ranking)
    template, ctx = bloc_results_panel(rf.get("/"), s.units[1])
    membership, entry = ctx["bloc_rows"][0]
    assert membership.bloc == s.bloc and entry.rank >= 1


def test_unit_page_includes_the_bloc_panel(office_client, bloc_setup, locked_pledge):
    s = bloc_setup
    services.publish_ranking(s.leader, services.compute_ranking(s.leader, s.bloc, s.year))
    page = office_client.get(reverse("units:unit-detail", args=[s.units[1].code]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="panel-blocs"' in html and s.bloc.name in html


def test_score_forms_are_offered_only_to_who_may_use_them(client, bloc_setup, locked_pledge):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    services.save_self_score(s.officers[1], crit, s.units[1], points=10)
    cell = url("score", s, crit.pk, s.units[1].pk)
    htmx = {"HTTP_HX_REQUEST": "true"}
    client.force_login(s.officers[2])  # another member
    assert 'name="points"' not in client.get(cell + "?edit=1", **htmx).content.decode()
    assert 'name="reason"' not in client.get(cell + "?adjust=1", **htmx).content.decode()
    client.force_login(s.leader)
    assert 'name="reason"' in client.get(cell + "?adjust=1", **htmx).content.decode()
