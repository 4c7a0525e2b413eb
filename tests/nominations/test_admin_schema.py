"""Django admin goes through the services; the API schema documents the endpoints; pages
for letters, disclosures and files refuse outsiders."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards.models import Nomination
from awards.nominations import services
from emulation_portal.models import AuditEvent, Role
from tests.nominations import factories as f
from tests.nominations.conftest import upload


def test_admin_accept_action_uses_the_transition(world, complete_bk, client):
    n = services.transition(world.officer, complete_bk, "submit")
    client.force_login(world.office)
    assert client.get(reverse("admin:awards_nomination_changelist")).status_code == 200
    assert client.get(reverse("admin:awards_nomination_change", args=[n.pk])).status_code == 200
    client.post(
        reverse("admin:awards_nomination_changelist"),
        {"action": "accept", "_selected_action": [n.pk]},
    )
    n.refresh_from_db()
    assert n.state == "accepted"
    assert AuditEvent.objects.filter(action="nomination.accept", actor=world.office).exists()


def test_admin_refuses_the_officer(world, complete_bk, client):
    client.force_login(world.officer)
    response = client.get(reverse("admin:awards_nomination_changelist"))
    assert response.status_code in (302, 403)


def test_api_schema_lists_the_nominations_endpoints(office_client):
    response = office_client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/nominations/{id}/transition/" in body
    assert "/api/v1/nominations/{id}/attachments/" in body


def test_a_stale_page_cannot_move_the_nomination(world, complete_bk):
    stale = complete_bk.version
    services.update_dossier(world.officer, complete_bk, version=stale, background="Mới")
    with pytest.raises(ValidationError) as refused:
        services.transition(world.officer, complete_bk, "submit", version=stale)
    assert refused.value.code == "stale"
    assert Nomination.objects.get(pk=complete_bk.pk).state == "draft"


def test_letter_pages_and_files_refuse_outsiders(world, client, make_user):
    from awards.models import Batch

    batch = Batch.objects.create(
        proposing_unit=world.vp, year=f.YEAR, title="Tờ trình thử", created_by=world.officer
    )
    att = services.add_batch_attachment(world.officer, batch, upload(), kind="minutes")
    url = reverse("nominations:batch", args=[batch.pk])
    file_url = reverse("nominations:download", args=[att.pk])
    for outsider in (world.other_officer, make_user(Role.VIEWER), make_user(Role.COUNCIL)):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "submit"}).status_code == 403
        assert client.get(file_url).status_code == 404
    client.force_login(world.officer)
    assert client.get(url).status_code == 200
    assert client.get(file_url).status_code == 200


def test_disclosure_pages(world, complete_bk, client, make_user):
    n = services.transition(world.officer, complete_bk, "submit")
    today = timezone.localdate()
    viewer = make_user(Role.VIEWER, username="v9")
    client.force_login(viewer)
    response = client.post(
        reverse("nominations:disclosure-list"),
        {"title": "x", "year": f.YEAR, "starts_on": today, "ends_on": today},
    )
    assert response.status_code == 403
    client.force_login(world.office)
    response = client.post(
        reverse("nominations:disclosure-list"),
        {
            "title": "Công khai năm 2025",
            "year": f.YEAR,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    client.force_login(viewer)
    page = client.get(response["Location"]).content.decode()
    assert "Trần Thị Hoa" in page and "Gửi ý kiến phản ánh" in page
    client.post(reverse("nominations:object", args=[n.pk]), {"text": "Chưa đủ minh chứng"})
    assert n.objections.get().author == viewer
    # the nominee is now readable by staff, but not editable
    assert client.get(reverse("nominations:detail", args=[n.pk])).status_code == 200
    assert client.get(reverse("nominations:edit", args=[n.pk])).status_code == 403
