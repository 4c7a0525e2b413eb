"""The figures dashboard: the summary's charts on the page under the strict CSP (inline SVG,
no inline script or style), the year and unit in the URL, a unit officer's own units only,
bad input as a message (never a 500), and the PDF format on the summary form."""

import re

from django.urls import reverse

from awards.models import SummaryEdition
from units.models import UnitOfficer

URL = "/reports/dashboard/"


def test_dashboard_shows_charts_and_their_numbers(world, client, office_user):
    client.force_login(office_user)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 4 and 'id="chart-comparison"' in html
    assert not re.search(r"<svg.*?(<script|<style|\sstyle=).*?</svg>", html, re.S)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    # the comparison's table: 2025 has 8 individual and 3 collective awards
    assert re.search(r"<td>2025</td><td class=\"num\">8</td><td class=\"num\">3</td>", html)


def test_dashboard_scope_and_bad_input(world, client, make_user):
    officer = make_user(role="unit_officer")
    UnitOfficer.objects.create(user=officer, unit=world["vp"])
    client.force_login(officer)
    # the ministry's figures are not an officer's: a message, no chart
    r = client.get(URL, {"year": 2025})
    assert r.status_code == 200 and "<svg" not in r.content.decode()
    assert client.get(URL, {"year": 2025, "unit": "VU"}).content.decode().count("<svg") == 0
    r = client.get(URL, {"year": 2025, "unit": "VP"})
    assert r.content.decode().count("<svg") >= 3
    for bad in ({"year": "abc"}, {"year": "99999"}, {"unit": "NOPE"}):
        r = client.get(URL, bad)
        assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def test_summary_form_asks_for_the_pdf(
    world, client, office_user, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("awards:reports:index"), {"year": 2025, "format": "pdf"})
    assert r.status_code == 302
    edition = SummaryEdition.objects.get()
    assert edition.format == "pdf"
    download = client.get(reverse("awards:reports:edition", args=[edition.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith('.pdf"')
