"""The queue page's rows and drop-downs are worked out once per request: the same page as
before (links, state and eligibility badges, selected filters), without per-row URL
reversing."""

from unittest import mock

from django.urls import reverse
from django.urls.resolvers import URLResolver

from awards.models import Nomination
from tests.nominations import factories as f
from tests.nominations.test_pages import make_many
from units.models import Person


def _reverses(client, url) -> tuple[int, str]:
    real = URLResolver._reverse_with_prefix
    with mock.patch.object(
        URLResolver, "_reverse_with_prefix", autospec=True, side_effect=real
    ) as spy:
        response = client.get(url)
    assert response.status_code == 200
    return spy.call_count, response.content.decode()


def _more(world, count, prefix):
    people = Person.objects.bulk_create(
        [
            Person(
                code=f"{prefix}{i:05d}", full_name=f"Người {prefix} {i}", gender="M", unit=world.sub
            )
            for i in range(count)
        ]
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                person=p,
                award_type=f.award_type("BK_BO"),
                year=f.YEAR,
                proposing_unit=world.vp,
                level="ministry",
                state="submitted",
            )
            for p in people
        ]
    )


def test_url_reversing_does_not_grow_with_rows(world, client):
    make_many(world, 2)
    client.force_login(world.office)
    url = reverse("nominations:queue")
    client.get(url)
    few, _ = _reverses(client, url)
    _more(world, 30, "R")
    many, html = _reverses(client, url)
    assert html.count('data-id="') == 32
    assert many == few


def test_rows_show_link_state_and_eligibility(world, client):
    rows = make_many(world, 3)
    Nomination.objects.filter(pk=rows[1].pk).update(eligible=False, state="returned")
    Nomination.objects.filter(pk=rows[2].pk).update(
        eligible=None, state="accepted", override_reason='Ngoại lệ "đặc biệt" <b>'
    )
    client.force_login(world.office)
    html = client.get(reverse("nominations:queue")).content.decode()
    for n in rows:
        assert f'<a href="{reverse("nominations:detail", args=[n.pk])}">' in html
    assert '<span class="badge warn" data-state="submitted">Đã gửi</span>' in html
    assert '<span class="badge no" data-state="returned">' in html
    assert '<span class="badge ok" data-state="accepted">' in html
    assert '<span class="badge ok">Đủ điều kiện</span>' in html
    assert '<span class="badge no">Chưa đủ điều kiện</span>' in html
    # the override's reason is escaped in its title
    assert 'title="Ngoại lệ &quot;đặc biệt&quot; &lt;b&gt;"' in html


def test_filter_drop_downs_keep_the_choice(world, client):
    make_many(world, 1)
    client.force_login(world.office)
    award = f.award_type("BK_BO")
    html = client.get(
        reverse("nominations:queue"),
        {"unit": world.vp.pk, "state": "returned", "award": award.code},
    ).content.decode()
    assert f'<option value="{world.vp.pk}" selected>' in html
    assert '<option value="returned" selected>' in html
    assert f'<option value="{award.code}" selected>{award.code}</option>' in html
    assert f'<option value="{world.sub.pk}">' in html
