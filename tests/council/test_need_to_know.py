"""Need to know (issue 15, item 7): birth date and discipline are read by the office and the
officers of the person's unit; a council member reads the discipline of the nominees on the
agenda of a session they sit on, and no one else's; a staff viewer reads neither. Pages, API
and the registry export."""

import datetime as dt

import pytest
from django.test import Client

from emulation_portal.models import Role
from tests.council.conftest import accepted
from tests.factories import UserFactory
from tests.nominations import factories as f
from units import services as unit_services

BORN = dt.date(1980, 3, 14)
BORN_SHOWN = "14/03/1980"
DECISION = "QĐ-KL-7731"


@pytest.fixture
def cast(world, make_session):
    """people[0] on an open session's agenda, people[1] not; both born in 1980 with a
    warning on record. An officer of VP, an officer of another unit, a staff viewer."""
    nominee, other = world.people[0], world.people[1]
    for p in (nominee, other):
        unit_services.update_person(None, p, birth_date=BORN)
        unit_services.add_discipline(
            None,
            person=p,
            level="CANH_CAO",
            start_date=dt.date(2025, 2, 1),
            decision_ref=f"{DECISION}-{p.code}",
        )
    make_session([accepted(person=nominee, proposing_unit=world.vp)])
    officer = UserFactory(role=Role.UNIT_OFFICER, username="cb_vp")
    unit_services.assign_officer(None, user=officer, unit=world.vp)
    elsewhere = UserFactory(role=Role.UNIT_OFFICER, username="cb_cuc1")
    unit_services.assign_officer(None, user=elsewhere, unit=world.units[0])
    viewer = UserFactory(role=Role.VIEWER, username="xem")
    outsider = f.person(world.units[1], "CB900", "Lê Văn Ngoài")
    return {
        "nominee": nominee,
        "other": other,
        "office": world.office,
        "officer": officer,
        "elsewhere": elsewhere,
        "viewer": viewer,
        "member": world.members[3].user,
        "outsider": outsider,
    }


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _page(user, person):
    r = _client(user).get(f"/people/{person.code}/")
    assert r.status_code == 200
    return r.content.decode()


# (role, sees the nominee's birth date, discipline; the other person's birth date, discipline)
CASES = [
    ("office", True, True, True, True),
    ("officer", True, True, True, True),
    ("member", False, True, False, False),
    ("viewer", False, False, False, False),
]


@pytest.mark.parametrize(("role", "nb", "nd", "ob", "od"), CASES)
def test_person_page(cast, role, nb, nd, ob, od):
    user = cast[role]
    for person, born, disc in ((cast["nominee"], nb, nd), (cast["other"], ob, od)):
        html = _page(user, person)
        assert (BORN_SHOWN in html) is born, (role, person.code)
        assert (f"{DECISION}-{person.code}" in html) is disc, (role, person.code)


@pytest.mark.parametrize(("role", "nb", "nd", "ob", "od"), CASES)
def test_api_person_and_disciplines(cast, role, nb, nd, ob, od):
    c = _client(cast[role])
    for person, born in ((cast["nominee"], nb), (cast["other"], ob)):
        detail = c.get(f"/api/v1/people/{person.code}/").json()
        assert ("birth_date" in detail) is born, (role, person.code)
        if born:
            assert detail["birth_date"] == BORN.isoformat()
        listed = c.get("/api/v1/people/", {"search": person.code}).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        row = next(r for r in rows if r["code"] == person.code)
        assert ("birth_date" in row) is born
    r = c.get("/api/v1/disciplines/")
    assert r.status_code == 200
    body = r.json()
    rows = body["results"] if isinstance(body, dict) else body
    seen = {d["person"] for d in rows}
    assert (cast["nominee"].code in seen) is nd
    assert (cast["other"].code in seen) is od


def test_officer_of_another_unit_sees_neither(cast):
    """An officer reads the private fields of the people of their own units only; the
    outsider's unit is theirs, the nominee's is not."""
    user = cast["elsewhere"]
    unit_services.assign_officer(None, user=user, unit=cast["outsider"].unit)
    unit_services.update_person(None, cast["outsider"], birth_date=BORN)
    c = _client(user)
    assert BORN_SHOWN in _page(user, cast["outsider"])
    detail = c.get(f"/api/v1/people/{cast['nominee'].code}/")
    assert detail.status_code == 404  # not in scope at all
    rows = c.get("/api/v1/disciplines/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows == []


def test_council_member_on_no_session_sees_no_discipline(cast, world):
    """A council user who sits on no term reads nobody's discipline."""
    lone = UserFactory(role=Role.COUNCIL, username="hd_le")
    assert DECISION not in _page(lone, cast["nominee"])
    rows = _client(lone).get("/api/v1/disciplines/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows == []


@pytest.mark.parametrize("role", ["officer", "member", "viewer"])
def test_registry_export_is_office_only(cast, role):
    """The registry export carries birth dates and the disciplines sheet: the office's."""
    assert _client(cast[role]).get("/exchange/export/").status_code == 403


def test_schema_marks_birth_date_optional(cast):
    schema = _client(cast["office"]).get("/api/schema/", {"format": "json"}).json()
    person = schema["components"]["schemas"]["Person"]
    assert "birth_date" in person["properties"]
    assert "birth_date" not in person.get("required", [])


def test_nomination_page_withholds_the_discipline_reason(cast, world):
    """A nomination's verdict may say why discipline blocks it; a council member judging it
    reads that, a staff viewer of the disclosed nomination does not."""
    from awards.models import AwardType, Disclosure, EligibilityVerdict, Nomination, RuleSet

    person = cast["nominee"]
    verdict = EligibilityVerdict.objects.create(
        person=person,
        award_type=AwardType.objects.get(code="CSTD_BO"),
        year=2025,
        rule_set=RuleSet.objects.order_by("pk").first(),
        eligible=False,
        reasons=[
            {
                "msg": "Discipline in force in %(year)s blocks any reward: %(items)s.",
                "params": {"year": 2025, "items": ["CANH_CAO 01/02/2025-"]},
                "ok": False,
            }
        ],
    )
    n = Nomination.objects.get(person=person)
    n.verdict = verdict
    n.save(update_fields=["verdict"])
    d = Disclosure.objects.create(
        title="Công khai", year=2025, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 9)
    )
    d.nominations.add(n)
    leaked = "CANH_CAO 01/02/2025"
    for role, sees in (("office", True), ("member", True), ("viewer", False)):
        r = _client(cast[role]).get(f"/nominations/{n.pk}/")
        assert r.status_code == 200, role
        assert (leaked in r.content.decode()) is sees, role
