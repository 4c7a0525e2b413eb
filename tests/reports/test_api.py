"""The figures endpoint (the same JSON as the command, in the OpenAPI schema), the forms'
cells, permissions (office for the ministry, unit officers for their own units), bad input
as 400/404, and queries constant at 1 and N units and people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation_portal.models import Role
from tests.awards.factories import PersonFactory, UnitFactory, award, rate
from tests.reports.test_figures import MINISTRY_2025
from units.models import UnitOfficer


@pytest.fixture
def officer(world, make_user):
    user = make_user(Role.UNIT_OFFICER)
    UnitOfficer.objects.create(user=user, unit=world["vp"])
    return user


def test_figures_endpoint_is_the_commands_json(world, client, office_user):
    client.force_login(office_user)
    response = client.get("/api/v1/figures/", {"year": 2025})
    assert response.status_code == 200
    assert response.json() == MINISTRY_2025
    assert list(response.json()) == list(MINISTRY_2025)


def test_unit_officer_reads_own_units_only(world, client, officer):
    client.force_login(officer)
    assert client.get("/api/v1/figures/", {"year": 2025, "unit": "VP_HC"}).json()["unit"] == (
        "VP_HC"
    )
    assert client.get("/api/v1/figures/", {"year": 2025}).status_code == 403
    assert client.get("/api/v1/figures/", {"year": 2025, "unit": "VU"}).status_code == 404
    assert client.get("/api/v1/report-forms/0603/", {"year": 2025, "unit": "VU"}).status_code == 404


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COUNCIL])
def test_other_roles_are_refused(world, client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/api/v1/figures/", {"year": 2025}).status_code == 403


@pytest.mark.parametrize(
    "params, status",
    [
        ({}, 400),
        ({"year": "abc"}, 400),
        ({"year": 1901}, 400),
        ({"year": 2025, "unit": "NOPE"}, 404),
        ({"year": 2019}, 200),
    ],
)
def test_bad_input(world, client, office_user, params, status):
    client.force_login(office_user)
    assert client.get("/api/v1/figures/", params).status_code == status


def test_form_cells(world, client, office_user):
    client.force_login(office_user)
    forms = client.get("/api/v1/report-forms/", {"year": 2025}).json()
    assert [f["code"] for f in forms] == ["0601", "0602", "0603", "0604", "0605"]
    data = client.get("/api/v1/report-forms/0603/", {"year": 2025}).json()
    assert data["form"]["circular"] == "TT 02/2023/TT-BNV"
    cells = {(c["row_label"], c["column"]): c for c in data["cells"]}
    total = cells[("Tổng số", "total")]
    assert (total["ref"], total["value"]) == ("C6", 3)
    assert cells[("Bằng khen của Bộ trưởng", "level_TRUC_TIEP")]["value"] == 1
    office = client.get("/api/v1/report-forms/0605/", {"year": 2025}).json()
    assert {c["value"] for c in office["cells"]} == {None}
    assert client.get("/api/v1/report-forms/9999/", {"year": 2025}).status_code == 404
    assert client.get("/api/v1/report-forms/0603/", {"year": 2020}).status_code == 404


def test_schema_names_the_endpoints(world, client, office_user):
    client.force_login(office_user)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/figures/" in schema["paths"]
    assert "/api/v1/report-forms/{code}/" in schema["paths"]
    assert "YearFigures" in schema["components"]["schemas"]


def _grow(n):
    bo = UnitFactory(code="BO", kind="BO")
    for i in range(n):
        u = UnitFactory(code=f"Q{i}", parent=bo)
        for j in range(n):
            p = PersonFactory(code=f"Q{i}P{j}", unit=u)
            rate(p, {2025: "HTTNV"})
            award(p, "LDTT", 2025)
            award(p, "BK_BO", 2025)
        award(u, "TTLDTT", 2025)


@pytest.mark.django_db
def test_queries_constant_at_1_and_n(client, office_user):
    client.force_login(office_user)
    counts = []
    for n in (1, 5):
        _grow(n) if n == 1 else [_extend(i) for i in range(1, n)]
        for url in ("/api/v1/figures/", "/api/v1/report-forms/0603/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {"year": 2025}).status_code == 200
            counts.append((url, len(ctx.captured_queries)))
    assert counts[0][1] == counts[2][1] and counts[1][1] == counts[3][1], counts


def _extend(i):
    from units.models import Unit

    bo = Unit.objects.get(code="BO")
    u = UnitFactory(code=f"Q{i}", parent=bo)
    for j in range(5):
        p = PersonFactory(code=f"Q{i}P{j}", unit=u)
        rate(p, {2025: "HTTNV"})
        award(p, "LDTT", 2025)
    award(u, "TTLDTT", 2025)
