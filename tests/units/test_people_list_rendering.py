"""The people list works out its links and labels once per page: the same cells as before,
and no URL reversing per row."""

from unittest import mock

from django.urls import reverse
from django.urls.resolvers import URLResolver

from tests.units.factories import make_person


def _get(client, url):
    real = URLResolver._reverse_with_prefix
    with mock.patch.object(
        URLResolver, "_reverse_with_prefix", autospec=True, side_effect=real
    ) as spy:
        response = client.get(url)
    assert response.status_code == 200
    return spy.call_count, response.content.decode()


def test_links_and_gender_labels(client, viewer_user, tree):
    odd = make_person(tree["p1"], "HANH1", "Lê Thị Hạnh", gender="F")
    client.force_login(viewer_user)
    _, html = _get(client, "/people/")
    for person in tree["people"].values():
        assert f'<a href="{reverse("units:person-detail", args=[person.code])}">' in html
    assert f'<a href="{reverse("units:unit-detail", args=["P1"])}">' in html
    assert f'<a href="/people/HANH1/">{odd.full_name}</a>' in html
    assert "<td>Nữ</td>" in html


def test_url_reversing_does_not_grow_with_rows(client, viewer_user, tree):
    client.force_login(viewer_user)
    client.get("/people/")
    few, _ = _get(client, "/people/")
    for _ in range(20):
        make_person(tree["vp"])
    many, html = _get(client, "/people/")
    assert html.count("<tr><td>") == 23
    assert many == few
