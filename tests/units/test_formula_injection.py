"""Formula-like and oversized names are refused at every entry (form, API, import, service);
a bad name already in the database still exports inert and re-imports from its own export."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from tests.units.test_exchange import SHEETS, write_folder
from units import services
from units.exchange import export_folder, export_rows, export_xlsx, import_data
from units.models import Initiative, Person, Unit

EVIL = '=HYPERLINK("http://evil.example/steal","Bấm vào đây")'
FORMULA_VI = "Không được bắt đầu bằng =, +, -, @"
STARTS = ["+", "-", "@", "\t", "\r", "=", "＝"]


def _sheets(**cells):
    """SHEETS with people row 1's cells replaced (column -> value)."""
    sheets = {k: [list(r) for r in v] for k, v in SHEETS.items()}
    header = sheets["people"][0]
    for column, value in cells.items():
        sheets["people"][1][header.index(column)] = value
    return sheets


# -- API -------------------------------------------------------------------------------
def test_api_refuses_a_formula_name_with_a_message(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(
        "/api/v1/people/",
        {"code": "Z1", "full_name": EVIL, "gender": "F", "unit": "TCCB"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert FORMULA_VI in response.json()["full_name"][0]
    assert not Person.objects.filter(code="Z1").exists()
    response = client.patch(
        "/api/v1/people/NV3/", {"position": "@SUM(A1)"}, content_type="application/json"
    )
    assert response.status_code == 400 and "position" in response.json()
    response = client.patch("/api/v1/units/VP/", {"name": "+cmd"}, content_type="application/json")
    assert response.status_code == 400 and FORMULA_VI in response.json()["name"][0]
    assert Unit.objects.get(code="VP").name == "Văn phòng Bộ"


def test_api_refuses_a_5000_character_name(client, office_user, tree):
    client.force_login(office_user)
    response = client.post(
        "/api/v1/people/",
        {"code": "Z1", "full_name": "A" * 5000, "gender": "F", "unit": "TCCB"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "full_name" in response.json()
    response = client.post(
        "/api/v1/units/",
        {"code": "NEW1", "name": "Vụ " * 2000, "kind": "VU"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "name" in response.json()
    assert not Person.objects.filter(code="Z1").exists()
    assert not Unit.objects.filter(code="NEW1").exists()


# -- form --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [EVIL, "A" * 5000, "-Nguyễn"])
def test_person_form_refuses_formula_and_oversized_names(client, office_user, tree, name):
    client.force_login(office_user)
    response = client.post(
        "/people/new/",
        {"code": "Z1", "full_name": name, "gender": "F", "unit": tree["tccb"].pk},
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["full_name"]
    assert not Person.objects.filter(code="Z1").exists()


# -- services ----------------------------------------------------------------------------
def test_services_refuse_new_formula_names_and_keep_stored_ones(tree):
    with pytest.raises(ValidationError) as exc:
        services.create_person(None, code="Z1", full_name="@x", gender="F", unit=tree["tccb"])
    assert "full_name" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_unit(None, code="Z2", name="-x", kind="VU")
    with pytest.raises(ValidationError):
        services.create_bloc(None, code="Z3", name="=1+1", kind="KHOI")
    with pytest.raises(ValidationError):
        services.add_initiative(
            None, person=tree["people"]["vp"], year=2024, title="+SUM(1)", scope="BO"
        )
    with pytest.raises(ValidationError):
        services.create_person(None, code="Z4", full_name="B" * 5000, gender="F", unit=tree["tccb"])
    # a name saved before the check: the person's other fields can still be changed
    legacy = Person.objects.create(code="OLD1", full_name=EVIL, gender="F", unit=tree["vp"])
    services.update_person(None, legacy, position="Chuyên viên")
    legacy.refresh_from_db()
    assert legacy.full_name == EVIL and legacy.position == "Chuyên viên"
    with pytest.raises(ValidationError):
        services.update_person(None, legacy, full_name="+" + EVIL)


# -- import ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("column", ["full_name", "position", "code"])
def test_import_refuses_formula_starts_in_names_and_codes(tmp_path, start, column):
    result = import_data(None, write_folder(tmp_path / "in", _sheets(**{column: start + "X1"})))
    assert not result.ok and not result.committed
    assert any(e.sheet == "people.csv" and e.column == column for e in result.errors), [
        str(e) for e in result.errors
    ]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_a_5000_character_name(tmp_path):
    result = import_data(None, write_folder(tmp_path / "in", _sheets(full_name="A" * 5000)))
    assert not result.ok
    assert [e.column for e in result.errors] == ["full_name"]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_import_of_an_escaped_new_formula_name_is_still_refused(tmp_path):
    """The export's quote is accepted only for a value already stored: it is not a way in."""
    result = import_data(None, write_folder(tmp_path / "in", _sheets(full_name="'" + EVIL)))
    assert not result.ok
    people = [e for e in result.errors if e.sheet == "people.csv"]
    assert [e.column for e in people] == ["full_name"] and FORMULA_VI in people[0].message
    assert Person.objects.count() == 0


# -- export: inert, and it re-imports ---------------------------------------------------
@pytest.fixture
def planted(tmp_path, db):
    """The registry of SHEETS, plus a person and an initiative whose names were saved
    before the checks existed (straight into the table)."""
    assert import_data(None, write_folder(tmp_path / "in", SHEETS)).ok
    vp = Unit.objects.get(code="VP")
    person = Person.objects.create(code="EVIL1", full_name=EVIL, gender="M", unit=vp)
    Initiative.objects.create(person=person, year=2024, title="@SUM(1;2)", scope="BO")
    return person


def test_planted_name_is_a_string_cell_in_the_registry_xlsx_and_re_imports(planted):
    buffer = io.BytesIO()
    export_xlsx(buffer)
    raw = buffer.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(raw))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
    people = load_workbook(io.BytesIO(raw))["people"]
    cell = next(row[1] for row in people.iter_rows(min_row=2) if row[0].value == "EVIL1")
    assert cell.value == EVIL and cell.data_type == "s" and cell.quotePrefix
    result = import_data(None, io.BytesIO(raw))
    assert result.ok and result.changed == 0, [str(e) for e in result.errors]
    assert Person.objects.get(code="EVIL1").full_name == EVIL


def test_planted_name_is_quoted_in_the_csv_export_and_re_imports(planted, tmp_path):
    export_folder(tmp_path / "out")
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8", newline="") as fh:
        names = {row["code"]: row["full_name"] for row in csv.DictReader(fh)}
    assert names["EVIL1"] == "'" + EVIL
    raw = (tmp_path / "out" / "initiatives.csv").read_text(encoding="utf-8")
    assert "'@SUM(1;2)" in raw
    result = import_data(None, tmp_path / "out")
    assert result.ok and result.changed == 0, [str(e) for e in result.errors]


TRICKY_BUT_ALLOWED = {
    "full_name": "Nguyễn 'Tý' Văn-An",
    "position": "'Phó Trưởng phòng = phụ trách",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_with_tricky_values_gives_the_same_data(tmp_path, db, fmt):
    sheets = _sheets(**TRICKY_BUT_ALLOWED)
    sheets["initiatives"][1][2] = "#N/A: 'Sổ tay' + 10% năng suất"
    assert import_data(None, write_folder(tmp_path / "in", sheets)).ok
    Person.objects.create(
        code="EVIL1", full_name=EVIL, gender="M", unit=Unit.objects.get(code="VP")
    )
    before = {spec.name: list(rows) for spec, rows in export_rows()}
    if fmt == "csv":
        export_folder(tmp_path / "out")

        def source():
            return tmp_path / "out"
    else:
        buffer = io.BytesIO()
        export_xlsx(buffer)

        def source():
            return io.BytesIO(buffer.getvalue())

    Person.objects.all().delete()  # their years, initiatives and disciplines go too
    result = import_data(None, source())
    # the planted name is new again after the delete: refused, and nothing written
    assert [(e.column, e.row) for e in result.errors] == [("full_name", 2)]
    assert Person.objects.count() == 0
    # without it, everything comes back as it was
    Person.objects.create(
        code="EVIL1", full_name=EVIL, gender="M", unit=Unit.objects.get(code="VP")
    )
    result = import_data(None, source())
    assert result.ok, [str(e) for e in result.errors]
    after = {spec.name: list(rows) for spec, rows in export_rows()}
    assert after == before
    assert Person.objects.get(code="NV1").full_name == TRICKY_BUT_ALLOWED["full_name"]
