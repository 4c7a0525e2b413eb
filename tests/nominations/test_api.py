"""The nominations API: create, edit with a version (409 when stale), transitions with
comments, attachments, and a fixed number of queries for the list."""

import pytest

from awards.models import Nomination
from tests.nominations import factories as f
from tests.nominations.conftest import upload
from tests.nominations.test_pages import make_many

API = "/api/v1/nominations/"


def test_create_edit_upload_submit_through_the_api(world, client):
    client.force_login(world.officer)
    response = client.post(
        API,
        {
            "person_code": "P001",
            "award_code": "BK_BO",
            "year": f.YEAR,
            "proposing_unit_code": "VP",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "draft" and data["level"] == "ministry"
    pk, version = data["id"], data["version"]

    response = client.patch(
        f"{API}{pk}/",
        {
            "version": version,
            "background": "Chuyên viên chính",
            "achievements": "Hoàn thành xuất sắc",
            "deliberation_date": "2025-12-01",
            "deliberation_attendees": 9,
            "deliberation_votes": 9,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    new_version = response.json()["version"]
    stale = client.patch(
        f"{API}{pk}/",
        {"version": version, "background": "ghi đè"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert Nomination.objects.get(pk=pk).background == "Chuyên viên chính"

    for kind in ("submission_letter", "minutes"):
        response = client.post(f"{API}{pk}/attachments/", {"document_kind": kind, "file": upload()})
        assert response.status_code == 201
    bad = client.post(
        f"{API}{pk}/attachments/", {"document_kind": "evidence", "file": upload(b"", "a.pdf")}
    )
    assert bad.status_code == 400
    assert len(client.get(f"{API}{pk}/attachments/").json()) == 2

    response = client.post(
        f"{API}{pk}/transition/", {"move": "submit"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert response.json()["version"] > new_version


def test_return_with_comments_and_read_them(world, complete_bk, client):
    from awards.nominations import services

    services.transition(world.officer, complete_bk, "submit")
    client.force_login(world.office)
    response = client.post(
        f"{API}{complete_bk.pk}/transition/",
        {"move": "return", "comments": [{"section": "background", "text": "Thiếu năm sinh"}]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "returned"
    client.force_login(world.officer)
    comments = client.get(f"{API}{complete_bk.pk}/comments/").json()
    assert comments[0]["section"] == "background" and comments[0]["text"] == "Thiếu năm sinh"
    bad = client.post(
        f"{API}{complete_bk.pk}/transition/", {"move": "accept"}, content_type="application/json"
    )
    assert bad.status_code == 403


def test_refused_move_is_400_with_the_reason(world, complete_bk, client):
    client.force_login(world.office)
    response = client.post(
        f"{API}{complete_bk.pk}/transition/", {"move": "accept"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Dự thảo" in str(response.json()) or "draft" in str(response.json()).lower()


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_is_fixed(world, client, count, django_assert_max_num_queries):
    make_many(world, count)
    client.force_login(world.office)
    client.get(API)
    with django_assert_max_num_queries(8):
        response = client.get(API, {"page_size": 100})
    assert response.json()["count"] == count
    assert len(response.json()["results"]) == count


def test_list_filters(world, client):
    rows = make_many(world, 3)
    Nomination.objects.filter(pk=rows[0].pk).update(eligible=False)
    client.force_login(world.office)
    assert client.get(API, {"eligible": "no"}).json()["count"] == 1
    assert client.get(API, {"state": "submitted", "award": "BK_BO"}).json()["count"] == 3
    assert client.get(API, {"unit": world.other.pk}).json()["count"] == 0
