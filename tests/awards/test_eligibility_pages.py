"""The office page, its XLSX export, the panels on the person's and the unit's pages and
the API: who may see what (denied reads show nothing, denied writes change nothing), the
Vietnamese default, and query counts that do not grow with the rows."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import AwardRecord, EligibilityVerdict
from emulation_portal.models import Job, Role
from tests.awards.factories import PersonFactory, UnitFactory, award, rate, rate_unit
from units.models import Person, PersonYear, UnitOfficer

pytestmark = pytest.mark.django_db

URL = "/awards/eligibility/"


@pytest.fixture
def history(person, unit):
    rate(person, {2024: "HTXSNV"})
    award(person, "LDTT", 2023)
    rate_unit(unit, {2024: "HTTNV"})
    other_unit = UnitFactory(code="XA", name="Vụ Pháp chế")
    stranger = PersonFactory(code="P900", full_name="Lê Văn Xa", unit=other_unit)
    rate(stranger, {2024: "HTTNV"})
    return person


@pytest.fixture
def officer(make_user, unit):
    user = make_user(Role.UNIT_OFFICER, username="donvi")
    UnitOfficer.objects.create(user=user, unit=unit)
    return user


def _people(unit, n, year=2024):
    Person.objects.bulk_create(
        Person(code=f"Q{i:04d}", full_name=f"Người {i}", gender="M", unit=unit) for i in range(n)
    )
    PersonYear.objects.bulk_create(
        PersonYear(person=p, year=year, unit=unit, rating="HTTNV")
        for p in Person.objects.filter(code__startswith="Q")
    )


class TestOfficePage:
    def test_vietnamese_by_default_with_reasons(self, office_client, history):
        r = office_client.get(URL, {"year": 2024, "award": "CSTD_CS", "eligible_only": "on"})
        html = r.content.decode()
        assert r.status_code == 200
        assert "Ai đủ điều kiện" in html
        assert "Trần Thị Hoa" in html and "Lê Văn Xa" not in html
        assert "Căn cứ pháp lý" in html and "đủ điều kiện" in html

    def test_default_query_is_last_year_eligible_only(self, office_client, history):
        r = office_client.get(URL)
        assert r.status_code == 200
        assert r.context["form"].is_valid()

    def test_unit_officer_sees_only_their_scope(self, client, officer, history):
        client.force_login(officer)
        html = client.get(URL, {"year": 2024, "award": "LDTT"}).content.decode()
        assert "Trần Thị Hoa" in html and "Lê Văn Xa" not in html

    def test_unit_officer_sees_only_their_units(self, client, officer, history):
        client.force_login(officer)
        r = client.get(URL, {"year": 2024, "award": "TTLDTT", "subject": "unit"})
        assert {v.subject_code for v in r.context["verdicts"]} == {"VP"}

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.COUNCIL])
    def test_viewers_and_council_are_denied(self, client, make_user, history, role):
        client.force_login(make_user(role))
        assert client.get(URL, {"year": 2024}).status_code == 403
        r = client.post(reverse("awards:eligibility-export"), {"year": 2024})
        assert r.status_code == 403
        assert not Job.objects.exists()

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(URL).status_code == 302

    def test_query_count_does_not_grow_with_rows(
        self, office_client, unit, django_assert_max_num_queries
    ):
        _people(unit, 1)
        # 20 for the page judged live, and the pass the year's first view asks for
        with django_assert_max_num_queries(30) as one:
            office_client.get(URL, {"year": 2024, "award": "LDTT"})
        Person.objects.filter(code__startswith="Q").delete()
        _people(unit, 60)
        with django_assert_max_num_queries(len(one.captured_queries)):
            r = office_client.get(URL, {"year": 2024, "award": "LDTT"})
        assert r.context["total"] == 60

    def test_pagination(self, office_client, unit):
        _people(unit, 60)
        r = office_client.get(URL, {"year": 2024, "award": "LDTT", "page": 2})
        assert len(r.context["verdicts"]) == 10 and r.context["total"] == 60


class TestExport:
    def test_xlsx_export_job(self, office_client, history, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            r = office_client.post(
                reverse("awards:eligibility-export"),
                {"year": 2024, "award": "LDTT", "eligible_only": "on"},
            )
        job = Job.objects.get()
        assert r.status_code == 302 and r.url == reverse("job-detail", args=[job.pk])
        assert job.state == Job.State.SUCCESS
        wb = load_workbook(io.BytesIO(job.result_file.read()))
        rows = list(wb.active.values)
        assert rows[0][:3] == ("Đối tượng", "Mã", "Tên")
        assert {row[1] for row in rows[1:]} == {"P001", "P900"}
        assert all(row[4] == "có" for row in rows[1:])

    def test_invalid_form_keeps_nothing(self, office_client):
        r = office_client.post(reverse("awards:eligibility-export"), {"year": "abc"})
        assert r.status_code == 302
        assert not Job.objects.exists()


class TestPanels:
    def test_person_page_shows_history_and_why(self, office_client, history):
        html = office_client.get("/people/P001/?eligibility_year=2024").content.decode()
        assert 'id="panel-award-history"' in html and "LDTT" in html
        assert 'id="panel-eligibility"' in html and "vì sao" in html
        assert "CSTD_CS" in html

    def test_unit_page_shows_why(self, office_client, history):
        html = office_client.get("/units/VP/?eligibility_year=2024").content.decode()
        assert 'id="panel-eligibility"' in html and "TTLDTT" in html

    def test_viewer_sees_history_but_not_eligibility(self, client, viewer_user, history):
        client.force_login(viewer_user)
        r = client.get("/people/P001/")
        assert r.status_code == 200
        html = r.content.decode()
        assert 'id="panel-award-history"' in html
        assert 'id="panel-eligibility"' not in html

    def test_year_without_rule_set_says_so(self, office_client, history):
        html = office_client.get("/people/P001/?eligibility_year=2023").content.decode()
        assert "Không có bộ quy tắc nào có hiệu lực cho năm 2023" in html

    def test_panel_queries_are_constant(
        self, office_client, history, django_assert_max_num_queries
    ):
        from units.panels import person_panels

        rf_request = office_client.get("/people/P001/").wsgi_request
        person = Person.objects.get(code="P001")
        # 18: the nomination status of each verdict (award records, nominations) and the
        # person's unit for the "Propose" check came with the propose action.
        with django_assert_max_num_queries(18) as few:
            person_panels(rf_request, person)
        for y in range(2015, 2024):
            award(person, "GK", y)
        with django_assert_max_num_queries(len(few.captured_queries)):
            person_panels(rf_request, person)


class TestAPI:
    def test_person_verdicts(self, office_client, history):
        r = office_client.get(
            "/api/v1/eligibility/",
            {"year": 2024, "subject": "person:P001", "award": "CSTD_CS"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        data = r.json()
        assert r.status_code == 200 and data["count"] == 1
        v = data["results"][0]
        assert (v["subject_code"], v["award_code"], v["eligible"], v["rule_set"]) == (
            "P001",
            "CSTD_CS",
            True,
            "LTDKT-2022",
        )
        assert v["reasons"]

    def test_population_filtered_and_paginated(self, office_client, unit):
        _people(unit, 7)
        r = office_client.get(
            "/api/v1/eligibility/",
            {"year": 2024, "award": "LDTT", "subject": "person", "page_size": 5},
        )
        data = r.json()
        assert data["count"] == 7 and len(data["results"]) == 5 and data["next"]
        assert office_client.get(data["next"]).json()["results"][0]["subject_code"] == "Q0005"

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"year": "x"},
            {"year": 2024, "award": "NOPE"},
            {"year": 2024, "subject": "robot:1"},
            {"year": 2019},
        ],
    )
    def test_bad_queries_are_400(self, office_client, params):
        assert office_client.get("/api/v1/eligibility/", params).status_code == 400

    def test_unknown_subject_is_404(self, office_client):
        r = office_client.get("/api/v1/eligibility/", {"year": 2024, "subject": "person:ZZ"})
        assert r.status_code == 404

    def test_officer_denied_outside_scope(self, client, officer, history):
        client.force_login(officer)
        ok = client.get("/api/v1/eligibility/", {"year": 2024, "subject": "person:P001"})
        assert ok.status_code == 200
        denied = client.get("/api/v1/eligibility/", {"year": 2024, "subject": "person:P900"})
        assert denied.status_code == 403

    def test_viewer_denied(self, client, viewer_user, history):
        client.force_login(viewer_user)
        assert client.get("/api/v1/eligibility/", {"year": 2024}).status_code == 403

    def test_catalogue_and_records(self, client, viewer_user, history):
        client.force_login(viewer_user)
        types = client.get("/api/v1/award-types/").json()
        assert len(types) == 15 and types[0]["code"] == "LDTT"
        rs = client.get("/api/v1/rule-sets/LTDKT-2022/").json()
        assert len(rs["rules"]) == 17
        recs = client.get("/api/v1/award-records/", {"subject": "person:P001"}).json()
        assert [(r["award_code"], r["year"]) for r in recs["results"]] == [("LDTT", 2023)]

    def test_records_are_read_only(self, office_client, history):
        r = office_client.post("/api/v1/award-records/", {"year": 2024}, format="json")
        assert r.status_code == 405
        assert AwardRecord.objects.count() == 1
        assert not EligibilityVerdict.objects.exists()
