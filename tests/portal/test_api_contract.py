"""The API's contract at its edges: routes that do nothing are not routed, every action has an
explicit rule, numeric parameters are bounded, the schema is for logged-in callers, throttles
are on, a bad token is a 401, lists are paginated exactly where the schema says so, and the
site's error pages are Vietnamese (JSON under /api/)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle

from emulation_portal.models import Role
from emulation_portal.permissions import RulesPermission
from emulation_portal.urls import router
from tests.factories import UserFactory
from units.models import Person, Unit, UnitOfficer, UnitRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    bo = Unit.objects.create(code="BO", name="Bộ", kind="BO")
    vp = Unit.objects.create(code="VP", name="Văn phòng Bộ", kind="VAN_PHONG", parent=bo)
    person = Person.objects.create(code="P001", full_name="Trần Thị Hoa", gender="F", unit=vp)
    rating = UnitRating.objects.create(unit=vp, year=2025, rating="HTXSNV")
    officer = UserFactory(role=Role.UNIT_OFFICER, username="cb_vp")
    UnitOfficer.objects.create(user=officer, unit=vp)
    return {"unit": vp, "person": person, "rating": rating, "officer": officer}


# -- routes that do nothing are not routed -----------------------------------------------------
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/api/v1/people/P001/"),
        ("delete", "/api/v1/units/VP/"),
        ("put", "/api/v1/unit-ratings/{rating}/"),
        ("delete", "/api/v1/unit-ratings/{rating}/"),
        ("patch", "/api/v1/unit-ratings/{rating}/"),
    ],
)
@pytest.mark.parametrize("who", ["office", "officer", "viewer"])
def test_writes_the_viewsets_do_not_have_answer_405(client, registry, make_user, method, url, who):
    user = registry["officer"] if who == "officer" else make_user(getattr(Role, who.upper()))
    client.force_login(user)
    response = getattr(client, method)(
        url.format(rating=registry["rating"].pk), data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert Person.objects.filter(code="P001").exists() and Unit.objects.filter(code="VP").exists()


def test_schema_documents_only_routed_methods(office_client):
    paths = office_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert set(paths["/api/v1/people/{code}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/units/{code}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/unit-ratings/{id}/"]) == {"get"}
    assert "delete" not in paths["/api/v1/ratings/{id}/"]


def test_every_routed_action_names_its_rule():
    """A missing rule is a deny for everyone, so a routed action without one is a bug."""
    missing = []
    for prefix, viewset, _basename in router.registry:
        if RulesPermission not in viewset.permission_classes:
            missing.append(f"{prefix}: not guarded by RulesPermission")
            continue
        for route in router.get_routes(viewset):
            for action in route.mapping.values():
                if hasattr(viewset, action) and action not in viewset.rules:
                    missing.append(f"{prefix}: {action}")
    assert not missing


def test_an_action_without_a_rule_is_denied(rf, office_user):
    class View:
        rules = {"list": "units.browse"}
        action = "destroy"

    request = rf.delete("/x/")
    request.user = office_user
    assert RulesPermission().has_permission(request, View()) is False
    View.action = "list"
    assert RulesPermission().has_permission(request, View()) is True


# -- numeric parameters are bounded ------------------------------------------------------------
@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999", "-5", "２０２５"])
def test_eligibility_year_out_of_range_is_a_400_with_a_message(office_client, year):
    response = office_client.get(f"/api/v1/eligibility/?year={year}")
    assert response.status_code == 400
    assert "1900" in response.json()["year"][0] and "2100" in response.json()["year"][0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/?year=0",
        "/api/v1/ratings/?year=99999999999999999999",
        "/api/v1/unit-ratings/?year=10000",
        "/api/v1/blocs/?year=abc",
        "/api/v1/award-records/?year=0",
        "/api/v1/eligibility/?year=2025&page=0",
    ],
)
def test_every_numeric_parameter_is_bounded(office_client, registry, url):
    assert office_client.get(url).status_code == 400


def test_eligibility_in_range_still_answers(office_client, registry):
    response = office_client.get("/api/v1/eligibility/?year=2025&subject=person")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


# -- schema, docs, authentication, throttling --------------------------------------------------
def test_schema_and_docs_need_login(client, office_user):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    token = Token.objects.create(user=office_user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/schema/", **auth).status_code == 200
    assert client.get("/api/docs/", **auth).status_code == 200


def test_invalid_token_is_a_401_with_www_authenticate(client):
    response = client.get("/api/v1/jobs/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    anonymous = client.get("/api/v1/jobs/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"


def test_session_still_authenticates_after_the_token_class(office_client):
    assert office_client.get("/api/v1/jobs/").status_code == 200


def test_throttles_are_enabled(client, office_user, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    client.force_login(office_user)
    codes = [client.get("/api/v1/jobs/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


# -- pagination as documented ------------------------------------------------------------------
def test_lists_are_paginated_exactly_where_the_schema_says(office_client, registry):
    schema = office_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    checked = 0
    for path, ops in schema["paths"].items():
        get = ops.get("get")
        if not get or "{" in path:
            continue
        ok = get["responses"].get("200", {}).get("content", {}).get("application/json")
        if not ok:
            continue
        ref = ok["schema"].get("$ref", "")
        documented = ref and "results" in components[ref.rsplit("/", 1)[1]].get("properties", {})
        query = "?year=2025" if "eligibility" in path else ""
        body = office_client.get(path + query).json()
        answered = isinstance(body, dict) and "results" in body
        assert bool(documented) == answered, path
        checked += 1
    assert checked >= 20


# -- error pages ---------------------------------------------------------------------------------
def test_404_page_is_vietnamese_in_the_layout(client, office_user):
    client.force_login(office_user)
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and 'class="topbar"' in html


def test_api_404_stays_json(client, office_user):
    client.force_login(office_user)
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Không tìm thấy."}


def test_403_page_is_vietnamese(client, make_user):
    client.force_login(make_user(Role.VIEWER))
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_500_page_renders_without_request_or_database(django_assert_num_queries):
    from django.utils import translation

    with django_assert_num_queries(0), translation.override("vi"):
        html = get_template("500.html").template.render(Context())
    assert "Lỗi máy chủ" in html and 'class="topbar"' in html


def test_500_handler_answers_the_vietnamese_page(client, settings):
    from emulation_portal import errors

    request = client.get("/").wsgi_request
    response = errors.server_error(request)
    assert response.status_code == 500 and "Lỗi máy chủ".encode() in response.content
    request.path = "/api/v1/units/"
    assert errors.server_error(request)["Content-Type"] == "application/json"


def test_default_run_shows_no_debug_page():
    """DJANGO_DEBUG's default (the embedded mode) keeps Django's technical pages off."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; import django; "
         "django.setup(); print(s.DEBUG, s.WHITENOISE_USE_FINDERS, s.SESSION_COOKIE_SECURE)"],
        env={**env, "DJANGO_SETTINGS_MODULE": "emulation_portal.settings"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.split() == ["False", "True", "False"]


def test_template_syntax_of_error_pages():
    for name in ("403.html", "404.html", "500.html"):
        assert get_template(name)
    assert Template("{% extends '500.html' %}").render(Context())


# -- a stray vote no longer makes the meeting result a 500 ---------------------------------------
def test_meeting_result_with_a_vote_for_a_removed_member_is_refused(make_user):
    from django.core.exceptions import ValidationError

    from campaigns import services
    from campaigns.models import AcclamationVote, BlocMeeting
    from units.models import Bloc, BlocMembership

    bo = Unit.objects.create(code="BO", name="Bộ", kind="BO")
    a = Unit.objects.create(code="A", name="A", kind="VU", parent=bo)
    b = Unit.objects.create(code="B", name="B", kind="VU", parent=bo)
    bloc = Bloc.objects.create(code="K", name="Khối", kind="KHOI")
    BlocMembership.objects.create(bloc=bloc, year=2026, unit=a, role="leader", bloc_kind="KHOI")
    meeting = BlocMeeting.objects.create(
        bloc=bloc, year=2026, kind="year_end", held_on=dt.date(2026, 12, 1), place="HN", host=a
    )
    AcclamationVote.objects.create(meeting=meeting, voting_unit=a, award_code="BK_BO", candidate=b)
    with pytest.raises(ValidationError, match="B"):
        services.record_meeting_result(make_user(Role.ADMIN), meeting)


def test_a_detail_actions_list_is_documented_whole_as_it_is_answered(office_client):
    """A nomination's comments and files come whole (no pages), and the schema says so."""
    paths = office_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/v1/nominations/{id}/comments/", "/api/v1/nominations/{id}/attachments/"):
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["type"] == "array", path
        names = {p["name"] for p in paths[path]["get"].get("parameters", [])}
        assert not names & {"page", "page_size"}, path


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_campaign_year_out_of_range_is_a_400(office_client, method):
    """Found by the fuzzing: the year went to the database's check constraint (500)."""
    from campaigns.models import Campaign

    campaign = Campaign.objects.create(
        year=2026, kind="annual", name="Phong trào", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )  # fmt: skip
    body = {"year": 300, "kind": "thematic", "name": "m", "starts_on": "1900-01-01",
            "ends_on": "1900-01-01"}  # fmt: skip
    url = "/api/v1/campaigns/" + (f"{campaign.pk}/" if method == "put" else "")
    response = getattr(office_client, method)(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "300" in response.json()["year"][0]


def test_a_viewset_list_answering_one_object_is_documented_as_one(office_client):
    """Eligibility (a page object) and the yearly figures (one object) were documented as
    arrays, because drf-spectacular makes every ``list`` action an array."""
    paths = office_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/v1/eligibility/", "/api/v1/figures/"):
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok and ok.get("type") != "array", path
