"""The eligibility XLSX: a name saved straight into the table (before the name checks) is
written as a plain string cell, never as a formula."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from awards.export import eligibility_xlsx
from tests.awards.factories import PersonFactory, rate

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/steal","Bấm vào đây")'


def test_planted_name_is_inert_in_the_eligibility_xlsx(office_user, unit):
    person = PersonFactory(code="P666", full_name=EVIL, unit=unit)  # no service: no check
    rate(person, {2024: "HTXSNV"})
    raw = eligibility_xlsx(office_user, year=2024, award="LDTT")
    xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "HYPERLINK" in xml  # the name is there, as text
    rows = list(load_workbook(io.BytesIO(raw)).active.iter_rows(min_row=2))
    (cell,) = [row[2] for row in rows if row[1].value == "P666"]
    assert cell.value == EVIL and cell.data_type == "s" and cell.quotePrefix
