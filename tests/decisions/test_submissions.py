"""Titles conferred higher up: a submission with its list, the external decision recorded
against it, matched against the list; the records follow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards.decisions import services
from awards.models import AwardRecord, Nomination
from tests.decisions.conftest import approved


def test_external_decision_recorded_against_the_submission(world):
    n1, n2 = (approved(p, "BK_TTG") for p in world.people[:2])
    outsider = approved(world.people[2], "BK_TTG")
    s = services.create_submission(
        world.office,
        issuer=world.issuer,
        authority="prime_minister",
        title="Tờ trình đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
        nomination_ids=[n1.pk, n2.pk],
    )
    with pytest.raises(ValidationError):  # not sent yet
        services.record_external_decision(
            world.office, s, number="123/QĐ-TTg", date=dt.date(2026, 3, 1), nomination_ids=[n1.pk]
        )
    s = services.send_submission(world.office, s, number="45/TTr-BNNMT", date=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError):  # a name not on the submission's list
        services.record_external_decision(
            world.office,
            s,
            number="123/QĐ-TTg",
            date=dt.date(2026, 3, 1),
            nomination_ids=[n1.pk, outsider.pk],
        )
    ext = services.record_external_decision(
        world.office, s, number="123/QĐ-TTg", date=dt.date(2026, 3, 1), nomination_ids=[n1.pk]
    )
    record = AwardRecord.objects.get(external_decision=ext)
    assert (record.person_id, record.decision_number) == (n1.person_id, "123/QĐ-TTg")
    assert Nomination.objects.get(pk=n1.pk).state == "decided"
    assert Nomination.objects.get(pk=n2.pk).state == "approved"
    s.refresh_from_db()
    assert s.state == "sent"
    with pytest.raises(ValidationError):  # already conferred
        services.record_external_decision(
            world.office, s, number="124/QĐ-TTg", date=dt.date(2026, 3, 2), nomination_ids=[n1.pk]
        )
    services.record_external_decision(
        world.office, s, number="130/QĐ-TTg", date=dt.date(2026, 3, 5), nomination_ids=[n2.pk]
    )
    s.refresh_from_db()
    assert s.state == "answered"


def test_a_submission_takes_only_awards_of_its_authority(world):
    with pytest.raises(ValidationError):
        services.create_submission(
            world.office,
            issuer=world.issuer,
            authority="prime_minister",
            title="Tờ trình",
            nomination_ids=[approved(world.people[0], "BK_BO").pk],
        )
