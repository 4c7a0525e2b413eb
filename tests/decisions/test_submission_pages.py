"""The office's pages for submissions to a higher level: a new submission from the
approved nominations, recording it as sent, recording the decision that comes back; bad
input is refused on the same page with the form's data kept; others get 403."""

import datetime as dt

from django.urls import reverse

from awards.decisions import services
from awards.models import AwardRecord, Nomination, Submission
from emulation_portal.models import Role
from tests.decisions.conftest import approved

TITLE = "Tờ trình đề nghị tặng Bằng khen của Thủ tướng Chính phủ năm 2025"


def _submission(world, noms, send=True):
    s = services.create_submission(
        world.office,
        issuer=world.issuer,
        authority="prime_minister",
        title=TITLE,
        nomination_ids=[n.pk for n in noms],
    )
    if send:
        s = services.send_submission(
            world.office, s, number="45/TTr-BNNMT", date=dt.date(2026, 2, 1)
        )
    return s


def test_office_creates_a_submission_from_the_page(client, world):
    n1, n2 = (approved(p, "BK_TTG") for p in world.people[:2])
    client.force_login(world.office)
    r = client.get(reverse("decisions:submissions"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Tờ trình lên cấp trên" in body and f'value="{n1.pk}"' in body
    r = client.post(
        reverse("decisions:submissions"),
        {"authority": "prime_minister", "title": TITLE, "nominations": [n1.pk, n2.pk]},
    )
    s = Submission.objects.get()
    assert r.status_code == 302 and r.url == reverse("decisions:submission", args=[s.pk])
    assert sorted(s.items.values_list("nomination_id", flat=True)) == sorted([n1.pk, n2.pk])
    r = client.get(reverse("decisions:submissions"))
    assert f'data-submission="{s.pk}"' in r.content.decode()


def test_new_submission_bad_input_keeps_the_form(client, world):
    n1 = approved(world.people[0], "BK_TTG")
    client.force_login(world.office)
    # the President does not confer BK_TTG: refused by the service, the data stays
    r = client.post(
        reverse("decisions:submissions"),
        {"authority": "president", "title": TITLE, "nominations": [n1.pk]},
    )
    body = r.content.decode()
    assert r.status_code == 400 and not Submission.objects.exists()
    assert "không thuộc thẩm quyền đã chọn" in body
    assert TITLE in body and 'value="president" selected' in body
    assert f'value="{n1.pk}" id="id_nominations_0" checked' in body
    # no name chosen: a message in Vietnamese
    r = client.post(
        reverse("decisions:submissions"), {"authority": "prime_minister", "title": TITLE}
    )
    assert r.status_code == 400 and "Chọn các đề nghị" in r.content.decode()
    assert TITLE in r.content.decode()
    # a nomination id that is not offered
    r = client.post(
        reverse("decisions:submissions"),
        {"authority": "prime_minister", "title": TITLE, "nominations": ["999999", "x"]},
    )
    assert r.status_code == 400 and not Submission.objects.exists()


def test_office_records_sent_then_the_decision_against_the_list(client, world):
    n1, n2 = (approved(p, "BK_TTG") for p in world.people[:2])
    s = _submission(world, [n1, n2], send=False)
    url = reverse("decisions:submission", args=[s.pk])
    client.force_login(world.office)
    assert 'data-form="send"' in client.get(url).content.decode()
    r = client.post(url, {"step": "send", "number": "45/TTr-BNNMT", "date": "2026-02-01"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.state, s.number) == ("sent", "45/TTr-BNNMT")
    body = client.get(url).content.decode()
    assert 'data-form="record"' in body and 'data-form="send"' not in body
    r = client.post(
        url,
        {"step": "record", "number": "123/QĐ-TTg", "date": "2026-03-01", "nominations": [n1.pk]},
    )
    assert r.status_code == 302
    record = AwardRecord.objects.get(external_decision__number="123/QĐ-TTg")
    assert record.person_id == n1.person_id
    assert Nomination.objects.get(pk=n1.pk).state == "decided"
    body = client.get(url).content.decode()
    assert "123/QĐ-TTg (01/03/2026)" in body
    # the conferred name is no longer offered
    assert f'name="nominations" value="{n1.pk}"' not in body
    assert f'name="nominations" value="{n2.pk}"' in body


def test_recording_bad_input_keeps_the_form(client, world):
    n1 = approved(world.people[0], "BK_TTG")
    s = _submission(world, [n1])
    url = reverse("decisions:submission", args=[s.pk])
    client.force_login(world.office)
    # a date before the submission's: the service refuses, the typed data stays
    r = client.post(
        url,
        {"step": "record", "number": "123/QĐ-TTg", "date": "2026-01-15", "nominations": [n1.pk]},
    )
    body = r.content.decode()
    assert r.status_code == 400 and not AwardRecord.objects.exists()
    assert "Ngày quyết định phải từ ngày tờ trình" in body
    assert 'value="123/QĐ-TTg"' in body and 'value="2026-01-15"' in body
    assert f'value="{n1.pk}" id="id_nominations_0" checked' in body
    # a date that is not a date, and an unknown step
    r = client.post(url, {"step": "record", "number": "123/QĐ-TTg", "date": "31/31/2026"})
    assert r.status_code == 400 and 'value="123/QĐ-TTg"' in r.content.decode()
    assert client.post(url, {"step": "bogus"}).status_code == 400
    assert Nomination.objects.get(pk=n1.pk).state == "approved"


def test_sending_bad_input_keeps_the_form(client, world):
    s = _submission(world, [approved(world.people[0], "BK_TTG")], send=False)
    url = reverse("decisions:submission", args=[s.pk])
    client.force_login(world.office)
    r = client.post(url, {"step": "send", "number": "45/TTr-BNNMT", "date": "2999-01-01"})
    body = r.content.decode()
    assert r.status_code == 400 and 'value="45/TTr-BNNMT"' in body
    assert "không phải ngày trong tương lai" in body
    s.refresh_from_db()
    assert s.state == "draft"


def test_submission_pages_are_the_office_s(client, world, make_user):
    s = _submission(world, [approved(world.people[0], "BK_TTG")])
    client.force_login(make_user(Role.VIEWER, username="nguoixem"))
    assert client.get(reverse("decisions:submissions")).status_code == 403
    assert client.get(reverse("decisions:submission", args=[s.pk])).status_code == 403
    client.force_login(world.office)
    assert client.get(reverse("decisions:submission", args=[999999])).status_code == 404
    client.logout()
    assert client.get(reverse("decisions:submissions")).status_code == 302


def test_submissions_list_queries_do_not_grow(client, world, django_assert_max_num_queries):
    for i in range(3):
        _submission(world, [approved(world.people[i], "BK_TTG")])
    client.force_login(world.office)
    client.get(reverse("decisions:submissions"))
    with django_assert_max_num_queries(12):
        r = client.get(reverse("decisions:submissions"))
    assert r.content.decode().count("data-submission=") == 3


def test_without_a_ministry_issuer_the_page_says_so(client, world):
    n1 = approved(world.people[0], "BK_TTG")
    world.issuer.is_ministry = False
    world.issuer.save()
    client.force_login(world.office)
    r = client.post(
        reverse("decisions:submissions"),
        {"authority": "prime_minister", "title": TITLE, "nominations": [n1.pk]},
    )
    assert r.status_code == 400 and "Hãy khai báo cơ quan ban hành cấp Bộ" in r.content.decode()
    assert TITLE in r.content.decode() and not Submission.objects.exists()
    assert client.post(reverse("decisions:submissions"), {}).status_code == 400
