"""The one who proposes never reviews or decides the same nomination, at any level.

Whoever created a nomination, edited its dossier, attached its files (or its letter's),
built its letter or submitted it is refused start review, return, accept, comments as
reviewer, the override, answers to objections and the council moves: by the service (with
its message, nothing written or audited), on the pages (no button) and in the API (403).
Another authorised person at the same level succeeds: an officer of the unit for the titles
the unit confers, another office user for the ministry's."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from awards.models import Nomination, NominationProposer, NominationState
from awards.nominations import services
from emulation_portal.models import AuditEvent, Role
from tests.nominations import factories as f
from tests.nominations.conftest import upload

S = NominationState
API = "/api/v1/nominations/"
REFUSAL_VI = "không được thẩm định hay quyết định"


@pytest.fixture
def colleague(world):
    """A second officer of VP: may review the unit's own titles others proposed."""
    return f.officer(world.vp, "cb_vp_2")


@pytest.fixture
def office2(make_user):
    return make_user(Role.OFFICE, username="thidua2", email="thidua2@example.vn")


def _ldtt(world, actor=None):
    """A complete unit-level (LDTT) nomination proposed by VP."""
    actor = actor or world.officer
    p = f.person(world.sub, f"L{Nomination.objects.count():03}", "Phạm Thu Trang")
    f.rate(p, {f.YEAR: "HTTNV"})
    n = services.create_nomination(
        actor,
        award_type=f.award_type("LDTT"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=p,
        **f.deliberation(),
    )
    services.add_attachment(actor, n, upload(), kind="submission_letter")
    services.add_attachment(actor, n, upload(name="bien-ban.pdf"), kind="minutes")
    n.refresh_from_db()
    return n


def _bk(world, actor):
    """A complete ministry-level (BK_BO) nomination of ``world.person`` proposed for VP by
    ``actor`` (an officer of VP, or the office on the unit's behalf)."""
    n = services.create_nomination(
        actor,
        award_type=f.award_type("BK_BO"),
        year=f.YEAR,
        proposing_unit=world.vp,
        person=world.person,
        background="Sinh năm 1985, chuyên viên chính.",
        achievements="Hoàn thành xuất sắc nhiệm vụ năm 2024 và 2025.",
        **f.deliberation(),
    )
    services.add_attachment(actor, n, upload(), kind="submission_letter")
    services.add_attachment(actor, n, upload(name="bien-ban.pdf"), kind="minutes")
    n.refresh_from_db()
    return n


def _events(n) -> int:
    return AuditEvent.objects.filter(object_type="awards.nomination", object_id=str(n.pk)).count()


def _refused(actor, call, n):
    """``call`` is refused with the proposer's message (in Vietnamese); nothing changes and
    nothing is audited."""
    before = (Nomination.objects.get(pk=n.pk).state, _events(n))
    with translation.override("vi"), pytest.raises(PermissionDenied) as exc:
        call()
    assert REFUSAL_VI in str(exc.value)
    assert (Nomination.objects.get(pk=n.pk).state, _events(n)) == before


def _return(actor, n):
    return services.transition(actor, n, "return", comments=[("achievements", "Bổ sung số liệu")])


# --------------------------------------------------------------------------- services


@pytest.mark.parametrize("move", ["start_review", "return", "accept"])
def test_unit_level_proposer_is_refused_each_review_move_a_colleague_makes_it(
    world, colleague, move
):
    n = _ldtt(world)
    n = services.transition(world.officer, n, "submit")

    def do(actor):
        if move == "return":
            return _return(actor, n)
        return services.transition(actor, n, move)

    _refused(world.officer, lambda: do(world.officer), n)
    assert do(colleague).state == {"start_review": S.UNDER_REVIEW, "return": S.RETURNED}.get(
        move, S.ACCEPTED
    )


@pytest.mark.parametrize("move", ["start_review", "return", "accept"])
def test_ministry_level_office_proposer_is_refused_another_office_user_makes_it(
    world, office2, move
):
    """The office created the nomination on VP's behalf: that office user may not review it."""
    n = _bk(world, world.office)
    n = services.transition(world.office, n, "submit")

    def do(actor):
        if move == "return":
            return _return(actor, n)
        return services.transition(actor, n, move)

    _refused(world.office, lambda: do(world.office), n)
    assert do(office2).state == {"start_review": S.UNDER_REVIEW, "return": S.RETURNED}.get(
        move, S.ACCEPTED
    )


def test_submitting_and_editing_make_a_proposer_too(world, colleague):
    """The creator, an officer who only edited the dossier and one who only submitted it
    are all proposers; a third officer of the unit reviews."""
    n = _ldtt(world)
    n = services.update_dossier(colleague, n, version=n.version, background="Thêm quá trình")
    submitter = f.officer(world.vp, "cb_vp_3")
    n = services.transition(submitter, n, "submit")
    for proposer in (world.officer, colleague, submitter):
        _refused(proposer, lambda p=proposer: services.transition(p, n, "start_review"), n)
    assert set(n.proposers.values_list("user__username", flat=True)) == {
        world.officer.username,
        colleague.username,
        submitter.username,
    }
    reviewer = f.officer(world.vp, "cb_vp_4")
    assert services.transition(reviewer, n, "accept").state == S.ACCEPTED


def test_the_author_and_the_uploader_of_a_letter_propose_its_nominations(world, colleague):
    """A list built by one officer whose letter another attached: neither reviews it."""
    f.rate(world.person, {f.YEAR: "HTTNV"})
    built = services.build_batch(
        world.officer, proposing_unit=world.vp, award_type=f.award_type("LDTT"), year=f.YEAR
    )
    assert built.created
    for n in built.batch.nominations.all():
        services.update_dossier(world.officer, n, version=n.version, **f.deliberation())
    services.add_batch_attachment(colleague, built.batch, upload(), kind="submission_letter")
    services.add_batch_attachment(colleague, built.batch, upload(), kind="minutes")
    result = services.submit_batch(world.officer, built.batch)
    assert result.done and not result.refused
    n = Nomination.objects.get(pk=result.done[0])
    for proposer in (world.officer, colleague):
        _refused(proposer, lambda p=proposer: services.transition(p, n, "accept"), n)
    bulk = services.bulk_transition(colleague, [n], "accept")
    assert n.pk in bulk.refused and not bulk.done
    assert services.transition(f.officer(world.vp, "cb_vp_5"), n, "accept").state == S.ACCEPTED


def test_a_proposer_may_not_comment_as_reviewer(world, colleague):
    n = services.transition(world.officer, _ldtt(world), "submit")
    _refused(
        world.officer,
        lambda: services.add_comment(world.officer, n, section="general", text="Tự nhận xét"),
        n,
    )
    assert services.add_comment(colleague, n, section="general", text="Thiếu số liệu").pk


def test_the_office_user_who_proposed_may_not_override_the_verdict(world, office2):
    n = _bk(world, world.office)
    reason = "Đặc cách theo chỉ đạo của Lãnh đạo Bộ."
    _refused(world.office, lambda: services.override_verdict(world.office, n, reason=reason), n)
    assert services.override_verdict(office2, n, reason=reason).override_reason == reason


def test_the_office_user_who_proposed_may_not_answer_its_objections(world, office2, make_user):
    n = services.transition(world.office, _bk(world, world.office), "submit")
    today = timezone.localdate()
    services.publish_disclosure(
        office2,
        title="Công khai danh sách đề nghị",
        year=f.YEAR,
        starts_on=today,
        ends_on=today + dt.timedelta(days=5),
        nominations=[n],
    )
    viewer = make_user(Role.VIEWER, username="staff1")
    objection = services.raise_objection(viewer, n, text="Chưa đủ tiêu chuẩn")
    _refused(
        world.office,
        lambda: services.answer_objection(world.office, objection, answer="Đã xác minh"),
        n,
    )
    assert (
        services.answer_objection(office2, objection, answer="Đã xác minh").answered_by == office2
    )


def test_the_office_user_who_proposed_may_not_make_the_council_moves(world, office2):
    n = services.transition(world.office, _bk(world, world.office), "submit")
    n = services.transition(office2, n, "accept")
    _refused(world.office, lambda: services.transition(world.office, n, "schedule"), n)
    assert services.transition(office2, n, "schedule").state == S.IN_SESSION


def test_the_proposer_keeps_the_proposer_moves(world):
    """Separation of duties takes nothing from the proposing side: withdraw and resubmit."""
    n = services.transition(world.officer, _ldtt(world), "submit")
    assert services.transition(world.officer, n, "withdraw").state == S.WITHDRAWN


def test_existing_nominations_get_their_proposers_from_the_record(world, colleague):
    """The migration's backfill: creator, uploaders and audited submitters."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("awards.migrations.0005_nomination_proposers")
    n = _ldtt(world)
    services.update_dossier(colleague, n, version=n.version, background="Sửa")
    NominationProposer.objects.all().delete()
    migration.backfill(apps, None)
    assert set(n.proposers.values_list("user_id", flat=True)) == {world.officer.pk, colleague.pk}


# --------------------------------------------------------------------------- pages


def _buttons(client, n) -> str:
    return client.get(reverse("nominations:detail", args=[n.pk])).content.decode()


def test_detail_page_offers_no_review_to_the_proposer(world, colleague, client):
    n = services.transition(world.officer, _ldtt(world), "submit")
    client.force_login(world.officer)
    page = _buttons(client, n)
    assert 'data-move="withdraw"' in page
    for move in ("start_review", "return", "accept"):
        assert f'data-move="{move}"' not in page
    assert reverse("nominations:comment", args=[n.pk]) not in page

    response = client.post(
        reverse("nominations:move", args=[n.pk]), {"move": "accept", "version": n.version}
    )
    assert response.status_code == 302
    assert Nomination.objects.get(pk=n.pk).state == S.SUBMITTED
    followed = client.get(response["Location"]).content.decode()
    assert REFUSAL_VI in followed

    client.force_login(colleague)
    page = _buttons(client, n)
    assert 'data-move="accept"' in page and 'data-move="start_review"' in page
    client.post(reverse("nominations:move", args=[n.pk]), {"move": "accept", "version": n.version})
    assert Nomination.objects.get(pk=n.pk).state == S.ACCEPTED


def test_detail_page_offers_no_review_to_the_office_user_who_proposed(world, office2, client):
    n = services.transition(world.office, _bk(world, world.office), "submit")
    client.force_login(world.office)
    page = _buttons(client, n)
    assert 'data-move="accept"' not in page and 'data-move="start_review"' not in page
    client.force_login(office2)
    assert 'data-move="accept"' in _buttons(client, n)


def test_queue_bulk_accept_skips_the_proposers_own(world, colleague, client):
    mine = services.transition(world.officer, _ldtt(world), "submit")
    theirs = services.transition(colleague, _ldtt(world, colleague), "submit")
    client.force_login(world.officer)
    page = client.get(reverse("nominations:queue")).content.decode()
    assert f'name="ids" value="{mine.pk}"' not in page
    assert f'name="ids" value="{theirs.pk}"' in page
    response = client.post(
        reverse("nominations:queue"), {"move": "accept", "ids": [mine.pk, theirs.pk]}, follow=True
    )
    assert Nomination.objects.get(pk=mine.pk).state == S.SUBMITTED
    assert Nomination.objects.get(pk=theirs.pk).state == S.ACCEPTED
    assert "không phải của bạn để thẩm định" in response.content.decode()


# --------------------------------------------------------------------------- API


def test_api_refuses_the_proposer_with_403_and_the_reason(world, colleague, client):
    n = services.transition(world.officer, _ldtt(world), "submit")
    client.force_login(world.officer)
    for move in ("start_review", "accept"):
        response = client.post(
            f"{API}{n.pk}/transition/",
            {"move": move},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="vi",
        )
        assert response.status_code == 403
        assert REFUSAL_VI in response.json()["detail"]
    response = client.post(
        f"{API}{n.pk}/comments/",
        {"section": "general", "text": "Tự nhận xét"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Nomination.objects.get(pk=n.pk).state == S.SUBMITTED

    client.force_login(colleague)
    response = client.post(
        f"{API}{n.pk}/transition/", {"move": "accept"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == S.ACCEPTED


def test_api_refuses_the_office_user_who_proposed(world, office2, client):
    client.force_login(world.office)
    response = client.post(
        API,
        {"person_code": "P001", "award_code": "BK_BO", "year": f.YEAR, "proposing_unit_code": "VP"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    n = Nomination.objects.get(pk=pk)
    services.update_dossier(
        world.officer,
        n,
        version=n.version,
        background="Sinh năm 1985.",
        achievements="Hoàn thành xuất sắc.",
        **f.deliberation(),
    )
    for kind in ("submission_letter", "minutes"):
        services.add_attachment(world.officer, n, upload(), kind=kind)
    services.transition(world.officer, n, "submit")
    response = client.post(
        f"{API}{pk}/transition/", {"move": "accept"}, content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(office2)
    response = client.post(
        f"{API}{pk}/transition/", {"move": "accept"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == S.ACCEPTED
