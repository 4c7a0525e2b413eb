"""The campaigns' things to do on the home page (issue 15, item 1): registrations to submit,
pledges to sign, scores to enter, and the office's campaigns nobody registered for; each
link opens the list of exactly what was counted."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from campaigns import services
from campaigns.models import PhaseKind
from emulation_portal.models import Role
from tests.campaigns.factories import (
    BlocFactory,
    CampaignFactory,
    UnitFactory,
    membership,
    officer,
)
from tests.factories import UserFactory
from units.models import BlocRole, UnitOfficer

TODAY = timezone.localdate()
YEAR = TODAY.year


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _home(user) -> dict[str, tuple[int, str]]:
    r = _client(user).get("/")
    assert r.status_code == 200
    found = re.findall(
        r'data-task="([^"]+)"[^>]*>\s*<a href="([^"]+)"><span class="count">(\d+)</span>',
        r.content.decode(),
    )
    return {key: (int(n), url.replace("&amp;", "&")) for key, url, n in found}


@pytest.fixture
def setup(db):
    office = UserFactory(role=Role.OFFICE, username="thidua_home")
    bloc = BlocFactory(code="KHOI_H", name="Khối thi đua H")
    other = BlocFactory(code="KHOI_K", name="Khối thi đua K")
    units = [UnitFactory(code=f"DVH_{c}", name=f"Đơn vị H{c}") for c in "ABC"]
    for unit, role in zip(units, [BlocRole.LEADER, BlocRole.MEMBER, BlocRole.MEMBER], strict=True):
        membership(bloc, YEAR, unit, role)
    officers = [officer(u, f"cbh_{u.code.lower()}") for u in units]
    # the second officer also serves a unit of another bloc, which has nothing to do
    fourth = UnitFactory(code="DVH_D", name="Đơn vị HD")
    membership(other, YEAR, fourth, BlocRole.LEADER)
    UnitOfficer.objects.create(user=officers[1], unit=fourth)
    campaign = services.launch_campaign(office, CampaignFactory(year=YEAR))
    return {
        "office": office,
        "bloc": bloc,
        "other": other,
        "units": units,
        "officers": officers,
        "campaign": campaign,
        "fourth": fourth,
    }


def test_registrations(setup):
    s = setup
    services.set_phase(
        s["office"],
        s["campaign"],
        kind=PhaseKind.REGISTRATION,
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=3),
    )
    office_task = _home(s["office"])["campaigns.unregistered"]
    assert office_task[0] == 1
    page = _client(s["office"]).get(office_task[1]).content.decode()
    assert s["campaign"].name in page
    count, url = _home(s["officers"][1])["campaigns.register"]
    assert count == 1
    assert (
        _home(s["officers"][1])
        and s["campaign"].name in _client(s["officers"][1]).get(url).content.decode()
    )
    services.save_registration(
        s["officers"][1], s["campaign"], s["units"][1], collective_title="TTLDXS", submit=True
    )
    # the officer's other unit (in another bloc) has not registered yet
    assert _home(s["officers"][1])["campaigns.register"][0] == 1
    services.save_registration(
        s["officers"][1], s["campaign"], s["fourth"], collective_title="TTLDTT", submit=True
    )
    assert "campaigns.register" not in _home(s["officers"][1])
    assert "campaigns.unregistered" not in _home(s["office"])
    assert _home(s["officers"][2])["campaigns.register"][0] == 1  # its unit has not
    assert s["campaign"].name not in _client(s["officers"][1]).get(url).content.decode()


def test_pledges_to_sign_then_scores_due(setup):
    s = setup
    leader, b, c = s["officers"]
    pledge = services.start_pledge(leader, s["bloc"], YEAR)
    services.set_criteria(
        leader,
        pledge,
        [
            {"name": "Nhiệm vụ", "kind": "standard", "max_points": 60},
            {"name": "Thưởng", "kind": "bonus", "max_points": 10},
        ],
    )
    services.open_signing(leader, pledge)
    services.sign_pledge(leader, pledge, s["units"][0])
    assert "campaigns.sign" not in _home(leader)
    count, url = _home(b)["campaigns.sign"]
    assert count == 1
    page = _client(b).get(url).content.decode()
    assert "Khối thi đua H" in page and "Khối thi đua K" not in page
    services.sign_pledge(b, pledge, s["units"][1])
    services.sign_pledge(c, pledge, s["units"][2])
    pledge.refresh_from_db()
    assert "campaigns.sign" not in _home(b)
    # scoring opens
    services.set_phase(
        s["office"],
        s["campaign"],
        kind=PhaseKind.SCORING,
        opens_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=20),
    )
    count, url = _home(b)["campaigns.scores"]
    assert count == 1
    page = _client(b).get(url).content.decode()
    assert "Khối thi đua H" in page and "Khối thi đua K" not in page
    criteria = list(pledge.criteria.order_by("order"))
    services.save_self_score(b, criteria[0], s["units"][1], points=50)
    assert _home(b)["campaigns.scores"][0] == 1  # one line still empty
    services.save_self_score(b, criteria[1], s["units"][1], points=5)
    assert "campaigns.scores" not in _home(b)
    assert _home(c)["campaigns.scores"][0] == 1


def _home_queries(user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _client(user)
    c.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_home_queries_do_not_grow_with_blocs(setup):
    """One bloc waiting for signatures, then three: the officer's home runs as many queries."""
    s = setup
    services.set_phase(
        s["office"],
        s["campaign"],
        kind=PhaseKind.REGISTRATION,
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=3),
    )
    watcher = s["officers"][2]

    def pledge_out(bloc, leader_unit, leader):
        pledge = services.start_pledge(leader, bloc, YEAR)
        services.set_criteria(
            leader, pledge, [{"name": "Nhiệm vụ", "kind": "standard", "max_points": 60}]
        )
        services.open_signing(leader, pledge)

    pledge_out(s["bloc"], s["units"][0], s["officers"][0])
    one = _home_queries(watcher)
    for i in range(2):
        bloc = BlocFactory(code=f"KHOI_N{i}", name=f"Cụm N{i}", kind="CUM")
        lead = UnitFactory(code=f"DVN_{i}", name=f"Đơn vị N{i}")
        membership(bloc, YEAR, lead, BlocRole.LEADER)
        mine = UnitFactory(code=f"DVM_{i}", name=f"Đơn vị M{i}")
        membership(bloc, YEAR, mine, BlocRole.MEMBER)
        UnitOfficer.objects.create(user=watcher, unit=mine)
        pledge_out(bloc, lead, officer(lead, f"cbn_{i}"))
    assert _home(watcher)["campaigns.sign"][0] == 3
    assert _home_queries(watcher) == one
