"""The home page's things to do (issue 15, item 1): each role reads its counts, each links to
the list filtered to exactly what was counted, and the page's queries do not grow with the
number of items."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.council import selectors as council_selectors
from awards.council import services as council_services
from awards.models import AwardType, Disclosure, Nomination, Objection
from awards.nominations import selectors
from emulation_portal.models import Role
from tests.factories import UserFactory
from tests.nominations import factories as f
from units import services as unit_services

YEAR = 2025


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _nominate(person, state, proposing_unit, code="CSTD_BO"):
    return Nomination.objects.create(
        person=person,
        award_type=AwardType.objects.get(code=code),
        year=YEAR,
        proposing_unit=proposing_unit,
        level="ministry",
        state=state,
    )


def _tasks(html: str) -> dict[str, tuple[int, str]]:
    """{task key: (count, link)} read from the home page."""
    found = re.findall(
        r'data-task="([^"]+)"[^>]*>\s*<a href="([^"]+)"><span class="count">(\d+)</span>', html
    )
    return {key: (int(n), url.replace("&amp;", "&")) for key, url, n in found}


def _home(user) -> dict[str, tuple[int, str]]:
    r = _client(user).get("/")
    assert r.status_code == 200
    return _tasks(r.content.decode())


def _queue_count(user, url: str) -> int:
    """How many nominations the linked queue lists (the same selector as the page)."""
    query = url.split("?", 1)[1]
    return selectors.queue(user, QueryDict(query)).count()


@pytest.fixture
def office_world(world):
    """Three people submitted, one draft; an objection open on the first two, answered on
    the third; a disclosure ending in three days and one ending next month."""
    people = world.people + [f.person(world.vp, f"CB{i:03d}") for i in range(10, 13)]
    submitted = [_nominate(p, "submitted", world.vp) for p in people[:3]]
    _nominate(people[3], "draft", world.vp)
    today = timezone.localdate()
    soon = Disclosure.objects.create(
        title="Công khai 1", year=YEAR, starts_on=today, ends_on=today + dt.timedelta(days=3)
    )
    Disclosure.objects.create(
        title="Công khai 2", year=YEAR, starts_on=today, ends_on=today + dt.timedelta(days=30)
    )
    soon.nominations.set(submitted)
    for i, n in enumerate(submitted):
        Objection.objects.create(
            disclosure=soon,
            nomination=n,
            text="Ý kiến",
            answered_at=timezone.now() if i == 2 else None,
            answer="Đã trả lời" if i == 2 else "",
        )
    return {"people": people, "submitted": submitted, "soon": soon}


def test_office_tasks_link_to_what_they_count(world, office_world):
    office = world.office
    tasks = _home(office)
    assert tasks["nominations.review"][0] == 3
    assert tasks["nominations.objections"][0] == 2
    assert tasks["nominations.disclosures"][0] == 1
    for key in ("nominations.review", "nominations.objections"):
        count, url = tasks[key]
        assert _queue_count(office, url) == count
        assert _client(office).get(url).status_code == 200
    page = _client(office).get(tasks["nominations.disclosures"][1]).content.decode()
    assert "Công khai 1" in page and "Công khai 2" not in page


def test_officer_tasks(world, office_world):
    officer = UserFactory(role=Role.UNIT_OFFICER, username="cb_vp")
    unit_services.assign_officer(None, user=officer, unit=world.vp)
    returned = _nominate(office_world["people"][4], "returned", world.vp)
    tasks = _home(officer)
    assert "nominations.review" not in tasks  # the office's
    assert tasks["nominations.drafts"][0] == 1
    assert tasks["nominations.returned"][0] == 1
    for key in ("nominations.drafts", "nominations.returned"):
        count, url = tasks[key]
        assert _queue_count(officer, url) == count
        r = _client(officer).get(url)
        assert r.status_code == 200
    assert (
        returned.person.full_name
        in _client(officer).get(tasks["nominations.returned"][1]).content.decode()
    )


def test_council_member_sees_sessions_to_vote_until_cast(world, make_session):
    nomination = _nominate(world.people[0], "accepted", world.vp)
    session = make_session([nomination])
    member = world.members[2]
    tasks = _home(member.user)
    assert tasks["council.vote"][0] == 1
    url = tasks["council.vote"][1]
    page = _client(member.user).get(url)
    assert page.status_code == 200
    assert session.title in page.content.decode()
    items = list(session.items.all())
    council_services.cast(member.user, session, {it.pk: "approve" for it in items})
    assert "council.vote" not in _home(member.user)
    assert not council_selectors.to_vote(member.user).exists()
    # the secretary without a vote is not asked to vote
    world.secretary.votes = False
    world.secretary.save()
    assert "council.vote" not in _home(world.secretary.user)


def test_viewer_has_no_office_tasks(world, office_world):
    viewer = UserFactory(role=Role.VIEWER, username="xem")
    tasks = _home(viewer)
    assert not any(k.startswith("nominations.") for k in tasks)


def _count_home_queries(user) -> int:
    c = _client(user)
    c.get("/")  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_home_queries_do_not_grow_with_items(world, make_session):
    officer = UserFactory(role=Role.UNIT_OFFICER, username="cb_vp2")
    unit_services.assign_officer(None, user=officer, unit=world.vp)
    member = world.members[1].user
    extra = [f.person(world.vp) for _ in range(8)]
    _nominate(world.people[0], "submitted", world.vp)
    _nominate(world.people[1], "draft", world.vp)
    make_session([_nominate(world.people[2], "accepted", world.vp)])
    one = {u.pk: _count_home_queries(u) for u in (world.office, officer, member)}
    for p in extra[:4]:
        _nominate(p, "submitted", world.vp)
    for p in extra[4:]:
        _nominate(p, "draft", world.vp)
    make_session([_nominate(f.person(world.vp), "accepted", world.vp)])
    many = {u.pk: _count_home_queries(u) for u in (world.office, officer, member)}
    assert many == one
