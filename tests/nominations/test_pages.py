"""The pages: queue (filters, bulk accept, query counts), dossier beside the verdict,
editing with a stale version, batches and bloc proposals."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Batch, Nomination
from awards.nominations import services
from tests.nominations import factories as f
from tests.nominations.conftest import upload
from units.models import Person


def make_many(world, count, state="submitted"):
    people = Person.objects.bulk_create(
        [
            Person(code=f"M{i:05d}", full_name=f"Người số {i}", gender="F", unit=world.sub)
            for i in range(count)
        ]
    )
    return Nomination.objects.bulk_create(
        [
            Nomination(
                person=p,
                award_type=f.award_type("BK_BO"),
                year=f.YEAR,
                proposing_unit=world.vp,
                level="ministry",
                state=state,
                eligible=True,
            )
            for p in people
        ]
    )


def test_queue_page_in_vietnamese_with_filters(world, complete_bk, client):
    client.force_login(world.office)
    services.transition(world.officer, complete_bk, "submit")
    response = client.get(reverse("nominations:queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đề nghị khen thưởng" in html and "Trần Thị Hoa" in html
    assert "Đã gửi" in html  # state "submitted"
    assert (
        "Trần Thị Hoa"
        not in client.get(reverse("nominations:queue"), {"state": "accepted"}).content.decode()
    )
    assert (
        "Trần Thị Hoa"
        in client.get(
            reverse("nominations:queue"), {"q": "tran thi hoa", "award": "BK_BO", "eligible": "yes"}
        ).content.decode()
    )
    assert (
        "Trần Thị Hoa"
        not in client.get(reverse("nominations:queue"), {"unit": world.other.pk}).content.decode()
    )


def test_overdue_filter(world, complete_bk, client):
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
        opens_on=today - dt.timedelta(days=9),
        closes_on=today - dt.timedelta(days=2),
    )
    Nomination.objects.filter(pk=complete_bk.pk).update(campaign=campaign)
    client.force_login(world.office)
    assert (
        "Trần Thị Hoa"
        in client.get(reverse("nominations:queue"), {"overdue": "1"}).content.decode()
    )
    services.reopen_deadline(
        world.office,
        campaign=campaign,
        unit=world.vp,
        closes_on=today + dt.timedelta(days=1),
        reason="Gia hạn do bão",
    )
    assert (
        "Trần Thị Hoa"
        not in client.get(reverse("nominations:queue"), {"overdue": "1"}).content.decode()
    )


def test_unit_officer_sees_only_the_unit_queue(world, complete_bk, client):
    n = services.transition(world.officer, complete_bk, "submit")
    today = timezone.localdate()
    services.publish_disclosure(
        world.office,
        title="Công khai",
        year=f.YEAR,
        starts_on=today,
        ends_on=today,
        nominations=[n],
    )
    client.force_login(world.other_officer)  # may read the disclosed nominee, not queue it
    assert client.get(reverse("nominations:detail", args=[n.pk])).status_code == 200
    assert "Trần Thị Hoa" not in client.get(reverse("nominations:queue")).content.decode()
    client.force_login(world.officer)
    assert "Trần Thị Hoa" in client.get(reverse("nominations:queue")).content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_queue_query_count_is_fixed(world, client, count, django_assert_max_num_queries):
    make_many(world, count)
    client.force_login(world.office)
    client.get(reverse("nominations:queue"))  # warm caches (sessions, content types)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("nominations:queue"))
    assert response.content.decode().count('data-id="') == count


def test_bulk_accept(world, client):
    rows = make_many(world, 3, state="under_review")
    client.force_login(world.office)
    response = client.post(
        reverse("nominations:queue"),
        {"move": "accept", "ids": [rows[0].pk, rows[1].pk]},
        follow=True,
    )
    assert response.status_code == 200
    states = dict(Nomination.objects.values_list("pk", "state"))
    assert states[rows[0].pk] == states[rows[1].pk] == "accepted"
    assert states[rows[2].pk] == "under_review"


def test_bulk_accept_by_unit_officer_ignores_ministry_titles(world, client):
    rows = make_many(world, 2, state="under_review")
    client.force_login(world.officer)
    client.post(reverse("nominations:queue"), {"move": "accept", "ids": [r.pk for r in rows]})
    assert set(Nomination.objects.values_list("state", flat=True)) == {"under_review"}


def test_detail_shows_dossier_and_verdict(world, complete_bk, client):
    n = services.transition(world.officer, complete_bk, "submit")
    client.force_login(world.office)
    html = client.get(reverse("nominations:detail", args=[n.pk])).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ năm 2024" in html  # dossier
    assert "ND152-2025-TT62" in html  # verdict with its rule set (2025: NĐ 152, TT 62)
    assert "12/QĐ-BNNMT" in html  # part III from the history
    assert 'data-move="accept"' in html


def test_stale_save_on_the_page_keeps_the_input(world, complete_bk, client):
    url = reverse("nominations:edit", args=[complete_bk.pk])
    stale = complete_bk.version
    services.update_dossier(world.office, complete_bk, version=stale, background="Bản khác")
    client.force_login(world.officer)
    response = client.post(
        url,
        {"version": stale, "background": "Bản của tôi", "achievements": "Thành tích mới"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản của tôi" in html and "Thành tích mới" in html
    assert "thay đổi" in html or "meanwhile" in html
    assert Nomination.objects.get(pk=complete_bk.pk).background == "Bản khác"


def test_create_page(world, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("nominations:create"),
        {
            "person_code": "P001",
            "award_type": f.award_type("BK_BO").pk,
            "kind": "cong_trang",
            "year": f.YEAR,
            "proposing_unit": world.vp.pk,
        },
    )
    n = Nomination.objects.get()
    assert response.status_code == 302 and n.person == world.person
    # a unit outside the officer's scope is not offered
    response = client.post(
        reverse("nominations:create"),
        {
            "person_code": "P001",
            "award_type": f.award_type("LDTT").pk,
            "kind": "cong_trang",
            "year": f.YEAR,
            "proposing_unit": world.other.pk,
        },
    )
    assert response.status_code == 200 and Nomination.objects.count() == 1


def test_batch_from_eligible_list_then_trim_and_submit(world, client):
    people = [f.person(world.sub) for _ in range(4)]
    for p in people[:3]:
        f.rate(p, {f.YEAR: "HTTNV"})
    f.rate(people[3], {f.YEAR: "HTNV"})  # not eligible for LDTT
    f.rate(world.person, {f.YEAR: "HTXSNV"})
    client.force_login(world.officer)
    response = client.post(
        reverse("nominations:batch-create"),
        {"proposing_unit": world.vp.pk, "award_type": f.award_type("LDTT").pk, "year": f.YEAR},
    )
    batch = Batch.objects.get()
    assert response.status_code == 302
    nominated = set(batch.nominations.values_list("person_id", flat=True))
    assert nominated == {people[0].pk, people[1].pk, people[2].pk, world.person.pk}
    trim = batch.nominations.get(person=people[0])
    client.post(reverse("nominations:batch", args=[batch.pk]), {"action": "trim", "ids": [trim.pk]})
    trim.refresh_from_db()
    assert trim.state == "withdrawn"
    services.add_batch_attachment(world.officer, batch, upload(), kind="submission_letter")
    services.add_batch_attachment(world.officer, batch, upload(), kind="minutes")
    for n in batch.nominations.exclude(state="withdrawn"):
        services.update_dossier(world.officer, n, version=n.version, **f.deliberation())
    client.post(reverse("nominations:batch", args=[batch.pk]), {"action": "submit"})
    assert set(batch.nominations.values_list("state", flat=True)) == {"submitted", "withdrawn"}


def test_bloc_proposals_become_nominations_in_one_step(world, client):
    from campaigns.models import AcclamationProposal, BlocMeeting
    from units.models import Bloc, BlocMembership

    bloc = Bloc.objects.create(code="KHOI_II", name="Khối thi đua số II", kind="KHOI")
    BlocMembership.objects.create(
        bloc=bloc, year=f.YEAR, unit=world.vp, role="leader", bloc_kind="KHOI"
    )
    BlocMembership.objects.create(
        bloc=bloc, year=f.YEAR, unit=world.other, role="member", bloc_kind="KHOI"
    )
    meeting = BlocMeeting.objects.create(
        bloc=bloc,
        year=f.YEAR,
        kind="year_end",
        held_on=dt.date(f.YEAR, 12, 5),
        place="Hà Nội",
        host=world.vp,
    )
    for code in ("CO_BO", "BK_BO"):
        AcclamationProposal.objects.create(
            bloc=bloc,
            year=f.YEAR,
            unit=world.other,
            award_code=code,
            votes=2,
            voters=2,
            meeting=meeting,
        )
    client.force_login(world.office)
    client.post(reverse("nominations:from-proposals"), {"bloc": bloc.pk, "year": f.YEAR})
    rows = Nomination.objects.order_by("award_type__code")
    assert [(n.award_type.code, n.unit, n.proposing_unit) for n in rows] == [
        ("BK_BO", world.other, world.vp),
        ("CO_BO", world.other, world.vp),
    ]
    assert all(n.acclamation_id for n in rows)
    client.post(reverse("nominations:from-proposals"), {"bloc": bloc.pk, "year": f.YEAR})
    assert Nomination.objects.count() == 2  # idempotent
    n = rows[0]
    assert "minutes" not in str(services.dossier_problems(n))


def test_person_page_shows_the_nominations_panel_to_readers_only(
    world, complete_bk, client, make_user
):
    url = reverse("units:person-detail", args=[world.person.code])
    client.force_login(world.officer)
    html = client.get(url).content.decode()
    assert 'data-panel="nominations"' in html and "BK_BO" in html
    client.force_login(make_user("viewer", username="reader"))  # reads people, not drafts
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-panel="nominations"' not in response.content.decode()


@pytest.mark.parametrize("count", [1, 60])
def test_building_a_letter_takes_a_fixed_number_of_queries(
    world, count, django_assert_max_num_queries
):
    from units.models import PersonYear

    people = Person.objects.bulk_create(
        [
            Person(code=f"L{i:05d}", full_name=f"Người {i}", gender="M", unit=world.sub)
            for i in range(count)
        ]
    )
    PersonYear.objects.bulk_create(
        [PersonYear(person=p, year=f.YEAR, unit=world.sub, rating="HTTNV") for p in people]
    )
    with django_assert_max_num_queries(30):
        result = services.build_batch(
            world.officer, proposing_unit=world.vp, award_type=f.award_type("LDTT"), year=f.YEAR
        )
    assert result.created == count + 1  # and world.person (HTXSNV in 2025)
