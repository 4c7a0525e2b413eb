"""One bloc through one year: pledge, signatures, scores, adjustment with a reason, ranking
with a tie broken by the rule, acclamation, next year's leader and deputy."""

import datetime as dt
from decimal import Decimal

import pytest

from campaigns import services
from campaigns.models import AcclamationProposal, PledgeState, Score
from emulation_portal.models import AuditEvent
from units.models import BlocMembership, BlocRole

pytestmark = pytest.mark.django_db


def test_walk_one_bloc_through_a_year(bloc_setup, mailoutbox):
    s = bloc_setup
    a, b, c, d = s.units
    lead = s.leader

    pledge = services.start_pledge(lead, s.bloc, s.year)
    services.update_pledge(
        lead,
        pledge,
        title="Giao ước thi đua 2025",
        text="Nội dung",
        targets="100% hoàn thành nhiệm vụ",
    )
    crit = services.set_criteria(
        lead,
        pledge,
        [
            {"name": "Thực hiện nhiệm vụ chuyên môn", "kind": "standard", "max_points": 50},
            {"name": "Công tác thi đua", "kind": "standard", "max_points": 40},
            {"name": "Điểm thưởng", "kind": "bonus", "max_points": 10},
            {"name": "Điểm trừ", "kind": "penalty", "max_points": 10},
        ],
    )
    meeting = services.create_meeting(
        lead, s.bloc, s.year, kind="signing", held_on=dt.date(2025, 3, 15), place="Hà Nội", host=a
    )
    services.update_pledge(
        lead,
        pledge,
        title=pledge.title,
        text=pledge.text,
        targets=pledge.targets,
        signing_meeting=meeting,
    )
    services.open_signing(lead, pledge)
    for unit, user in zip(s.units, s.officers, strict=True):
        pledge.refresh_from_db()
        assert pledge.state == PledgeState.SIGNING
        services.sign_pledge(user, pledge, unit)
    pledge.refresh_from_db()
    assert pledge.state == PledgeState.LOCKED and pledge.locked_at

    sheet = {  # unit -> points per criterion (standard, standard, bonus, penalty)
        a: (45, 35, 5, 0),
        b: (40, 38, 10, 3),
        c: (40, 30, 0, 0),
        d: (30, 30, 0, 0),
    }
    for (unit, points), user in zip(sheet.items(), s.officers, strict=True):
        for criterion, p in zip(crit, points, strict=True):
            services.save_self_score(user, criterion, unit, points=p, evidence="Báo cáo")

    score = Score.objects.get(criterion=crit[0], unit=c)
    adjusted = services.adjust_score(
        lead, score, points=36, reason="Thiếu minh chứng", version=score.version
    )
    assert adjusted.points == Decimal("36.00") and adjusted.self_points == Decimal("40.00")
    event = AuditEvent.objects.filter(action="score.adjust").get()
    assert event.after["reason"] == "Thiếu minh chứng" and event.actor == lead

    ranking = services.compute_ranking(lead, s.bloc, s.year)
    entries = list(ranking.entries.order_by("rank"))
    assert [(e.unit, e.total) for e in entries] == [
        (a, Decimal("85.00")),
        (b, Decimal("85.00")),
        (c, Decimal("66.00")),
        (d, Decimal("60.00")),
    ]
    assert "standard" in entries[0].tie_note and entries[2].tie_note == ""
    assert "standard criteria" in ranking.explanation
    services.publish_ranking(lead, ranking)
    assert len(mailoutbox) == 0  # officers without e-mail get nothing; no crash

    year_end = services.create_meeting(
        lead,
        s.bloc,
        s.year,
        kind="year_end",
        held_on=dt.date(2026, 1, 10),
        place="Hà Nội",
        host=a,
        attendees=s.units,
    )
    flag = [a, a, a, a]
    bk = [b, b, b, c]
    leader = [c, c, c, b]
    deputy = [d, d, a, d]
    for i, (unit, user) in enumerate(zip(s.units, s.officers, strict=True)):
        services.cast_acclamation_vote(
            user, year_end, voting_unit=unit, award_code="CO_BO", candidate=flag[i]
        )
        services.cast_acclamation_vote(
            user, year_end, voting_unit=unit, award_code="BK_BO", candidate=bk[i]
        )
        services.cast_election_vote(
            user, year_end, voting_unit=unit, office="leader", candidate=leader[i]
        )
        services.cast_election_vote(
            user, year_end, voting_unit=unit, office="deputy", candidate=deputy[i]
        )

    result = services.record_meeting_result(lead, year_end)
    assert result.leader == c and result.deputy == d
    proposals = set(
        AcclamationProposal.objects.values_list("award_code", "unit", "votes", "voters")
    )
    assert proposals == {("CO_BO", a.pk, 4, 4), ("BK_BO", b.pk, 3, 4), ("BK_BO", c.pk, 1, 4)}
    next_year = dict(
        BlocMembership.objects.filter(bloc=s.bloc, year=s.year + 1).values_list("unit", "role")
    )
    assert next_year == {
        a.pk: BlocRole.MEMBER,
        b.pk: BlocRole.MEMBER,
        c.pk: BlocRole.LEADER,
        d.pk: BlocRole.DEPUTY,
    }
    # every step left an audit event
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "pledge.start",
        "pledge.sign",
        "pledge.lock",
        "score.save",
        "score.adjust",
        "ranking.compute",
        "ranking.publish",
        "meeting.acclamation_vote",
        "meeting.election_vote",
        "meeting.record_result",
        "bloc.member_role",
    } <= actions
