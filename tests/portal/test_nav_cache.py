"""The navigation asks each permission of the backends once per request."""

from django.test import RequestFactory

from emulation_portal import nav
from emulation_portal.models import Role


def _counting(user, monkeypatch):
    calls = []
    original = type(user).has_perm

    def has_perm(self, perm, obj=None):
        calls.append(perm)
        return original(self, perm, obj)

    monkeypatch.setattr(type(user), "has_perm", has_perm)
    return calls


def test_navigation_built_once_per_request(make_user, monkeypatch):
    user = make_user(Role.OFFICE)
    request = RequestFactory().get("/")
    request.user = user
    calls = _counting(user, monkeypatch)

    first = nav.navigation(request)["nav_items"]
    asked = len(calls)
    second = nav.navigation(request)["nav_items"]  # a second template in the same request

    assert asked > 0 and first == second
    assert len(calls) == asked
    assert len(set(calls)) == len(calls)  # one question per distinct permission


def test_request_has_perm_caches_per_request(make_user, monkeypatch):
    user = make_user(Role.VIEWER)
    calls = _counting(user, monkeypatch)
    request = RequestFactory().get("/")
    request.user = user
    assert nav.request_has_perm(request, "portal.view_audit") is False
    assert nav.request_has_perm(request, "portal.view_audit") is False
    assert calls == ["portal.view_audit"]
    other = RequestFactory().get("/")
    other.user = user
    nav.request_has_perm(other, "portal.view_audit")
    assert len(calls) == 2  # a new request asks again: a role change shows at once
