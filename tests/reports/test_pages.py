"""The reporting page: the summary request (job page, or the filed edition of a closed
year), a form's XLSX download, editions readable only in scope, bad input kept on the form."""

import pytest
from django.urls import reverse

from awards.models import SummaryEdition
from emulation_portal.models import Job, Role
from tests.reports.helpers import workbook
from units.models import UnitOfficer

URL = "/reports/"


@pytest.fixture
def officer(world, make_user):
    user = make_user(Role.UNIT_OFFICER)
    UnitOfficer.objects.create(user=user, unit=world["vu"])
    return user


def test_office_asks_for_the_summary_then_gets_the_filed_edition(
    world, client, office_user, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"year": 2025, "first_year": 2024})
    job = Job.objects.get()
    assert response.url == reverse("job-detail", args=[job.pk])
    edition = SummaryEdition.objects.get()
    response = client.post(URL, {"year": 2025})
    assert response.url == reverse("awards:reports:edition", args=[edition.pk])
    download = client.get(response.url)
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert "by_award" in workbook(content).sheetnames


def test_bad_input_stays_on_the_form(world, client, office_user):
    client.force_login(office_user)
    response = client.post(URL, {"year": 2025, "unit": "NOPE"})
    assert response.status_code == 200 and "NOPE" in response.content.decode()
    response = client.post(URL, {"year": 2025, "first_year": 2026})
    assert response.status_code == 200 and not Job.objects.exists()


def test_form_download_and_scope(world, client, officer, office_user):
    client.force_login(officer)
    url = reverse("awards:reports:form", args=["0603", 2025])
    assert client.get(url).status_code == 403  # the ministry's forms: the office's
    response = client.get(url, {"unit": "VU"})
    assert response.status_code == 200
    assert workbook(response.content)["0603"]["C6"].value == 1  # VU: the BK_BO of E
    assert client.get(url, {"unit": "VP"}).status_code == 404
    assert (
        client.get(reverse("awards:reports:form", args=["0603", 2020]), {"unit": "VU"}).status_code
        == 404
    )
    client.force_login(office_user)
    assert client.get(url).status_code == 200


def test_edition_of_another_scope_is_not_found(
    world, client, officer, office_user, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"year": 2025, "unit": "VP"})
    edition = SummaryEdition.objects.get(scope="VP")
    client.force_login(officer)
    assert client.get(reverse("awards:reports:edition", args=[edition.pk])).status_code == 404
    assert "VP" not in [e.scope for e in client.get(URL).context["editions"]]
