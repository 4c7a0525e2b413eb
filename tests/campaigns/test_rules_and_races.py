"""Bad input and races: refused with a clear message, nothing lost, nothing counted twice."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from campaigns import services
from campaigns.models import (
    AcclamationVote,
    Campaign,
    Criterion,
    ElectionVote,
    Pledge,
    PledgeState,
    Score,
    Signature,
)
from emulation_portal.models import AuditEvent
from tests.campaigns.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


# --- database constraints (not only service checks) ----------------------------------------


def test_database_refuses_points_outside_the_range(locked_pledge, bloc_setup):
    crit = locked_pledge.criteria.first()
    unit = bloc_setup.units[0]
    for bad in (Decimal("-1"), Decimal("60.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Score.objects.create(
                criterion=crit, unit=unit, max_points=crit.max_points, self_points=bad
            )
    with pytest.raises(IntegrityError), transaction.atomic():  # adjustment without a reason
        Score.objects.create(
            criterion=crit, unit=unit, max_points=crit.max_points, self_points=1, final_points=2
        )


def test_database_refuses_a_second_signature_vote_and_current_pledge(locked_pledge, bloc_setup):
    s = bloc_setup
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            pledge=locked_pledge, unit=s.units[0], signed_at=dt.datetime.now(dt.UTC)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(bloc=s.bloc, year=s.year, version=2, title="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(year=2026)
        CampaignFactory(year=2026)


# --- pledges -------------------------------------------------------------------------------


def test_signing_twice_for_another_unit_or_when_not_open_is_refused(bloc_setup):
    s = bloc_setup
    pledge = services.start_pledge(s.leader, s.bloc, s.year)
    services.set_criteria(s.leader, pledge, [{"name": "A", "max_points": 10}])
    with pytest.raises(ValidationError, match="not open for signing"):
        services.sign_pledge(s.officers[1], pledge, s.units[1])
    services.open_signing(s.leader, pledge)
    services.sign_pledge(s.officers[1], pledge, s.units[1])
    with pytest.raises(ValidationError, match="already signed"):
        services.sign_pledge(s.officers[1], pledge, s.units[1])
    with pytest.raises(PermissionDenied):
        services.sign_pledge(s.officers[1], pledge, s.units[2])
    with pytest.raises(PermissionDenied):
        services.sign_pledge(s.outsider, pledge, s.outsider_unit)
    assert Signature.objects.filter(pledge=pledge).count() == 1
    assert _events("pledge.sign") == 1


def test_a_change_after_locking_is_a_new_version_signed_again(locked_pledge, bloc_setup):
    s = bloc_setup
    new = services.revise_pledge(s.leader, locked_pledge, change_note="Thêm tiêu chí")
    locked_pledge.refresh_from_db()
    assert locked_pledge.state == PledgeState.SUPERSEDED
    assert (new.version, new.state, new.previous) == (2, PledgeState.DRAFT, locked_pledge)
    assert new.criteria.count() == 3 and not new.signatures.exists()
    services.open_signing(s.leader, new)
    services.sign_pledge(s.officers[0], new, s.units[0])
    new.refresh_from_db()
    assert new.state == PledgeState.SIGNING


def test_next_year_pledge_starts_from_last_years(locked_pledge, bloc_setup):
    from tests.campaigns.factories import membership

    s = bloc_setup
    membership(s.bloc, s.year + 1, s.units[0], "leader")
    nxt = services.start_pledge(s.leader, s.bloc, s.year + 1)
    assert nxt.previous == locked_pledge
    assert list(nxt.criteria.values_list("name", "max_points")) == list(
        locked_pledge.criteria.values_list("name", "max_points")
    )
    with pytest.raises(ValidationError, match="already has a pledge"):
        services.start_pledge(s.leader, s.bloc, s.year + 1)


# --- scores --------------------------------------------------------------------------------


def test_score_out_of_range_or_for_another_unit_is_refused(locked_pledge, bloc_setup):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    for bad in (-1, 61, "abc", "nan"):
        with pytest.raises(ValidationError):
            services.save_self_score(s.officers[1], crit, s.units[1], points=bad)
    with pytest.raises(PermissionDenied):
        services.save_self_score(s.officers[1], crit, s.units[2], points=5)
    with pytest.raises(PermissionDenied):
        services.save_self_score(s.outsider, crit, s.outsider_unit, points=5)
    assert not Score.objects.exists()


def test_stale_version_is_refused_and_keeps_the_other_save(locked_pledge, bloc_setup):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    first = services.save_self_score(s.officers[1], crit, s.units[1], points=10)
    services.save_self_score(s.officers[1], crit, s.units[1], points=20, version=first.version)
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.save_self_score(s.officers[1], crit, s.units[1], points=30, version=first.version)
    with pytest.raises(ValidationError, match="Someone else saved"):  # update without version
        services.save_self_score(s.officers[1], crit, s.units[1], points=30)
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.adjust_score(s.leader, first, points=5, reason="x", version=first.version)
    score = Score.objects.get()
    assert (score.self_points, score.final_points, score.version) == (Decimal("20.00"), None, 2)


def test_adjustment_needs_a_reason_and_the_leader(locked_pledge, bloc_setup):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    score = services.save_self_score(s.officers[2], crit, s.units[2], points=50)
    with pytest.raises(ValidationError, match="reason"):
        services.adjust_score(s.leader, score, points=40, reason="  ", version=score.version)
    with pytest.raises(PermissionDenied):
        services.adjust_score(s.officers[1], score, points=40, reason="x", version=score.version)
    score.refresh_from_db()
    assert score.final_points is None and _events("score.adjust") == 0


def test_no_scoring_after_the_ranking_is_published(locked_pledge, bloc_setup):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    score = services.save_self_score(s.officers[1], crit, s.units[1], points=10)
    ranking = services.compute_ranking(s.leader, s.bloc, s.year)
    services.publish_ranking(s.leader, ranking)
    with pytest.raises(ValidationError, match="published"):
        services.save_self_score(s.officers[1], crit, s.units[1], points=20, version=1)
    with pytest.raises(ValidationError, match="published"):
        services.adjust_score(s.leader, score, points=5, reason="x", version=1)
    with pytest.raises(ValidationError, match="published"):
        services.compute_ranking(s.leader, s.bloc, s.year)
    with pytest.raises(ValidationError, match="already published"):
        services.publish_ranking(s.leader, ranking)
    assert Score.objects.get().self_points == Decimal("10.00")


def test_tie_break_goes_down_to_previous_rank_and_code(bloc_setup):
    from campaigns.services import rank_rows

    s = bloc_setup
    a, b, c, d = s.units
    zero = {"standard": Decimal(10), "bonus": Decimal(0), "penalty": Decimal(0)}
    totals = {
        a.pk: dict(zero),
        b.pk: dict(zero),
        c.pk: {"standard": Decimal(12), "bonus": Decimal(0), "penalty": Decimal(2)},
        d.pk: dict(zero),
    }
    rows = rank_rows(totals, {u.pk: u for u in s.units}, {d.pk: 1, b.pk: 3})
    # c: 12-2 = 10 but more standard -> first; d and b by last year's rank; a last (no rank)
    assert [r[0] for r in rows] == [c, d, b, a]
    assert "standard" in rows[0][3]
    assert "previous" in rows[1][3] and "previous" in rows[3][3]


# --- votes ---------------------------------------------------------------------------------


@pytest.fixture
def year_end(bloc_setup):
    s = bloc_setup
    return services.create_meeting(
        s.leader,
        s.bloc,
        s.year,
        kind="year_end",
        held_on=dt.date(2025, 12, 20),
        place="Hà Nội",
        host=s.units[0],
    )


def test_second_vote_or_vote_from_outside_is_refused(bloc_setup, year_end):
    s = bloc_setup
    services.cast_acclamation_vote(
        s.officers[1], year_end, voting_unit=s.units[1], award_code="CO_BO", candidate=s.units[0]
    )
    with pytest.raises(ValidationError, match="already voted"):
        services.cast_acclamation_vote(
            s.officers[1],
            year_end,
            voting_unit=s.units[1],
            award_code="CO_BO",
            candidate=s.units[2],
        )
    with pytest.raises(PermissionDenied):
        services.cast_acclamation_vote(
            s.outsider,
            year_end,
            voting_unit=s.outsider_unit,
            award_code="CO_BO",
            candidate=s.units[0],
        )
    with pytest.raises(ValidationError, match="not a member"):
        services.cast_acclamation_vote(
            s.officers[1],
            year_end,
            voting_unit=s.units[1],
            award_code="BK_BO",
            candidate=s.outsider_unit,
        )
    with pytest.raises(PermissionDenied):  # for another member unit
        services.cast_election_vote(
            s.officers[1], year_end, voting_unit=s.units[2], office="leader", candidate=s.units[1]
        )
    services.cast_election_vote(
        s.officers[1], year_end, voting_unit=s.units[1], office="leader", candidate=s.units[1]
    )
    with pytest.raises(ValidationError, match="already voted"):
        services.cast_election_vote(
            s.officers[1], year_end, voting_unit=s.units[1], office="leader", candidate=s.units[2]
        )
    assert AcclamationVote.objects.count() == 1 and ElectionVote.objects.count() == 1
    assert AcclamationVote.objects.get().candidate == s.units[0]


def test_no_vote_after_the_result_and_no_second_result(bloc_setup, year_end):
    s = bloc_setup
    services.record_meeting_result(s.leader, year_end)
    with pytest.raises(ValidationError, match="voting is closed"):
        services.cast_acclamation_vote(
            s.officers[1],
            year_end,
            voting_unit=s.units[1],
            award_code="CO_BO",
            candidate=s.units[0],
        )
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_meeting_result(s.leader, year_end)

    with pytest.raises(ValidationError, match="can no longer change"):
        services.update_meeting(s.leader, year_end, minutes="Sửa biên bản sau khi đã chốt.")
    year_end.refresh_from_db()
    assert "Sửa biên bản" not in year_end.minutes


def test_self_scoring_closes_at_the_scoring_deadline_unless_extended(
    locked_pledge, bloc_setup, office_user
):
    s = bloc_setup
    crit = locked_pledge.criteria.get(order=1)
    c = CampaignFactory(year=s.year, state="launched", launched_at=dt.datetime.now(dt.UTC))
    phase = services.set_phase(
        office_user,
        c,
        kind="scoring",
        opens_on=dt.date(s.year, 11, 15),
        closes_on=dt.date(s.year + 1, 1, 15),
    )
    with services.as_of(dt.date(s.year + 1, 1, 15)):  # the last day still counts
        score = services.save_self_score(s.officers[1], crit, s.units[1], points=30)
    with services.as_of(dt.date(s.year + 1, 1, 16)):
        with pytest.raises(ValidationError, match="scoring deadline .15/01/2026. has passed"):
            services.save_self_score(s.officers[1], crit, s.units[1], points=40, version=1)
        with pytest.raises(ValidationError, match="has passed"):
            services.save_self_score(s.officers[2], crit, s.units[2], points=40)
        assert Score.objects.get(pk=score.pk).self_points == Decimal("30.00")
        # The leader still reviews after the units' deadline.
        services.adjust_score(s.leader, score, points=25, reason="Thiếu minh chứng", version=1)
        services.extend_phase(
            office_user,
            phase,
            unit=s.units[2],
            closes_on=dt.date(s.year + 1, 1, 31),
            reason="Đơn vị bị ảnh hưởng bởi bão",
        )
        services.save_self_score(s.officers[2], crit, s.units[2], points=40)
    assert Score.objects.filter(unit=s.units[2]).get().self_points == Decimal("40.00")


def test_photos_are_checked_by_content(bloc_setup, year_end):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    s = bloc_setup
    fake = SimpleUploadedFile("beach.jpg", b"not really a jpeg", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a valid image"):
        services.add_photo(s.leader, year_end, fake)
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    photo = services.add_photo(
        s.leader, year_end, SimpleUploadedFile("beach.png", buf.getvalue()), caption="Sầm Sơn"
    )
    assert photo.image.name.endswith(".png") and year_end.photos.count() == 1


# --- campaigns -----------------------------------------------------------------------------


def test_campaign_moves_follow_the_table(office_user):
    c = services.create_campaign(
        office_user,
        year=2026,
        kind="annual",
        name="Năm 2026",
        theme="Đổi mới",
        description="",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.close_campaign(office_user, c)
    services.launch_campaign(office_user, c, reference="Số 01/KH-BNNMT")
    c.refresh_from_db()
    assert c.state == "launched" and c.launched_by == office_user and c.launched_at
    with pytest.raises(ValidationError):
        services.launch_campaign(office_user, c)
    with pytest.raises(ValidationError, match="already an annual campaign"):
        services.create_campaign(
            office_user,
            year=2026,
            kind="annual",
            name="B",
            theme="",
            description="",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    assert Campaign.objects.count() == 1


def test_registration_before_the_deadline_only(bloc_setup, office_user):
    s = bloc_setup
    c = CampaignFactory(year=2026, state="launched", launched_at=dt.datetime.now(dt.UTC))
    phase = services.set_phase(
        office_user,
        c,
        kind="registration",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 1, 31),
    )
    with pytest.raises(ValidationError, match="deadline"):
        services.save_registration(s.officers[1], c, s.units[1], collective_title="TTLDXS")
    services.extend_phase(
        office_user,
        phase,
        unit=s.units[1],
        closes_on=dt.date(2100, 1, 1),
        reason="Đơn vị mới sáp nhập",
    )
    reg = services.save_registration(
        s.officers[1],
        c,
        s.units[1],
        collective_title="ttldxs",
        initiatives=["Số hóa hồ sơ"],
        submit=True,
    )
    assert reg.collective_title == "TTLDXS" and reg.state == "submitted"
    assert reg.entries.get().initiative_title == "Số hóa hồ sơ"
    with pytest.raises(PermissionDenied):
        services.save_registration(s.officers[1], c, s.units[2], collective_title="TTLDTT")


@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_the_same_score_at_once(bloc_setup, locked_pledge):
    """Two threads save version 1 of the same score: one wins, the other is told."""
    if connection.vendor == "sqlite":
        pytest.skip("needs real concurrent connections (run on PostgreSQL)")
    s = bloc_setup
    crit = Criterion.objects.get(pledge=locked_pledge, order=1)
    score = services.save_self_score(s.officers[1], crit, s.units[1], points=10)
    s.officers[1].__dict__.pop("_campaigns_officer_paths", None)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(points):
        from django.db import connection as conn

        try:
            barrier.wait()
            services.save_self_score(
                s.officers[1], crit, s.units[1], points=points, version=score.version
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("conflict")
        finally:
            conn.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in (20, 30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    final = Score.objects.get(pk=score.pk)
    assert final.version == 2 and final.self_points in (Decimal("20.00"), Decimal("30.00"))


def test_remind_command_needs_an_office_account(
    bloc_setup, office_user, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import CommandError, call_command

    s = bloc_setup
    s.officers[0].email = "a@example.org"
    s.officers[0].save()
    CampaignFactory(year=s.year, state="launched", launched_at=dt.datetime.now(dt.UTC))
    with pytest.raises(CommandError):
        call_command("remind_registrations", "--as", s.leader.username)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_registrations", "--as", office_user.username)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["a@example.org"]
    assert _events("registration.remind") == 1


def test_flag_needs_a_majority_of_the_votes(bloc_setup, year_end):
    s = bloc_setup
    for unit, user, candidate in zip(s.units, s.officers, [0, 0, 1, 2], strict=True):
        services.cast_acclamation_vote(
            user, year_end, voting_unit=unit, award_code="CO_BO", candidate=s.units[candidate]
        )
    result = services.record_meeting_result(s.leader, year_end)
    assert result.proposals == []  # 2 of 4 votes is not more than half


@pytest.mark.django_db(transaction=True)
def test_signing_twice_at_once_counts_once(bloc_setup):
    if connection.vendor == "sqlite":
        pytest.skip("needs real concurrent connections (run on PostgreSQL)")
    s = bloc_setup
    pledge = services.start_pledge(s.leader, s.bloc, s.year)
    services.set_criteria(s.leader, pledge, [{"name": "A", "max_points": 10}])
    services.open_signing(s.leader, pledge)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign():
        from django.db import connection as conn

        try:
            barrier.wait()
            services.sign_pledge(s.officers[1], pledge, s.units[1])
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Signature.objects.filter(pledge=pledge).count() == 1
    assert _events("pledge.sign") == 1


def test_registration_people_must_belong_to_the_unit(bloc_setup):
    from units.models import Person

    s = bloc_setup
    c = CampaignFactory(year=2026, state="launched", launched_at=dt.datetime.now(dt.UTC))
    mine = Person.objects.create(code="NV1", full_name="Nguyễn Văn An", gender="M", unit=s.units[1])
    other = Person.objects.create(
        code="NV2", full_name="Trần Thị Bình", gender="F", unit=s.units[2]
    )
    with pytest.raises(ValidationError, match="Trần Thị Bình"):
        services.save_registration(
            s.officers[1],
            c,
            s.units[1],
            collective_title="TTLDXS",
            people=[services.PersonTarget(other, "CSTD_CS")],
        )
    reg = services.save_registration(
        s.officers[1],
        c,
        s.units[1],
        collective_title="TTLDXS",
        people=[services.PersonTarget(mine, "CSTD_CS")],
    )
    assert reg.entries.get().person == mine


def test_a_paper_signature_keeps_its_past_date_but_never_a_future_one(bloc_setup):
    s = bloc_setup
    pledge = services.start_pledge(s.leader, s.bloc, s.year)
    services.set_criteria(s.leader, pledge, [{"name": "A", "max_points": 10}])
    services.open_signing(s.leader, pledge)
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        services.sign_pledge(s.officers[1], pledge, s.units[1], at=future)
    meeting_day = dt.datetime(2025, 3, 15, 2, tzinfo=dt.UTC)
    sig = services.sign_pledge(s.officers[1], pledge, s.units[1], at=meeting_day)
    assert sig.signed_at == meeting_day
