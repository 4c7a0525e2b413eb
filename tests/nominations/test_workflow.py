"""The nomination's life through the one transition function, with its audit trail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from awards.models import Disclosure, Nomination, NominationState
from awards.nominations import services
from emulation_portal.audit import verify_chain
from emulation_portal.models import AuditEvent, Role
from tests.nominations import factories as f
from tests.nominations.conftest import upload

S = NominationState


def trail(n):
    return list(
        AuditEvent.objects.filter(object_type="awards.nomination", object_id=str(n.pk))
        .order_by("seq")
        .values_list("action", "actor__username")
    )


def test_draft_return_resubmit_disclosure_objection_accepted(
    world, complete_bk, make_user, django_capture_on_commit_callbacks
):
    n, office, officer = complete_bk, world.office, world.officer
    viewer = make_user(Role.VIEWER, username="staff1")
    with django_capture_on_commit_callbacks(execute=True):
        n = services.transition(officer, n, "submit")
    assert n.state == S.SUBMITTED and n.submit_count == 1
    assert n.eligible is True and n.verdict.rule_set.code == "ND152-2025-TT62"
    assert mail.outbox[-1].to == ["thidua@example.vn"]  # ministry level: the office

    n = services.transition(office, n, "start_review")
    with django_capture_on_commit_callbacks(execute=True):
        n = services.transition(
            office, n, "return", comments=[("achievements", "Thiếu số liệu năm 2025.")]
        )
    assert n.state == S.RETURNED
    assert n.comments.get().section == "achievements"
    assert officer.email in mail.outbox[-1].to

    n = services.update_dossier(
        officer, n, version=n.version, achievements="Bổ sung: 12 văn bản năm 2025."
    )
    with django_capture_on_commit_callbacks(execute=True):
        n = services.transition(officer, n, "submit")
    assert n.state == S.SUBMITTED and n.submit_count == 2

    n = services.transition(office, n, "start_review")
    today = timezone.localdate()
    disclosure = services.publish_disclosure(
        office,
        title="Công khai danh sách đề nghị Bằng khen 2025",
        year=2025,
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        nominations=[n],
    )
    with django_capture_on_commit_callbacks(execute=True):
        objection = services.raise_objection(viewer, n, text="Đề nghị làm rõ thành tích.")
    assert objection.disclosure == disclosure
    with pytest.raises(ValidationError) as refused:
        services.transition(office, n, "accept")
    assert refused.value.code == "open_objections"
    assert Nomination.objects.get(pk=n.pk).state == S.UNDER_REVIEW

    services.answer_objection(office, objection, answer="Đã xác minh, thành tích đúng.")
    with pytest.raises(ValidationError) as refused:
        services.transition(office, n, "accept")
    assert refused.value.code == "disclosure_open"
    assert Nomination.objects.get(pk=n.pk).state == S.UNDER_REVIEW

    # The disclosure period ends (yesterday's last day): now the list may go to the council.
    Disclosure.objects.filter(pk=disclosure.pk).update(
        starts_on=today - dt.timedelta(days=6), ends_on=today - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        n = services.transition(office, n, "accept")
    assert n.state == S.ACCEPTED and n.accepted_at

    assert trail(n) == [
        ("nomination.create", "cb_vp"),
        ("nomination.attach", "cb_vp"),
        ("nomination.attach", "cb_vp"),
        ("nomination.submit", "cb_vp"),
        ("nomination.start_review", "thidua"),
        ("nomination.return", "thidua"),
        ("nomination.edit", "cb_vp"),
        ("nomination.submit", "cb_vp"),
        ("nomination.start_review", "thidua"),
        ("objection.raise", "staff1"),
        ("objection.answer", "thidua"),
        ("nomination.accept", "thidua"),
    ]
    resubmit = AuditEvent.objects.filter(action="nomination.submit").order_by("seq").last()
    assert resubmit.before["state"] == "returned" and resubmit.after["resubmission"] is True
    assert AuditEvent.objects.filter(action="disclosure.publish").count() == 1
    assert verify_chain() == []


def test_move_not_in_table_is_refused_and_changes_nothing(world, complete_bk):
    n = complete_bk
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.transition(world.office, n, "accept")  # draft -> accepted: not in the table
    with pytest.raises(ValidationError):
        services.transition(world.office, n, "fly_away")
    n.refresh_from_db()
    assert n.state == S.DRAFT and n.version == complete_bk.version
    assert AuditEvent.objects.count() == events


def test_return_needs_a_comment(world, complete_bk):
    n = services.transition(world.officer, complete_bk, "submit")
    with pytest.raises(ValidationError) as refused:
        services.transition(world.office, n, "return", comments=[("general", "  ")])
    assert refused.value.code == "no_comment"
    assert Nomination.objects.get(pk=n.pk).state == S.SUBMITTED


def test_incomplete_dossier_cannot_be_submitted(world):
    n = services.create_nomination(
        world.officer,
        award_type=f.award_type("BK_BO"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=world.person,
    )
    with pytest.raises(ValidationError) as exc:
        services.transition(world.officer, n, "submit")
    text = " ".join(exc.value.messages)
    assert "I. Background" in text or "Sơ lược" in text or "lý lịch" in text.lower()
    assert Nomination.objects.get(pk=n.pk).state == S.DRAFT


def test_ineligible_needs_office_override_with_reason(world):
    p = f.person(world.sub, "P002", "Lê Văn Nam", gender="M")
    f.rate(p, {2025: "HTNV"})
    n = services.create_nomination(
        world.officer,
        award_type=f.award_type("BK_BO"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=p,
        background="x",
        achievements="y",
        **f.deliberation(),
    )
    services.add_attachment(world.officer, n, upload(), kind="submission_letter")
    services.add_attachment(world.officer, n, upload(), kind="minutes")
    with pytest.raises(ValidationError, match="criteria|tiêu chuẩn"):
        services.transition(world.officer, n, "submit")
    assert Nomination.objects.get(pk=n.pk).state == S.DRAFT
    with pytest.raises(PermissionDenied):
        services.override_verdict(world.officer, n, reason="Thành tích đột xuất đặc biệt.")
    with pytest.raises(ValidationError):
        services.override_verdict(world.office, n, reason="")
    services.override_verdict(world.office, n, reason="Thành tích đột xuất trong cứu hộ bão lũ.")
    n = services.transition(world.officer, n, "submit")
    assert n.state == S.SUBMITTED and n.eligible is False
    ev = AuditEvent.objects.get(action="nomination.override")
    assert ev.actor == world.office and "bão lũ" in ev.after["override_reason"]


def test_stale_save_is_refused(world, complete_bk):
    n = complete_bk
    a = Nomination.objects.get(pk=n.pk)
    b = Nomination.objects.get(pk=n.pk)
    services.update_dossier(world.officer, a, version=a.version, background="Bản của A")
    with pytest.raises(ValidationError, match="meanwhile|trong lúc"):
        services.update_dossier(world.office, b, version=b.version, background="Bản của B")
    assert Nomination.objects.get(pk=n.pk).background == "Bản của A"


def test_one_live_nomination_per_nominee_award_year(world, complete_bk):
    with pytest.raises(ValidationError, match="live|đang"):
        services.create_nomination(
            world.officer,
            award_type=f.award_type("BK_BO"),
            year=f.YEAR,
            proposing_unit=world.vp,
            person=world.person,
        )
    services.transition(world.officer, complete_bk, "withdraw")
    again = services.create_nomination(
        world.officer,
        award_type=f.award_type("BK_BO"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=world.person,
    )
    assert again.pk != complete_bk.pk
    # the database itself refuses a second live row
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            person=world.person,
            award_type=f.award_type("BK_BO"),
            year=f.YEAR,
            proposing_unit=world.vp,
            level="ministry",
        )


def test_deadline_passed_then_reopened_for_one_unit(world, complete_bk):
    from campaigns.models import Campaign, Phase

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        year=f.YEAR,
        kind="thematic",
        name="Đợt thi đua",
        starts_on=dt.date(f.YEAR, 1, 1),
        ends_on=dt.date(f.YEAR, 12, 31),
    )
    Phase.objects.create(
        campaign=campaign,
        kind="nominations",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=1),
    )
    Nomination.objects.filter(pk=complete_bk.pk).update(campaign=campaign)
    complete_bk.refresh_from_db()
    with pytest.raises(ValidationError, match="deadline|hạn"):
        services.transition(world.officer, complete_bk, "submit")
    with pytest.raises(PermissionDenied):
        services.reopen_deadline(
            world.officer,
            campaign=campaign,
            unit=world.vp,
            closes_on=today + dt.timedelta(days=3),
            reason="Xin thêm thời gian",
        )
    services.reopen_deadline(
        world.office,
        campaign=campaign,
        unit=world.vp,
        closes_on=today + dt.timedelta(days=3),
        reason="Đơn vị bị ảnh hưởng bởi bão.",
    )
    assert services.transition(world.officer, complete_bk, "submit").state == S.SUBMITTED


def test_unit_level_title_is_reviewed_inside_the_unit(world):
    p = f.person(world.sub, "P003", "Phạm Thu Trang")
    f.rate(p, {2025: "HTTNV"})
    n = services.create_nomination(
        world.officer,
        award_type=f.award_type("LDTT"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=p,
        **f.deliberation(),
    )
    assert n.level == "unit"
    services.add_attachment(world.officer, n, upload(), kind="submission_letter")
    services.add_attachment(world.officer, n, upload(), kind="minutes")
    n = services.transition(world.officer, n, "submit")
    with pytest.raises(PermissionDenied):
        services.transition(world.other_officer, n, "accept")
    # another officer of the unit, not the one who proposed it (separation of duties)
    n = services.transition(f.officer(world.vp, "cb_vp_2"), n, "accept")
    assert n.state == S.ACCEPTED


def test_ministry_title_is_not_reviewed_by_the_unit(world, complete_bk):
    n = services.transition(world.officer, complete_bk, "submit")
    with pytest.raises(PermissionDenied):
        services.transition(world.officer, n, "accept")
    assert Nomination.objects.get(pk=n.pk).state == S.SUBMITTED


def test_cstd_needs_the_initiative_and_its_certificate(world):
    from units.models import Initiative

    p = f.person(world.sub, "P010", "Vũ Minh Châu")
    f.rate(p, {2025: "HTTNV"})
    mine = Initiative.objects.create(person=p, year=2025, title="Số hóa hồ sơ", scope="CO_SO")
    other = Initiative.objects.create(
        person=world.person, year=2025, title="Sáng kiến khác", scope="CO_SO"
    )
    n = services.create_nomination(
        world.officer,
        award_type=f.award_type("CSTD_CS"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=p,
        background="x",
        achievements="y",
        **f.deliberation(),
    )
    services.add_attachment(world.officer, n, upload(), kind="submission_letter")
    services.add_attachment(world.officer, n, upload(), kind="minutes")
    sections = {s for s, _m in services.dossier_problems(n)}
    assert sections == {"initiative", "attachments"}
    n.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_dossier(world.officer, n, version=n.version, initiative=other)
    n = services.update_dossier(world.officer, n, version=n.version, initiative=mine)
    services.add_attachment(world.officer, n, upload(), kind="initiative_certificate")
    n = services.transition(world.officer, n, "submit")
    assert n.state == S.SUBMITTED and n.eligible is True and n.level == "unit"


def test_no_nomination_for_an_award_already_received(world):
    p = f.person(world.sub, "P011", "Hoàng Văn Đức", gender="M")
    f.rate(p, {f.YEAR: "HTTNV"})
    f.award(p, "LDTT", f.YEAR, decision_number="45/QĐ-BNNMT")
    with pytest.raises(ValidationError) as refused:
        services.create_nomination(
            world.officer,
            award_type=f.award_type("LDTT"),
            year=f.YEAR,
            proposing_unit=world.vp,
            person=p,
        )
    assert refused.value.code == "held" and "45/QĐ-BNNMT" in refused.value.messages[0]
    f.rate(world.person, {f.YEAR: "HTXSNV"})
    result = services.build_batch(
        world.officer, proposing_unit=world.vp, award_type=f.award_type("LDTT"), year=f.YEAR
    )
    assert list(result.batch.nominations.values_list("person", flat=True)) == [world.person.pk]
    assert result.skipped == 1


@pytest.mark.parametrize(
    ("starts", "ends", "held_back"),
    [(-3, 0, True), (1, 8, True), (-8, -1, False)],
    ids=["ends-today", "not-started-yet", "ended-yesterday"],
)
def test_accept_waits_for_every_disclosure_of_the_nominee_to_end(
    world, complete_bk, starts, ends, held_back
):
    n = services.transition(world.officer, complete_bk, "submit")
    n = services.transition(world.office, n, "start_review")
    today = timezone.localdate()
    disclosure = services.publish_disclosure(
        world.office, title="Công khai", year=2025, starts_on=today, ends_on=today, nominations=[n]
    )
    Disclosure.objects.filter(pk=disclosure.pk).update(
        starts_on=today + dt.timedelta(days=starts), ends_on=today + dt.timedelta(days=ends)
    )
    if not held_back:
        assert services.transition(world.office, n, "accept").state == S.ACCEPTED
        return
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.transition(world.office, n, "accept")
    assert refused.value.code == "disclosure_open"
    until = (today + dt.timedelta(days=ends)).strftime("%d/%m/%Y")
    assert f"đang được công khai đến ngày {until}" in refused.value.messages[0]
    assert Nomination.objects.get(pk=n.pk).state == S.UNDER_REVIEW


def test_a_quota_switched_on_caps_the_units_submissions(world, admin_account):
    """CSTD_CS at most 15 % of the unit's LDTT: 7 people qualify for LDTT, so one place."""
    from awards import services as award_services
    from awards.models import Rule
    from units.models import Initiative

    rule = Rule.objects.get(rule_set__code="ND152-2025-TT62", award_type__code="CSTD_CS")
    rule.quota_enabled = True
    award_services.save_rule(admin_account, rule)

    def complete_cstd(i):
        p = f.person(world.vp, f"Q{i:02}", f"Người thứ {i}")
        f.rate(p, {f.YEAR: "HTXSNV"})
        mine = Initiative.objects.create(
            person=p, year=f.YEAR, title=f"Sáng kiến {i}", scope="CO_SO"
        )
        n = services.create_nomination(
            world.officer,
            award_type=f.award_type("CSTD_CS"),
            year=f.YEAR,
            proposing_unit=world.vp,
            person=p,
            background="x",
            achievements="y",
            **f.deliberation(),
        )
        for kind in ("submission_letter", "minutes", "initiative_certificate"):
            services.add_attachment(world.officer, n, upload(), kind=kind)
        n.refresh_from_db()
        return services.update_dossier(world.officer, n, version=n.version, initiative=mine)

    nominations = [complete_cstd(i) for i in range(7)]
    first = services.transition(world.officer, nominations[0], "submit")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.transition(world.officer, nominations[1], "submit")
    assert "chỉ tiêu" in " ".join(refused.value.messages).lower()
    assert Nomination.objects.get(pk=nominations[1].pk).state == S.DRAFT
    services.transition(world.officer, first, "withdraw", note="Nhường chỉ tiêu")
    assert services.transition(world.officer, nominations[1], "submit").state == S.SUBMITTED
