"""Vietnamese whatever the browser says; English only by the user's choice."""

import pytest
from django.urls import reverse

from emulation_portal.models import Role

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_vietnamese(client):
    r = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert r.status_code == 200 and '<html lang="vi">' in r.content.decode()
    assert "Đăng nhập" in r.content.decode()


def test_english_by_choice(client, make_user):
    client.force_login(make_user(Role.VIEWER))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en">' in r.content.decode()


def test_unknown_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "fr"
    assert '<html lang="vi">' in client.get(reverse("login")).content.decode()


def test_api_keeps_accept_language(client, make_user):
    client.force_login(make_user(Role.VIEWER))
    r = client.get("/api/v1/jobs/987654/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404 and r["Content-Language"] == "en"


def test_audit_actions_and_job_kinds_in_words(client, make_user):
    from django.utils import translation

    from emulation_portal.audit_labels import action_label
    from emulation_portal.jobs import kind_label

    with translation.override("vi"):
        assert str(action_label("unit.create")) == "Đơn vị: tạo mới"
        assert str(action_label("nomination.start_review")) == "Hồ sơ đề nghị: bắt đầu thẩm định"
        assert str(action_label("mystery.thing")) == "mystery: thing"  # never hidden
        assert str(kind_label("audit_pdf")) == "Trích xuất nhật ký nghiệp vụ (PDF)"
        assert str(kind_label("eligibility_xlsx")) == "Danh sách đủ điều kiện (XLSX)"
    office = make_user(Role.OFFICE)
    from emulation_portal import audit

    audit.record(office, "unit.create", office)
    client.force_login(office)
    html = client.get(reverse("audit-log")).content.decode()
    assert "Đơn vị: tạo mới" in html and "<code>unit.create</code>" not in html
