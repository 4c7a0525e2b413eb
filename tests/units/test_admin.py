"""Django admin saves through the services; what they refuse comes back as a message on
the form, never as a server error, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from emulation_portal.models import AuditEvent
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db


def _form_data(client, url):
    form = client.get(url).context["adminform"].form
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.initial.items() if v is not None}


def test_moving_a_unit_under_its_own_sub_unit_is_a_form_error(client, admin_account, tree):
    client.force_login(admin_account)
    vp, p1 = tree["vp"], tree["p1"]
    url = f"/admin/units/unit/{vp.pk}/change/"
    data = _form_data(client, url) | {"parent": p1.pk}
    events = AuditEvent.objects.count()
    r = client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 200
    errors = r.context["adminform"].form.errors["parent"]
    assert "không được có vòng lặp" in errors[0]
    vp.refresh_from_db()
    assert vp.parent_id == tree["bo"].pk
    assert AuditEvent.objects.count() == events


def test_a_legal_move_still_saves_through_the_service(client, admin_account, tree):
    client.force_login(admin_account)
    p1 = tree["p1"]
    url = f"/admin/units/unit/{p1.pk}/change/"
    data = _form_data(client, url) | {"parent": tree["tccb"].pk}
    r = client.post(url, data)
    assert r.status_code == 302
    p1.refresh_from_db()
    assert p1.parent_id == tree["tccb"].pk and p1.path.startswith(tree["tccb"].path)
    assert AuditEvent.objects.filter(action="unit.update").exists()


def test_a_refusal_only_the_service_knows_is_a_message_not_a_500(
    client, admin_account, tree, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ValidationError("Đơn vị đang được khóa để đối soát.")

    monkeypatch.setattr(services, "update_unit", refuse)
    client.force_login(admin_account)
    vp = tree["vp"]
    url = f"/admin/units/unit/{vp.pk}/change/"
    data = _form_data(client, url) | {"name": "Tên mới"}
    r = client.post(url, data, follow=True)
    assert r.status_code == 200
    assert "Đơn vị đang được khóa để đối soát." in r.content.decode()
    assert Unit.objects.get(pk=vp.pk).name == "Văn phòng Bộ"
