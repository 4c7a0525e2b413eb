"""The dashboard's bloc and award filters, its numbers as links to the award records behind
them, the records list's filters and scope, a unit's ten-year page, and queries constant in
the number of units and people."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.awards.factories import PersonFactory, UnitFactory, award, rate
from units.models import UnitOfficer

DASH = "/reports/dashboard/"
RECORDS = "/reports/records/"


def _links(html):
    return [unescape(h) for h in re.findall(r'<a href="(/reports/records/\?[^"]+)">', html)]


def _row(html, attr, code):
    return re.search(rf'<tr data-{attr}="{code}">(.*?)</tr>', html, re.S).group(1)


def _numbers(row_html):
    return [int(n) for n in re.findall(r'class="num">(?:<a href="[^"]*">)?(\d+)', row_html)]


def _count(client, url):
    html = client.get(url).content.decode()
    return len(re.findall(r"<tr>\s*<td>", html.split('id="records"')[1].split("</table>")[0]))


def test_every_number_links_to_the_records_it_counts(world, client, office_user):
    client.force_login(office_user)
    html = client.get(DASH, {"year": 2025}).content.decode()
    # LDTT: 4 individuals (A, B, C, D), no collective
    assert _numbers(_row(html, "award", "LDTT")) == [4, 0, 4]
    # VP_HC: staff 2, LDTT 2 (B, C), CSTD_CS 0, individual 3 (B's BK_BO), collective 1
    assert _numbers(_row(html, "unit", "VP_HC")) == [2, 2, 0, 3, 1]
    links = _links(html)
    assert links
    for link in links:
        row = next(
            r
            for r in re.findall(r"<tr data-[a-z]+=\"\w+\">.*?</tr>", html, re.S)
            if f'href="{link.replace("&", "&amp;")}"' in r
        )
        shown = re.search(rf'href="{re.escape(link.replace("&", "&amp;"))}">(\d+)</a>', row).group(
            1
        )
        assert _count(client, link) == int(shown), link


def test_bloc_and_award_filters(world, client, office_user):
    client.force_login(office_user)
    html = client.get(DASH, {"year": 2025, "bloc": "KHOI_U"}).content.decode()
    assert 'data-unit="VU"' in html and 'data-unit="VP"' not in html
    assert 'value="KHOI_U" selected' in html
    html = client.get(DASH, {"year": 2025, "award": "BK_BO"}).content.decode()
    assert re.findall(r'data-award="(\w+)"', html) == ["BK_BO"]
    # per unit: staff, BK_BO individuals, BK_BO collectives (E counts in VU in 2025)
    assert _numbers(_row(html, "unit", "VU")) == [2, 1, 0]
    assert _numbers(_row(html, "unit", "VP_HC")) == [2, 1, 0]
    for bad in ({"award": "NOPE"}, {"bloc": "NOPE"}):
        r = client.get(DASH, {"year": 2025, **bad})
        assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def test_records_list_filters(world, client, office_user):
    client.force_login(office_user)
    url = RECORDS + "?year=2025"
    assert _count(client, url) == 11  # the superseded CSTD_CS is not counted
    assert _count(client, url + "&unit=VP") == 7  # A: 2, B: 2, C: 1, VP and VP_HC: 1 each
    assert _count(client, url + "&unit=VP&direct=1") == 3
    assert _count(client, url + "&unit=VU&subject=person") == 3  # D, E (moved), F
    assert _count(client, url + "&bloc=KHOI_U") == 4
    assert _count(client, url + "&award=TTLDTT&subject=unit") == 2
    for bad in ("year=abc", "year=2025&unit=NOPE"):
        r = client.get(RECORDS + "?" + bad)
        assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def test_unit_officer_sees_own_units_only(world, client, make_user):
    officer = make_user(role="unit_officer")
    UnitOfficer.objects.create(user=officer, unit=world["vp"])
    client.force_login(officer)
    assert _count(client, RECORDS + "?year=2025&unit=VP") == 7
    r = client.get(RECORDS, {"year": 2025, "unit": "VU"})
    assert 'role="alert"' in r.content.decode() and 'id="records"' not in r.content.decode()
    r = client.get(RECORDS, {"year": 2025})
    assert 'id="records"' not in r.content.decode()
    assert client.get("/reports/units/VU/years/").status_code == 404
    assert client.get("/reports/units/VP/years/", {"year": 2025}).status_code == 200


def test_unit_ten_years(world, client, office_user):
    client.force_login(office_user)
    html = client.get(DASH, {"year": 2025, "unit": "VP"}).content.decode()
    assert "/reports/units/VP/years/?year=2025" in html
    r = client.get("/reports/units/VP/years/", {"year": 2025})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="chart-unit-years"' in html
    table = html.split('id="unit-years"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(\d{4})</td>(.*?)</tr>", table, re.S)
    assert [y for y, _ in rows] == [str(y) for y in range(2016, 2026)]
    # 2025 for VP with VP_HC: staff A, B, C; LDTT 3; CSTD_CS 1; individual 5; collective 2
    assert _numbers(rows[-1][1]) == [3, 3, 1, 5, 2]
    assert _numbers(rows[0][1]) == [0, 0, 0, 0, 0]
    sub = html.split('id="sub-units"')[1].split("</table>")[0]
    assert _numbers(re.search(r"VP_HC.*?</tr>", sub, re.S).group(0))[-1] == 4
    assert client.get("/reports/units/NOPE/years/").status_code == 404
    r = client.get("/reports/units/VP/years/", {"year": "abc"})
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def _grow(n):
    bo = UnitFactory(code="BO", kind="BO")
    for i in range(n):
        u = UnitFactory(code=f"Q{i}", parent=bo)
        for j in range(n):
            p = PersonFactory(code=f"Q{i}P{j}", unit=u, gender="F" if j % 2 else "M")
            rate(p, {2025: "HTTNV"})
            award(p, "LDTT", 2025)
        award(u, "TTLDTT", 2025)
    return bo


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5])
def test_queries_constant_in_units_and_people(n, client, office_user):
    _grow(n)
    client.force_login(office_user)
    counts = {}
    for name, url in (
        ("dashboard", DASH + "?year=2025"),
        ("award", DASH + "?year=2025&award=LDTT"),
        ("records", RECORDS + "?year=2025&unit=BO"),
        ("years", "/reports/units/BO/years/?year=2025"),
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[name] = len(ctx.captured_queries)
    assert counts == EXPECTED


EXPECTED = {"dashboard": 21, "award": 28, "records": 7, "years": 66}
