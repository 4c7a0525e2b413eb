"""A substitute authorised for one session reads that session as a member would: its page,
its results once closed, the councils' page listing it, and the home page's count of
sessions waiting for their vote. Another session of the same council stays closed to them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.council import selectors, services
from emulation_portal.models import Role
from tests.council.conftest import accepted
from tests.factories import UserFactory
from tests.nominations import factories as nf

pytestmark = pytest.mark.django_db


def _pdf():
    return SimpleUploadedFile("uy-quyen.pdf", nf.PDF, content_type="application/pdf")


@pytest.fixture
def standing_in(world, make_session):
    """Session ``s`` (open) where ``sub`` (a unit officer, not on the council) stands in for
    member 15, and ``other``, a second session of the same council where they do not."""
    s = make_session(
        [accepted(person=world.people[0], proposing_unit=world.vp)], present=14, open_it=False
    )
    other = make_session(
        [accepted(person=world.people[1], proposing_unit=world.vp)], present=15, open_it=True
    )
    sub = UserFactory(role=Role.UNIT_OFFICER, username="nguoithay")
    principal = world.members[14]
    services.authorise_substitute(world.office, s, principal, substitute=sub, authorisation=_pdf())
    s = services.transition(world.office, s, "open")
    return s, other, sub, principal


def test_substitute_opens_the_session_page_and_not_another(world, standing_in, client):
    s, other, sub, principal = standing_in
    client.force_login(sub)
    page = client.get(reverse("council:session", args=[s.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chiến sĩ thi đua" in body  # the agenda, as a member reads it
    assert reverse("council:ballot", args=[s.pk]) in body  # the way to their ballot
    assert 'data-move="' not in body  # no step of the chair's or the office's
    assert client.get(reverse("council:session", args=[other.pk])).status_code == 404
    assert client.get(reverse("council:progress", args=[s.pk])).status_code == 403


def test_councils_page_lists_the_substitutes_session(world, standing_in, client):
    s, other, sub, principal = standing_in
    client.force_login(sub)
    page = client.get(reverse("council:index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("council:session", args=[s.pk]) in body
    assert reverse("council:session", args=[other.pk]) not in body
    pending = client.get(reverse("council:index") + "?vote=pending").content.decode()
    assert reverse("council:session", args=[s.pk]) in pending


def test_home_counts_the_substitutes_vote_until_it_is_cast(world, standing_in, client):
    s, other, sub, principal = standing_in
    assert list(selectors.to_vote(sub)) == [s]
    client.force_login(sub)
    home = client.get("/").content.decode()
    assert 'data-task="council.vote"' in home
    services.cast(sub, s, {i.pk: "approve" for i in s.items.all()})
    assert list(selectors.to_vote(sub)) == []
    # the principal no longer has a vote to cast there either (their substitute cast it)
    assert s not in selectors.to_vote(principal.user)


def test_substitute_reads_results_once_closed(world, standing_in, client):
    s, other, sub, principal = standing_in
    client.force_login(sub)
    assert client.get(reverse("council:results", args=[s.pk])).status_code == 403
    services.cast(sub, s, {i.pk: "approve" for i in s.items.all()})
    services.transition(world.office, s, "close")
    page = client.get(reverse("council:results", args=[s.pk]))
    assert page.status_code == 200


def test_a_user_who_stands_in_nowhere_sees_no_council(world, standing_in, client):
    stranger = UserFactory(role=Role.UNIT_OFFICER, username="nguoingoai")
    client.force_login(stranger)
    assert client.get(reverse("council:index")).status_code == 403
    s = standing_in[0]
    assert client.get(reverse("council:session", args=[s.pk])).status_code == 404
