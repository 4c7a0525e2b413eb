"""The spreadsheet exchange: all-or-nothing import with every faulty row named, idempotent
re-import, export -> import round trip, and the generic checks (encoding, formulas, sizes)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from emulation_portal.models import AuditEvent
from units.exchange import MAX_CELL_CHARS, export_folder, export_xlsx, import_data
from units.models import (
    Bloc,
    BlocMembership,
    Discipline,
    Initiative,
    Person,
    PersonYear,
    Unit,
    UnitRating,
)

SHEETS = {
    "units": [
        ["code", "name", "kind", "parent_code"],
        ["BO", "Bộ Nông nghiệp và Môi trường", "BO", ""],
        ["P1", "Phòng Hành chính", "PHONG", "VP"],  # parent defined on a later row
        ["VP", "Văn phòng Bộ", "VAN_PHONG", "BO"],
        ["TCCB", "Vụ Tổ chức cán bộ", "VU", "BO"],
    ],
    "people": [
        ["code", "full_name", "gender", "birth_date", "unit_code", "position", "is_manager"],
        ["NV1", "Nguyễn Thị Ánh", "F", "1985-03-02", "VP", "Chuyên viên", "false"],
        ["NV2", "Đặng Văn Đức", "M", "", "P1", "Trưởng phòng", "true"],
        ["NV3", "Trần Minh Hoà", "M", "1979-12-31", "TCCB", "", ""],
    ],
    "ratings": [
        ["subject_type", "subject_code", "year", "rating", "unit_code"],
        ["person", "NV1", "2023", "HTTNV", "TCCB"],
        ["person", "NV1", "2024", "HTXSNV", ""],
        ["person", "NV2", "2024", "HTNV", "P1"],
        ["unit", "VP", "2024", "HTXSNV", ""],
    ],
    "initiatives": [
        ["person_code", "year", "title", "scope", "recognized_on"],
        ["NV1", "2024", "Số hoá hồ sơ thi đua", "BO", "2024-11-20"],
    ],
    "disciplines": [
        ["person_code", "level", "start_date", "end_date"],
        ["NV3", "KHIEN_TRACH", "2022-05-01", "2023-04-30"],
    ],
    "blocs": [
        ["code", "name", "kind"],
        ["KHOI_II", "Khối thi đua số II", "KHOI"],
    ],
    "bloc_members": [
        ["bloc_code", "year", "unit_code", "role"],
        ["KHOI_II", "2024", "VP", "leader"],
        ["KHOI_II", "2024", "TCCB", "deputy"],
    ],
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write_folder(path, sheets, encoding="utf-8"):
    path.mkdir(exist_ok=True)
    for name, rows in sheets.items():
        with (path / f"{name}.csv").open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh).writerows(rows)
    return path


def counts():
    return {
        m.__name__: m.objects.count()
        for m in (
            Unit,
            Person,
            PersonYear,
            UnitRating,
            Initiative,
            Discipline,
            Bloc,
            BlocMembership,
        )
    }


def with_row(sheet, row_index, column, value):
    """SHEETS with one cell changed (row_index counts the header as 0)."""
    sheets = {k: [list(r) for r in v] for k, v in SHEETS.items()}
    header = sheets[sheet][0]
    sheets[sheet][row_index][header.index(column)] = value
    return sheets


@pytest.mark.django_db
def test_prepared_folder_creates_exactly_its_rows(tmp_path):
    result = import_data(None, write_folder(tmp_path / "in", SHEETS))
    assert result.ok and result.committed, result.errors
    assert counts() == {
        "Unit": 4,
        "Person": 3,
        "PersonYear": 3,
        "UnitRating": 1,
        "Initiative": 1,
        "Discipline": 1,
        "Bloc": 1,
        "BlocMembership": 2,
    }
    nv1 = Person.objects.get(code="NV1")
    assert nv1.search_text == "nguyen thi anh nv1"
    assert dict(nv1.years.values_list("year", "unit__code")) == {2023: "TCCB", 2024: "VP"}
    p1 = Unit.objects.get(code="P1")
    assert p1.parent.code == "VP" and p1.path.startswith(Unit.objects.get(code="VP").path)
    assert BlocMembership.objects.get(role="leader").unit.code == "VP"
    assert Person.objects.get(code="NV2").is_manager


@pytest.mark.django_db
def test_importing_twice_changes_nothing(tmp_path):
    folder = write_folder(tmp_path / "in", SHEETS)
    import_data(None, folder)
    snapshot, events = counts(), AuditEvent.objects.count()
    result = import_data(None, folder)
    assert result.ok and result.changed == 0
    assert all(c["created"] == c["updated"] == 0 for c in result.counts.values())
    assert counts() == snapshot and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_export_then_import_is_a_no_op_csv_and_xlsx(tmp_path):
    import_data(None, write_folder(tmp_path / "in", SHEETS))
    export_folder(tmp_path / "out")
    result = import_data(None, tmp_path / "out")
    assert result.ok and result.changed == 0, (result.errors, result.counts)
    buffer = io.BytesIO()
    export_xlsx(buffer)
    buffer.seek(0)
    result = import_data(None, buffer)
    assert result.ok and result.changed == 0, (result.errors, result.counts)
    assert result.counts["people"]["unchanged"] == 3
    assert result.counts["ratings"]["unchanged"] == 4


@pytest.mark.django_db
def test_re_import_updates_changed_rows_only(tmp_path):
    import_data(None, write_folder(tmp_path / "in", SHEETS))
    sheets = with_row("people", 1, "position", "Phó Trưởng phòng")
    sheets["units"][2][3] = "TCCB"  # move P1 under TCCB
    sheets["ratings"][2][3] = "HTTNV"  # NV1 2024: HTXSNV -> HTTNV
    sheets["ratings"][3][4] = "VP"  # NV2 2024 was in P1, now recorded in VP
    result = import_data(None, write_folder(tmp_path / "in2", sheets))
    assert result.ok, result.errors
    assert result.counts["ratings"] == {"created": 0, "updated": 2, "unchanged": 2}
    assert PersonYear.objects.get(person__code="NV1", year=2024).rating == "HTTNV"
    assert PersonYear.objects.get(person__code="NV2", year=2024).unit.code == "VP"
    assert result.counts["people"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert result.counts["units"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert Unit.objects.get(code="P1").path.startswith(Unit.objects.get(code="TCCB").path)


BAD_ROWS = [
    ("people", 2, "unit_code", "NOPE", "Unknown unit code NOPE"),
    ("people", 1, "birth_date", "1985-02-30", "YYYY-MM-DD"),
    ("people", 1, "birth_date", "2090-01-01", "impossible"),
    ("people", 3, "gender", "X", "not one of"),
    ("people", 2, "code", "NV1", "Same as row 2"),
    ("units", 2, "parent_code", "NOWHERE", "Unknown parent unit"),
    ("units", 4, "code", "VP", "Same as row 4"),
    ("units", 1, "kind", "BOGUS", "not one of"),
    ("units", 4, "code", "bad code!", "not valid"),
    ("people", 3, "code", "new", "reserved"),
    ("ratings", 2, "year", "2999", "out of range"),
    ("ratings", 2, "year", "20x4", "must be a number"),
    ("ratings", 3, "rating", "TOT", "not one of"),
    ("ratings", 4, "subject_type", "group", "person or unit"),
    ("initiatives", 1, "scope", "WORLD", "not one of"),
    ("disciplines", 1, "end_date", "2021-01-01", "before the start"),
    ("bloc_members", 2, "role", "leader", "already names this bloc"),
    ("bloc_members", 1, "bloc_code", "KHOI_X", "Unknown bloc code"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("sheet", "row", "column", "value", "expected"), BAD_ROWS)
def test_one_bad_row_writes_nothing_and_names_it(tmp_path, sheet, row, column, value, expected):
    result = import_data(None, write_folder(tmp_path / "in", with_row(sheet, row, column, value)))
    assert not result.committed
    assert counts() == dict.fromkeys(counts(), 0)
    assert AuditEvent.objects.count() == 0
    mine = [e for e in result.errors if e.sheet == f"{sheet}.csv"]
    assert mine, result.errors
    first = mine[0]
    assert first.row == row + 1  # the header is row 1
    assert expected in first.message
    if column != "code" or "Same" not in expected:
        assert first.column == column


@pytest.mark.django_db
def test_cycle_in_the_tree_is_refused(tmp_path):
    sheets = with_row("units", 1, "parent_code", "P1")  # BO under P1 under VP under BO
    result = import_data(None, write_folder(tmp_path / "in", sheets))
    assert not result.committed and Unit.objects.count() == 0
    assert any("cycle" in e.message and e.column == "parent_code" for e in result.errors)


@pytest.mark.django_db
def test_cycle_against_existing_tree_is_refused(tmp_path):
    import_data(None, write_folder(tmp_path / "in", SHEETS))
    sheets = {"units": [SHEETS["units"][0], ["VP", "Văn phòng Bộ", "VAN_PHONG", "P1"]]}
    result = import_data(None, write_folder(tmp_path / "in2", sheets))
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("units.csv", 2, "parent_code")]
    assert Unit.objects.get(code="VP").parent.code == "BO"


@pytest.mark.django_db
def test_windows_1258_file_is_refused_naming_the_line(tmp_path):
    folder = write_folder(tmp_path / "in", {"units": SHEETS["units"]})
    # "Văn phòng" in Windows-1258: precomposed ă (0xE3), o + combining grave (0xCC)
    raw = b"code,name,kind,parent_code\nBO,Bo,BO,\nVP,V\xe3n pho\xccng,VAN_PHONG,BO\n"
    assert raw.decode("cp1258").startswith("code")
    (folder / "units.csv").write_bytes(raw)
    result = import_data(None, folder)
    assert not result.committed and Unit.objects.count() == 0
    assert [(e.sheet, e.row) for e in result.errors] == [("units.csv", 3)]
    assert "UTF-8" in result.errors[0].message


@pytest.mark.django_db
def test_utf8_bom_is_accepted(tmp_path):
    folder = write_folder(tmp_path / "in", {"units": SHEETS["units"]}, encoding="utf-8-sig")
    result = import_data(None, folder)
    assert result.ok and Unit.objects.count() == 4


@pytest.mark.django_db
def test_header_problems(tmp_path):
    sheets = {"units": [["code", "nam", "kind"], ["BO", "x", "BO"]]}
    result = import_data(None, write_folder(tmp_path / "in", sheets))
    assert {(e.row, e.column) for e in result.errors} == {(1, "nam"), (1, "name")}
    assert Unit.objects.count() == 0


def xlsx_bytes(sheets, formula_cell=None, huge=None):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if formula_cell:
        wb[formula_cell[0]][formula_cell[1]] = "=1+1"
    if huge:
        wb[huge[0]][huge[1]] = "x" * (MAX_CELL_CHARS + 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.django_db
def test_xlsx_import_and_formula_and_huge_cells_refused():
    result = import_data(None, xlsx_bytes(SHEETS))
    assert result.ok, result.errors
    Person.objects.all().delete()
    PersonYear.objects.all().delete()
    result = import_data(
        None, xlsx_bytes(SHEETS, formula_cell=("people", "B3"), huge=("people", "F2"))
    )
    assert not result.committed and Person.objects.count() == 0
    assert {(e.sheet, e.row, e.column) for e in result.errors} == {
        ("people", 3, "full_name"),
        ("people", 2, "position"),
    }


@pytest.mark.django_db
def test_not_a_workbook():
    result = import_data(None, io.BytesIO(b"not a zip"))
    assert result.errors and not result.committed


@pytest.mark.django_db
def test_leader_and_member_swap_roles_in_one_file(tmp_path):
    import_data(None, write_folder(tmp_path / "in", SHEETS))
    sheets = {
        "bloc_members": [
            SHEETS["bloc_members"][0],
            ["KHOI_II", "2024", "VP", "member"],
            ["KHOI_II", "2024", "TCCB", "leader"],
        ]
    }
    result = import_data(None, write_folder(tmp_path / "in2", sheets))
    assert result.ok, result.errors
    assert BlocMembership.objects.get(role="leader").unit.code == "TCCB"


@pytest.mark.django_db
def test_command_exit_code_and_messages(tmp_path, capsys):
    good = write_folder(tmp_path / "good", SHEETS)
    call_command("import_data", str(good))
    assert "Import done" in capsys.readouterr().out
    bad = write_folder(tmp_path / "bad", with_row("people", 2, "unit_code", "NOPE"))
    Person.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("import_data", str(bad))
    assert "people.csv, row 3, column unit_code" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_command_writes_xlsx(tmp_path):
    import_data(None, write_folder(tmp_path / "in", SHEETS))
    call_command("export_data", str(tmp_path / "all.xlsx"))
    wb = load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert {"units", "people", "ratings", "blocs", "bloc_members"} <= set(wb.sheetnames)
