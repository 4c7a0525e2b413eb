"""Failed logins lock a username from one client address only, and the lockout page says
how long in words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from emulation_portal.templatetags.portal_format import duration

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.7"
OFFICE_LAN = "10.20.0.15"


def _login(client, password, **meta):
    return client.post(reverse("login"), {"username": "office", "password": password}, **meta)


def _fail(client, times, **meta):
    for _ in range(times):
        _login(client, "wrong", **meta)


def test_a_stranger_cannot_lock_the_office_out(client, office_user):
    _fail(client, 5, REMOTE_ADDR=STRANGER)
    assert _login(client, "pw-Secret-123", REMOTE_ADDR=STRANGER).status_code == 429
    # From the office's own address the account still opens.
    response = _login(client, "pw-Secret-123", REMOTE_ADDR=OFFICE_LAN)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_lock_holds_for_that_address_whatever_the_password(client, office_user):
    _fail(client, 5, REMOTE_ADDR=STRANGER)
    for password in ("wrong", "pw-Secret-123"):
        assert _login(client, password, REMOTE_ADDR=STRANGER).status_code == 429
    assert client.get(reverse("home")).status_code == 302  # never logged in


def test_the_lockout_page_says_the_cool_off_in_vietnamese_words(client, office_user):
    _fail(client, 5, REMOTE_ADDR=STRANGER)
    html = _login(client, "wrong", REMOTE_ADDR=STRANGER).content.decode()
    assert "Tài khoản bị khóa" in html
    assert "Vui lòng thử lại sau 15 phút" in html
    assert "từ địa chỉ của bạn" in html
    assert "PT15M" not in html


def test_without_a_declared_proxy_a_client_cannot_choose_its_address(client, office_user):
    # A forged header must not give an attacker a fresh address per try.
    for i in range(5):
        _login(client, "wrong", REMOTE_ADDR=STRANGER, HTTP_X_REAL_IP=f"198.51.100.{i}")
    assert _login(client, "pw-Secret-123", REMOTE_ADDR=STRANGER).status_code == 429


def test_behind_a_declared_proxy_the_header_it_sets_is_the_address(client, office_user, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    _fail(client, 5, HTTP_X_REAL_IP=STRANGER, **proxy)
    assert _login(client, "pw-Secret-123", HTTP_X_REAL_IP=STRANGER, **proxy).status_code == 429
    # Everyone arrives from the proxy's address; only the stranger is locked.
    assert _login(client, "pw-Secret-123", HTTP_X_REAL_IP=OFFICE_LAN, **proxy).status_code == 302


@pytest.mark.parametrize(
    "delta,vi,en",
    [
        (timedelta(minutes=15), "15 phút", "15 minutes"),
        (timedelta(minutes=1), "1 phút", "1 minute"),
        (timedelta(seconds=30), "1 phút", "1 minute"),
        (timedelta(minutes=90), "1 giờ 30 phút", "1 hour 30 minutes"),
        (timedelta(hours=2), "2 giờ", "2 hours"),
        (timedelta(days=1, minutes=5), "1 ngày 5 phút", "1 day 5 minutes"),
    ],
)
def test_duration_in_words(delta, vi, en):
    with translation.override("vi"):
        assert duration(delta) == vi
    with translation.override("en"):
        assert duration(delta) == en
