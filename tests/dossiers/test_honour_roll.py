"""The public honour roll: no login, only awards of published decisions, no private
fields, accent-free search, pagination with a fixed number of queries; each person's page
links the award to its decision."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.dossiers.conftest import decided
from tests.nominations import factories as f


@pytest.fixture
def published(world):
    world.people[0].birth_date = dt.date(1980, 3, 7)
    world.people[0].save()
    return decided(world, world.people[:2])


def test_anonymous_sees_published_awards_only(client, world, published):
    hidden = f.person(world.vp, "H001", "Võ Thị Kín Đáo")
    decided(world, [hidden], publish=False, day=dt.date(2026, 2, 6))
    response = client.get(reverse("dossiers:honour-roll"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trần Thị Hoa" in html and "Nguyễn Văn Đức" in html
    assert "Văn phòng Bộ" in html and "Bằng khen của Bộ trưởng" in html
    assert "05/QĐ-BNNMT" in html and "05/02/2026" in html
    assert "Võ Thị Kín Đáo" not in html  # signed, not published
    assert "07/03/1980" not in html and "1980" not in html  # no birth date
    assert world.people[0].code not in html  # no registry code


def test_accent_free_search(client, world, published):
    html = client.get(reverse("dossiers:honour-roll"), {"q": "tran thi hoa"}).content.decode()
    assert "Trần Thị Hoa" in html and "Nguyễn Văn Đức" not in html
    html = client.get(reverse("dossiers:honour-roll"), {"q": "ĐỨC"}).content.decode()
    assert "Nguyễn Văn Đức" in html and "Trần Thị Hoa" not in html


def test_bad_parameters_are_harmless(client, world, published):
    for params in ({"year": "abc"}, {"year": "1900"}, {"page": "999"}, {"q": "x" * 500}):
        assert client.get(reverse("dossiers:honour-roll"), params).status_code == 200


def test_public_decision_page(client, world, published):
    html = client.get(reverse("dossiers:decision", args=[published.pk])).content.decode()
    assert "05/QĐ-BNNMT" in html and "Trần Thị Hoa" in html and "1980" not in html
    draft_like = decided(world, [world.people[2]], publish=False, day=dt.date(2026, 2, 6))
    assert client.get(reverse("dossiers:decision", args=[draft_like.pk])).status_code == 404


def test_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    people = [f.person(world.vp, f"Q{i:03d}", f"Đặng Văn {i}") for i in range(30)]
    decided(world, people)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("dossiers:honour-roll")).status_code == 200
