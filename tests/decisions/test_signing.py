"""Numbering, signing in one transaction, refusals, replacement and superseded records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from awards import eligibility
from awards.decisions import services
from awards.models import (
    AwardRecord,
    AwardType,
    Decision,
    DecisionItem,
    Nomination,
    NominationState,
    RecordSource,
)
from emulation_portal.models import AuditEvent, Role
from tests.decisions.conftest import approved
from tests.nominations import factories as f

BK = "BK_BO"


def draft(world, nominations, issuer=None, code=BK, year=2025, **kw):
    return services.create_draft(
        world.office,
        issuer=issuer or world.issuer,
        award_type=AwardType.objects.get(code=code),
        year=year,
        nomination_ids=[n.pk for n in nominations],
        signer_name="Nguyễn Văn Hưng",
        **kw,
    )


def test_numbers_start_at_01_each_year_per_issuer_and_symbol(world):
    p1, p2, p3 = world.people
    d1 = services.sign(
        world.office, draft(world, [approved(p1, BK, 2024)], year=2024), date=dt.date(2025, 12, 31)
    )
    d2 = services.sign(
        world.office, draft(world, [approved(p2, BK, 2025)]), date=dt.date(2026, 1, 1)
    )
    d3 = services.sign(
        world.office, draft(world, [approved(p3, BK, 2025)]), date=dt.date(2026, 1, 2)
    )
    # another issuer (its own symbol) starts its own run
    ldtt = approved(p1, "LDTT", 2025, proposing_unit=world.vp)
    d4 = services.sign(
        world.office,
        draft(world, [ldtt], issuer=world.vp_issuer, code="LDTT"),
        date=dt.date(2026, 1, 2),
    )
    assert (d1.year, d1.number, d1.reference) == (2025, 1, "01/QĐ-BNNMT")
    assert (d2.year, d2.number) == (2026, 1)
    assert (d3.year, d3.number, d3.reference) == (2026, 2, "02/QĐ-BNNMT")
    assert (d4.number, d4.reference) == (1, "01/QĐ-VP")


def test_the_database_refuses_a_repeated_number(world):
    d = services.sign(
        world.office, draft(world, [approved(world.people[0], BK)]), date=dt.date(2026, 2, 5)
    )
    other = draft(world, [approved(world.people[1], BK)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=other.pk).update(
            state="signed", number=d.number, year=d.year, date=d.date, signed_at=d.signed_at
        )


def test_signing_creates_records_and_decides_in_one_transaction(world):
    p1, p2, _ = world.people
    n1, n2 = approved(p1, BK), approved(world.vp, BK, proposing_unit=world.ministry)
    d = services.sign(
        world.office,
        draft(world, [n1, n2]),
        date=dt.date(2026, 2, 5),
        signature_reference="VGCA-123",
        signed_file_sha256="a" * 64,
    )
    assert d.state == "signed" and d.reference == "01/QĐ-BNNMT"
    records = AwardRecord.objects.filter(decision=d).order_by("id")
    assert [(r.person_id, r.unit_id) for r in records] == [(None, world.vp.pk), (p1.pk, None)]
    assert {r.decision_number for r in records} == {"01/QĐ-BNNMT"}
    assert {r.decision_date for r in records} == {dt.date(2026, 2, 5)}
    assert {r.source for r in records} == {RecordSource.DECISION}
    assert set(
        Nomination.objects.filter(pk__in=[n1.pk, n2.pk]).values_list("state", flat=True)
    ) == {"decided"}
    assert AuditEvent.objects.filter(action="decision.sign").count() == 1
    assert AuditEvent.objects.filter(action="nomination.decide").count() == 2
    # prizes stored on the list, at the 2026-02-05 base salary (2,340,000)
    amounts = dict(d.items.values_list("nomination_id", "amount"))
    assert amounts == {n1.pk: 3_510_000, n2.pk: 7_020_000}  # 1.5 x and 3 x 2,340,000


def test_a_failure_while_signing_leaves_nothing_and_no_number(world, monkeypatch):
    n = approved(world.people[0], BK)
    d = draft(world, [n])
    from awards.decisions.services import signing

    def boom(*a, **k):
        raise ValidationError("boom")

    monkeypatch.setattr(signing, "_create_records", boom)
    with pytest.raises(ValidationError):
        services.sign(world.office, d, date=dt.date(2026, 2, 5))
    d.refresh_from_db()
    n.refresh_from_db()
    assert d.state == "draft" and d.number is None and n.state == "approved"
    assert not AwardRecord.objects.exists()
    monkeypatch.undo()
    d = services.sign(world.office, d, date=dt.date(2026, 2, 5))
    assert d.number == 1  # the failed attempt gave its number back


def test_signing_refuses_a_nomination_no_longer_approved(world):
    n1, n2 = approved(world.people[0], BK), approved(world.people[1], BK)
    d = draft(world, [n1, n2])
    Nomination.objects.filter(pk=n2.pk).update(state=NominationState.WITHDRAWN)
    with pytest.raises(ValidationError) as exc:
        services.sign(world.office, d, date=dt.date(2026, 2, 5))
    text = " ".join(exc.value.messages)
    assert "Nguyễn Văn Đức" in text and ("no longer approved" in text or "không còn" in text)
    d.refresh_from_db()
    assert d.state == "draft" and d.number is None
    assert not AwardRecord.objects.exists()
    assert Nomination.objects.get(pk=n1.pk).state == "approved"


def test_a_draft_refuses_nominations_that_are_not_ready(world):
    with pytest.raises(ValidationError):
        draft(world, [approved(world.people[0], BK, state="accepted")])
    with pytest.raises(ValidationError):  # the ministry does not confer LDTT
        draft(world, [approved(world.people[0], "LDTT")], code="LDTT")


def test_signed_decision_is_never_edited(world):
    d = services.sign(
        world.office, draft(world, [approved(world.people[0], BK)]), date=dt.date(2026, 2, 5)
    )
    with pytest.raises(ValidationError):
        services.update_draft(world.office, d, subject="Sửa")
    with pytest.raises(ValidationError):
        d.subject = "Sửa"
        d.save()
    with pytest.raises(ValidationError):
        DecisionItem.objects.filter(decision=d).first().delete()
    with pytest.raises(ValidationError):
        services.sign(world.office, d, date=dt.date(2026, 2, 6))
    assert Decision.objects.get(pk=d.pk).subject != "Sửa"


def test_only_the_office_signs(world, make_user):
    d = draft(world, [approved(world.people[0], BK)])
    with pytest.raises(PermissionDenied):
        services.sign(make_user(Role.VIEWER, username="v"), d)
    with pytest.raises(ValidationError):
        services.sign(world.office, d, date=dt.date.today() + dt.timedelta(days=1))


def test_replacement_supersedes_records_and_eligibility_ignores_them(world):
    p1, p2, p3 = world.people
    n1, n2 = approved(p1, BK), approved(p2, BK)
    old = services.sign(world.office, draft(world, [n1, n2]), date=dt.date(2026, 2, 5))
    old = services.publish(world.office, old)
    new = services.create_replacement(world.office, old)
    assert new.replaces_id == old.pk and new.is_draft
    assert "thay thế Quyết định số 01/QĐ-BNNMT" in new.articles
    n3 = approved(p3, BK)
    services.set_list(world.office, new, [n1.pk, n3.pk])  # n2 left out, n3 added
    new = services.sign(world.office, new, date=dt.date(2026, 2, 10))
    old.refresh_from_db()
    assert old.state == "replaced" and new.reference == "02/QĐ-BNNMT"
    superseded = AwardRecord.objects.filter(decision=old)
    assert superseded.count() == 2  # kept, never deleted
    assert all(r.superseded_at and r.superseded_by_id == new.pk for r in superseded)
    live = AwardRecord.objects.live().filter(award_type__code=BK, year=2025)
    assert {r.person_id for r in live} == {p1.pk, p3.pk}
    assert Nomination.objects.get(pk=n2.pk).state == "approved"  # left out: back to approved
    assert Nomination.objects.get(pk=n1.pk).state == "decided"
    # the replaced decision cannot be signed again, nor replaced twice
    with pytest.raises(ValidationError):
        services.sign(world.office, old)
    with pytest.raises(ValidationError):
        services.create_replacement(world.office, old)


def test_eligibility_ignores_superseded_records(world):
    """CSTD_CS 2024 and 2025 make BK_BO 2025 eligible; once the decision conferring the
    2025 title is replaced by one leaving the person out, the chain is broken."""
    p1, p2, _ = world.people
    f.award(p1, "CSTD_CS", 2024)
    n1, n2 = (approved(p, "CSTD_CS", proposing_unit=world.vp) for p in (p1, p2))
    old = services.sign(
        world.office,
        draft(world, [n1, n2], issuer=world.vp_issuer, code="CSTD_CS"),
        date=dt.date(2026, 1, 20),
    )
    (before,) = eligibility.judge_subject(2025, p1, ["BK_BO"])
    assert before.eligible
    new = services.create_replacement(world.office, old)
    services.set_list(world.office, new, [n2.pk])
    services.sign(world.office, new, date=dt.date(2026, 1, 21))
    (after,) = eligibility.judge_subject(2025, p1, ["BK_BO"])
    assert not after.eligible
    assert AwardRecord.objects.filter(person=p1, award_type__code="CSTD_CS").count() == 2


def test_signing_refuses_a_subject_already_holding_the_award(world):
    p = world.people[0]
    f.award(p, BK, 2025, decision_number="99/QĐ-BNNMT")
    d = draft(world, [approved(p, BK)])
    with pytest.raises(ValidationError) as exc:
        services.sign(world.office, d, date=dt.date(2026, 2, 5))
    assert "99/QĐ-BNNMT" in " ".join(exc.value.messages)
    assert Decision.objects.get(pk=d.pk).number is None


def test_decide_is_not_a_hand_made_step(world):
    n = approved(world.people[0], BK)
    from awards.nominations import services as nominations

    with pytest.raises(ValidationError):
        nominations.transition(world.office, n, "decide")
    assert Nomination.objects.get(pk=n.pk).state == "approved"
