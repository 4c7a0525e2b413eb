"""The council pages: the session page and its steps, the phone ballot (approve all, change
the exceptions, review, cast, the receipt shown once), refusals as messages, progress
without contents, written opinions, results and receipts, the nomination's panel, the
minutes PDF read back with pypdf; query counts at 1 and N items."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.council import services
from awards.models import Ballot, Recusal, VoterRoll
from tests.council.conftest import accepted, vote_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def three_items(world):
    return [accepted(person=p, proposing_unit=world.vp) for p in world.people]


def _choices(session, value="approve"):
    return {f"item_{i.pk}": value for i in session.items.all()}


def test_session_page_shows_agenda_quorum_and_steps(world, make_session, three_items, client_for):
    s = make_session(three_items, open_it=False)
    page = client_for(world.office).get(reverse("council:session", args=[s.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Chiến sĩ thi đua" in body  # the agenda grouped under the award's name
    assert 'data-quorum="met"' in body
    assert 'data-move="open"' in body and 'data-move="close"' not in body


def test_open_short_of_quorum_is_a_message_not_a_500(world, make_session, three_items, client_for):
    s = make_session(three_items, present=9, open_it=False)  # 10 of 15 needed
    c = client_for(world.office)
    r = c.post(reverse("council:move", args=[s.pk]), {"move": "open", "version": s.version})
    assert r.status_code == 302
    page = c.get(r["Location"])
    assert "Chưa đủ túc số" in page.content.decode()
    s.refresh_from_db()
    assert s.state == "draft"


def test_ballot_approve_all_then_exceptions_review_cast(
    world, make_session, three_items, client_for
):
    s = make_session(three_items)
    items = list(s.items.order_by("order"))
    member = world.members[3]
    c = client_for(member.user)
    url = reverse("council:ballot", args=[s.pk])
    page = c.get(url).content.decode()
    # approve all: every item's "approve" radio is checked from the start
    assert len(re.findall(r'value="approve"[^>]*checked', page)) == 3
    assert page.count(" checked") == 3
    data = _choices(s)
    data[f"item_{items[1].pk}"] = "disapprove"
    data[f"item_{items[2].pk}"] = "recused"
    review = c.post(url, {**data, "step": "review"})
    assert review.status_code == 200
    body = review.content.decode()
    assert 'data-choice="disapprove"' in body and 'data-choice="recused"' in body
    assert not VoterRoll.objects.filter(session=s).exists()  # nothing cast by the review
    cast = c.post(url, {**data, "step": "cast"})
    body = cast.content.decode()
    receipt = Ballot.objects.get(session=s).receipt
    assert receipt in body and "Hãy giữ mã này" in body
    assert "no-store" in cast["Cache-Control"]
    assert Recusal.objects.filter(item=items[2], member=member).exists()
    # shown once: the page again refuses, without the code
    again = c.get(url).content.decode()
    assert receipt not in again and "đã bỏ phiếu trong phiên họp" in again


def test_cast_refused_keeps_nothing(world, make_session, three_items, client_for):
    """A refused cast (closed meanwhile) leaves no recusal and no ballot, with a message."""
    s = make_session(three_items)
    member = world.members[4]
    c = client_for(member.user)
    url = reverse("council:ballot", args=[s.pk])
    data = _choices(s)
    first = list(s.items.all())[0]
    data[f"item_{first.pk}"] = "recused"
    services.transition(world.office, s, "close")
    r = c.post(url, {**data, "step": "cast"})
    assert r.status_code == 200
    assert "Đã đóng bỏ phiếu" in r.content.decode()
    assert not Recusal.objects.exists() and not Ballot.objects.filter(session=s).exists()


@pytest.mark.parametrize(
    "who,expected",
    [
        ("outsider", None),  # 404: not their council
        ("absent", "vắng mặt"),
        ("secretary_written", "ý kiến bằng văn bản"),
    ],
)
def test_ballot_refusals_are_messages(world, make_session, three_items, client_for, who, expected):
    from emulation_portal.models import Role
    from tests.factories import UserFactory

    s = make_session(three_items, present=13, written=1)
    user = {
        "outsider": UserFactory(role=Role.COUNCIL, username="ngoai"),
        "absent": world.members[14].user,
        "secretary_written": world.members[13].user,
    }[who]
    r = client_for(user).get(reverse("council:ballot", args=[s.pk]))
    if expected is None:
        assert r.status_code == 404
    else:
        assert r.status_code == 200
        assert expected in r.content.decode()
        assert "data-refusal" in r.content.decode()


def test_ballot_before_opening_is_refused(world, make_session, three_items, client_for):
    s = make_session(three_items, open_it=False)
    r = client_for(world.members[1].user).get(reverse("council:ballot", args=[s.pk]))
    assert r.status_code == 200 and "Phiên bỏ phiếu chưa mở" in r.content.decode()


def test_progress_counts_never_contents(world, make_session, three_items, client_for):
    s = make_session(three_items)
    receipts = vote_all(s, world.members[:4], lambda i, it: "approve")
    r = client_for(world.chair.user).get(reverse("council:progress", args=[s.pk]))
    body = r.content.decode()
    assert 'data-cast="4"' in body and 'data-members="15"' in body
    assert 'hx-trigger="every 3s"' in body
    assert not any(code in body for code in receipts)
    assert "approve" not in body
    # an ordinary member does not follow the progress
    assert (
        client_for(world.members[5].user).get(reverse("council:progress", args=[s.pk])).status_code
        == 403
    )


def test_secretary_enters_a_written_opinion(world, make_session, three_items, client_for):
    s = make_session(three_items, present=14, written=1)
    absent = world.members[14]
    c = client_for(world.secretary.user)
    page = c.get(reverse("council:session", args=[s.pk])).content.decode()
    url = reverse("council:written", args=[s.pk, absent.pk])
    assert url in page
    r = c.post(url, _choices(s))
    assert r.status_code == 302
    ballot = Ballot.objects.get(session=s)
    assert ballot.written is True
    # a second entry is refused with the reason, nothing doubled
    r = c.post(url, _choices(s), follow=True)
    assert "đã bỏ phiếu trong phiên họp" in r.content.decode()
    assert Ballot.objects.filter(session=s).count() == 1


def _closed(world, make_session, n_items, tag="Q"):
    from awards.models import AwardType, Nomination
    from units.models import Person

    people = [
        Person.objects.create(
            code=f"{tag}P{i:03d}", full_name=f"Lê Thị {i}", unit=world.vp, gender="F"
        )
        for i in range(n_items)
    ]
    noms = [
        Nomination.objects.create(
            person=p,
            award_type=AwardType.objects.get(code="CSTD_BO"),
            year=2025,
            proposing_unit=world.vp,
            level="ministry",
            state="accepted",
        )
        for p in people
    ]
    s = make_session(noms)
    vote_all(s, world.members[:14], lambda i, it: "approve" if i < 13 else "disapprove")
    return services.transition(world.office, s, "close")


def test_results_page_figures_and_receipts(world, make_session, client_for):
    s = _closed(world, make_session, 2)
    r = client_for(world.members[6].user).get(reverse("council:results", args=[s.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    # 13 of 15 = 86.7% fails 90%
    assert 'data-approvals="13"' in body and "86,7%" in body and "90%" in body
    assert 'data-result="not_approved"' in body
    for receipt in Ballot.objects.filter(session=s).values_list("receipt", flat=True):
        assert f'data-receipt="{receipt}"' in body


def test_results_before_closing_are_refused(world, make_session, three_items, client_for):
    s = make_session(three_items)
    assert (
        client_for(world.members[2].user).get(reverse("council:results", args=[s.pk])).status_code
        == 403
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_results_page_queries_do_not_grow_with_items(world, make_session, client_for):
    one = _closed(world, make_session, 1)
    c = client_for(world.office)
    few = _queries(c, reverse("council:results", args=[one.pk]))
    from awards.models import CouncilSession

    CouncilSession.objects.filter(pk=one.pk).update(state="published")
    many = _closed(world, make_session, 8, tag="R")
    assert _queries(c, reverse("council:results", args=[many.pk])) == few


def test_ballot_page_queries_do_not_grow_with_items(world, make_session, client_for):
    from awards.models import AwardType, Nomination
    from units.models import Person

    def session_with(n, tag):
        people = [
            Person.objects.create(code=f"{tag}{i:03d}", full_name=f"Phạm {i}", unit=world.vp)
            for i in range(n)
        ]
        noms = [
            Nomination.objects.create(
                person=p, award_type=AwardType.objects.get(code="CSTD_BO"), year=2025,
                proposing_unit=world.vp, level="ministry", state="accepted",
            )
            for p in people
        ]  # fmt: skip
        return make_session(noms)

    c = client_for(world.members[2].user)
    one = session_with(1, "A")
    few = _queries(c, reverse("council:ballot", args=[one.pk]))
    many = session_with(9, "B")
    assert _queries(c, reverse("council:ballot", args=[many.pk])) == few


def test_nomination_page_shows_the_council_result(world, make_session, client_for):
    s = _closed(world, make_session, 1)
    item = s.items.get()
    services.transition(world.office, s, "publish")
    page = client_for(world.office).get(reverse("nominations:detail", args=[item.nomination_id]))
    body = page.content.decode()
    assert 'id="panel-council"' in body
    assert "13/15" in body and "86,7%" in body and 'data-result="not_approved"' in body


def test_minutes_pdf_reads_back_with_diacritics_and_figures(
    world, make_session, client_for, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        s = _closed(world, make_session, 2)  # eager jobs: rendered when the close commits
    s.refresh_from_db()
    assert s.minutes_job.state == "success", s.minutes_job.message
    c = client_for(world.secretary.user)
    page = c.get(reverse("council:session", args=[s.pk])).content.decode()
    assert reverse("council:minutes", args=[s.pk]) in page
    r = c.get(reverse("council:minutes", args=[s.pk]))
    assert r["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(r.streaming_content)))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())  # lines re-joined
    for expected in (
        "BIÊN BẢN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Hội đồng Thi đua - Khen thưởng Bộ",
        "Tổng số thành viên Hội đồng: 15",
        "13/15",
        "86,7%",
        "Không đạt",
        "Chiến sĩ thi đua",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH",
        "Lê Thị 0",
    ):
        assert expected in text, (expected, text)


def test_office_records_a_substitute_who_then_votes(world, make_session, three_items, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from emulation_portal.models import Role
    from tests.factories import UserFactory
    from tests.nominations import factories as nf

    s = make_session(three_items, present=14)
    principal = world.members[14]
    stand_in = UserFactory(role=Role.VIEWER, username="nguoithay")
    c = client_for(world.office)
    url = reverse("council:substitute", args=[s.pk])
    bad = c.post(
        url,
        {"member": principal.pk, "username": "khongco", "authorisation": SimpleUploadedFile(
            "uq.pdf", nf.PDF)},
        follow=True,
    )  # fmt: skip
    assert "Không có tài khoản nào" in bad.content.decode()
    ok = c.post(
        url,
        {"member": principal.pk, "username": "nguoithay", "authorisation": SimpleUploadedFile(
            "uq.pdf", nf.PDF)},
        follow=True,
    )  # fmt: skip
    assert "bỏ phiếu thay" in ok.content.decode()
    ballot = client_for(stand_in)
    page = ballot.get(reverse("council:ballot", args=[s.pk])).content.decode()
    assert principal.name in page and "data-refusal" not in page
    ballot.post(reverse("council:ballot", args=[s.pk]), {**_choices(s), "step": "cast"})
    assert VoterRoll.objects.filter(session=s, member=principal).exists()
