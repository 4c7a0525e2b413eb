import re

import pytest
from django.urls import reverse

from emulation_portal.models import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Cổng Thi đua - Khen thưởng" in html


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html and "Log in" in html


def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_csp_allows_only_the_site(client):
    header = client.get(reverse("login"))["Content-Security-Policy"]
    assert "default-src 'self'" in header
    assert "script-src 'self'" in header
    assert "http" not in header and "*" not in header


def test_pages_reference_no_outside_resources(office_client):
    html = office_client.get(reverse("home")).content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url
    assert "<script>" not in html  # no inline scripts


def test_login_and_logout(client, office_user):
    response = client.post(reverse("login"), {"username": "office", "password": "pw-Secret-123"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failed_logins_lock_the_account(client, office_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "office", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "office", "password": "pw-Secret-123"})
    assert response.status_code == 429
    assert "Tài khoản bị khóa" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not logged in


def test_password_change(client, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-Secret-123",
            "new_password1": "Khen-Thuong-2026!",
            "new_password2": "Khen-Thuong-2026!",
        },
    )
    assert response.status_code == 302
    office_user.refresh_from_db()
    assert office_user.check_password("Khen-Thuong-2026!")


@pytest.mark.parametrize(
    "role,sees_audit",
    [
        (Role.OFFICE, True),
        (Role.ADMIN, True),
        (Role.VIEWER, False),
        (Role.UNIT_OFFICER, False),
        (Role.COUNCIL, False),
    ],
)
def test_navigation_by_role(client, make_user, role, sees_audit):
    client.force_login(make_user(role))
    html = client.get(reverse("home")).content.decode()
    assert ('data-nav="audit"' in html) is sees_audit
    assert client.get(reverse("audit-log")).status_code == (200 if sees_audit else 403)


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_503_when_the_database_is_down(client, monkeypatch):
    from emulation_portal import views

    def broken():
        raise ConnectionError("db down")

    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("down")


def test_healthz_503_when_the_configured_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
