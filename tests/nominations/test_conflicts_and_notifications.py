"""Conflicts of interest, e-mail on events, and the deadline reminder task."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from awards.nominations import conflicts, notifications, services, tasks
from emulation_portal.models import Role
from tests.nominations import factories as f


def test_conflicted_members_names_officers_of_the_unit_and_its_parent(
    world, complete_bk, make_user
):
    sub_officer = f.officer(world.sub, "cb_th")
    ministry_officer = f.officer(world.ministry, "cb_bo")
    council = make_user(Role.COUNCIL, username="hd1")
    users = [world.officer, sub_officer, ministry_officer, world.other_officer, council]
    named = dict(conflicts.conflicted_members(complete_bk, users))
    # the person works in VP_TH (their unit) whose parent is VP
    assert set(named) == {sub_officer, world.officer}
    assert "Phòng Tổng hợp" in named[sub_officer]
    assert "Văn phòng Bộ" in named[world.officer]


def test_conflicts_use_the_persons_unit_in_the_year_and_member_resolvers(
    world, complete_bk, make_user
):
    from units.models import PersonYear

    PersonYear.objects.filter(person=world.person, year=f.YEAR).update(unit=world.other)
    council = make_user(Role.COUNCIL, username="hd2")
    conflicts.register_member_unit_resolver(lambda users: {council.pk: world.other.pk})
    try:
        named = dict(
            conflicts.conflicted_members(complete_bk, [world.officer, world.other_officer, council])
        )
    finally:
        conflicts._RESOLVERS.clear()
    assert set(named) == {world.other_officer, council}
    assert conflicts.conflicted_members(complete_bk, []) == []


def test_unit_level_submit_mails_the_unit_officers_not_the_office(world):
    p = f.person(world.sub)
    f.rate(p, {f.YEAR: "HTTNV"})
    n = services.create_nomination(
        world.officer,
        award_type=f.award_type("LDTT"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=p,
    )
    assert notifications.recipients(n, "submit") == {world.officer.email}
    assert notifications.recipients(n, "objection") == {"thidua@example.vn"}


def test_deadline_reminder(world, complete_bk):
    from campaigns.models import Campaign, Phase

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        year=f.YEAR,
        kind="thematic",
        name="Đợt",
        starts_on=dt.date(f.YEAR, 1, 1),
        ends_on=dt.date(f.YEAR, 12, 31),
    )
    Phase.objects.create(
        campaign=campaign,
        kind="nominations",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=3),
    )
    complete_bk.campaign = campaign
    complete_bk.save(update_fields=["campaign"])
    mail.outbox.clear()
    assert tasks.remind_deadlines.delay(3).get() == 1
    assert mail.outbox[0].to == [world.officer.email]
    assert (today + dt.timedelta(days=3)).strftime("%d/%m/%Y") in mail.outbox[0].subject
    mail.outbox.clear()
    assert tasks.remind_deadlines.delay(2).get() == 0
    services.transition(world.officer, complete_bk, "submit")
    assert tasks.remind_deadlines.delay(3).get() == 0  # submitted: nothing to remind
