"""Dead ends of issue 15 on the campaign pages: a link or button that leads nowhere."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import PhaseKind
from tests.campaigns.factories import CampaignFactory, membership
from units.models import BlocRole

pytestmark = pytest.mark.django_db


def _bloc_year(s, year=None):
    return reverse("campaigns:bloc-year", args=[s.bloc.pk, year or s.year])


def test_next_year_is_offered_only_when_it_exists_and_may_be_opened(
    client, bloc_setup, office_user
):
    s = bloc_setup
    client.force_login(s.officers[1])
    page = client.get(_bloc_year(s)).content.decode()
    # no member in the years around: no link (it answered 403 before)
    assert _bloc_year(s, s.year + 1) not in page and _bloc_year(s, s.year - 1) not in page
    # next year exists, but this officer's unit is not a member then: still no link
    membership(s.bloc, s.year + 1, s.units[0], BlocRole.LEADER)
    page = client.get(_bloc_year(s)).content.decode()
    assert _bloc_year(s, s.year + 1) not in page
    assert client.get(_bloc_year(s, s.year + 1)).status_code == 403
    # the leader's unit is a member next year: the link is there and opens
    client.force_login(s.leader)
    page = client.get(_bloc_year(s)).content.decode()
    assert _bloc_year(s, s.year + 1) in page
    assert client.get(_bloc_year(s, s.year + 1)).status_code == 200
    # the office opens every year that exists
    client.force_login(office_user)
    page = client.get(_bloc_year(s)).content.decode()
    assert _bloc_year(s, s.year + 1) in page and _bloc_year(s, s.year - 1) not in page


def test_leader_banner_only_for_the_leading_units_officer(client, bloc_setup, admin_account):
    s = bloc_setup
    banner = "You serve the bloc's leading unit this year."
    shown = {}
    for user in (s.leader, s.officers[1], admin_account):
        client.force_login(user)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        r = client.get(_bloc_year(s))
        assert r.status_code == 200
        shown[user.username] = banner in r.content.decode()
    # the administrator passes every permission check, but does not serve the leading unit
    assert shown == {s.leader.username: True, s.officers[1].username: False, "root": False}


def test_locked_pledge_with_scores_offers_no_new_version(client, bloc_setup, locked_pledge):
    s = bloc_setup
    revise = reverse("campaigns:pledge-revise", args=[s.bloc.pk, s.year, locked_pledge.pk])
    client.force_login(s.leader)
    # locked, nothing scored yet: the service still accepts a new version
    assert revise in client.get(_bloc_year(s)).content.decode()
    criterion = locked_pledge.criteria.order_by("order").first()
    services.save_self_score(s.officers[1], criterion, s.units[1], points=10, evidence="x")
    # scoring has started: the service refuses, so the page no longer offers it
    assert revise not in client.get(_bloc_year(s)).content.decode()


def test_standalone_adjust_page_targets_an_element_it_has(client, bloc_setup, locked_pledge):
    s = bloc_setup
    criterion = locked_pledge.criteria.order_by("order").first()
    services.save_self_score(s.officers[1], criterion, s.units[1], points=10, evidence="x")
    url = reverse("campaigns:score", args=[s.bloc.pk, s.year, criterion.pk, s.units[1].pk])
    client.force_login(s.leader)
    page = client.get(url + "?adjust=1").content.decode()
    # htmx swaps "closest .score-slot": the page must hold one around the form (it pointed
    # at "closest td" on a page without a table, so pressing the button sent nothing)
    assert 'hx-target="closest .score-slot"' in page and 'name="reason"' in page
    assert 'class="card score-slot"' in page
    assert 'hx-target="closest td"' not in page
    # and the htmx request the button sends works: the adjusted cell comes back
    r = client.post(
        url, {"points": "8", "reason": "Thiếu minh chứng", "version": "1"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    from campaigns.models import Score

    assert Score.objects.get(criterion=criterion, unit=s.units[1]).final_points == 8


def _campaign_with_deadline(s, office_user, closes_on):
    campaign = CampaignFactory(year=s.year)
    services.set_phase(
        office_user,
        campaign,
        kind=PhaseKind.REGISTRATION,
        opens_on=closes_on - dt.timedelta(days=30),
        closes_on=closes_on,
    )
    campaign.state = "launched"
    campaign.launched_at = dt.datetime.now(dt.UTC)
    campaign.save()
    return campaign


def test_registration_after_its_deadline_is_read_only_with_the_reason(
    client, bloc_setup, office_user
):
    s = bloc_setup
    today = dt.date.today()
    past = _campaign_with_deadline(s, office_user, today - dt.timedelta(days=1))
    client.force_login(s.officers[1])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("campaigns:register", args=[past.pk])).content.decode()
    assert 'id="registration-closed"' in page and "has passed" in page
    assert 'name="submit"' not in page and "disabled" in page
    # a forced POST still saves nothing and says why
    r = client.post(
        reverse("campaigns:register", args=[past.pk]),
        {"unit": s.units[1].pk, "collective_title": "TTLDXS", "submit": "1"},
    )
    assert r.status_code == 200 and not past.registrations.exists()
    assert "has passed" in r.content.decode()


def test_registration_before_its_deadline_is_editable(client, bloc_setup, office_user):
    s = bloc_setup
    open_ = _campaign_with_deadline(s, office_user, dt.date.today() + dt.timedelta(days=5))
    client.force_login(s.officers[1])
    page = client.get(reverse("campaigns:register", args=[open_.pk])).content.decode()
    assert 'id="registration-closed"' not in page and 'name="submit"' in page


def test_registration_help_shows_a_real_person_code(client, bloc_setup, office_user):
    from tests.units.factories import make_person

    s = bloc_setup
    make_person(s.units[1], "CB0000042", "Nguyễn Văn An")
    campaign = _campaign_with_deadline(s, office_user, dt.date.today() + dt.timedelta(days=5))
    client.force_login(s.officers[1])
    page = client.get(reverse("campaigns:register", args=[campaign.pk])).content.decode()
    assert "CB0000042 CSTD_CS" in page and "NV0001" not in page
