"""The import reads every byte from outside within bounds: hostile workbooks and CSV files
are refused with a message (nothing imported), and an import job that dies ends as failed
with a sentence the user can act on, never "running"."""

import datetime as dt
import io

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from emulation_portal.jobs import run_job
from emulation_portal.models import Job
from tests.portal import hostile
from units import exchange
from units.exchange import import_data
from units.models import Person, Unit

UNITS = [["code", "name", "kind", "parent_code"], ["BO", "Bộ", "BO", ""]]
PEOPLE = [
    ["code", "full_name", "gender", "birth_date", "unit_code", "position", "is_manager"],
    ["NV1", "Nguyễn Thị Ánh", "F", "1985-03-02", "BO", "Chuyên viên", "false"],
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _book(**edits) -> io.BytesIO:
    """The units + people workbook with the people sheet's XML edited."""
    data = hostile.xlsx_bytes({"units": UNITS, "people": PEOPLE})
    for edit in edits.values():
        data = hostile.rewrite_xlsx(data, "xl/worksheets/sheet2.xml", edit)
    stream = io.BytesIO(data)
    stream.name = "du-lieu.xlsx"
    return stream


def _lie_about_dimension(text):
    import re

    return re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', text)


def _cell(ref, value="x"):
    row = "".join(ch for ch in ref if ch.isdigit())
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>'
    return lambda text: text.replace("</sheetData>", cell + "</sheetData>")


@pytest.mark.django_db
def test_a_dimension_claiming_the_whole_sheet_imports_its_real_rows(monkeypatch):
    rows_seen = []
    original = exchange._parse_rows

    def spy(spec, records, errors):
        records = list(records)
        rows_seen.append((spec.name, len(records), max(len(c) for _, c in records)))
        return original(spec, records, errors)

    monkeypatch.setattr(exchange, "_parse_rows", spy)
    result = import_data(None, _book(dimension=_lie_about_dimension))
    assert result.ok, result.errors
    assert ("people", 2, 7) in rows_seen  # not 1,048,576 rows of 16,384 cells
    assert Person.objects.filter(code="NV1").exists()


@pytest.mark.django_db
def test_a_row_a_million_rows_down_is_refused_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(exchange, "MAX_ROWS", 100)
    result = import_data(None, _book(far=_cell("A1048576")))
    assert not result.committed and not Unit.objects.exists()
    assert [(e.sheet, e.row) for e in result.errors] == [("people", 0)]
    assert "more than 100 rows" in result.errors[0].message


@pytest.mark.django_db
def test_a_value_in_column_xfd_is_refused():
    result = import_data(None, _book(wide=_cell("XFD3")))
    assert not result.committed and not Person.objects.exists()
    assert "beyond column 64" in result.errors[0].message


@pytest.mark.django_db
def test_a_small_workbook_of_huge_xml_is_refused_before_parsing(monkeypatch):
    import openpyxl

    padding = " " * (16 * hostile.MiB)
    stream = _book(huge=lambda t: t.replace("<sheetData>", "<sheetData>" + padding))
    assert len(stream.getvalue()) < 100 * 1024
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    result = import_data(None, stream)
    assert not result.committed and not Unit.objects.exists()
    assert result.errors[0].sheet == "du-lieu.xlsx"
    assert "refused without being opened" in result.errors[0].message


@pytest.mark.django_db
def test_an_xlsx_bomb_with_a_repeated_entry_is_refused():
    stream = io.BytesIO(hostile.repeated_entry_docx())
    result = import_data(None, stream)
    assert not result.committed and "refused without being opened" in result.errors[0].message


@pytest.mark.django_db
def test_csv_rows_and_record_length_are_bounded(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = ["code,name,kind,parent_code"] + [f"U{i},Đơn vị {i},VU," for i in range(10)]
    (folder / "units.csv").write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(exchange, "MAX_ROWS", 5)
    result = import_data(None, folder)
    assert not result.committed and "more than 5 rows" in result.errors[0].message
    monkeypatch.setattr(exchange, "MAX_ROWS", 500_000)
    wide = ["code,name,kind,parent_code", ",".join(["x"] * 100)]
    (folder / "units.csv").write_text("\n".join(wide), encoding="utf-8")
    result = import_data(None, folder)
    assert not result.committed and "too long" in result.errors[0].message
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_an_oversized_csv_file_given_by_path_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,parent_code\nBO,Bộ,BO,\n", encoding="utf-8")
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", 10)
    result = import_data(None, path)
    assert not result.committed and result.errors[0].message == "The file is too large."


# -- through the web, with no broker (tasks run in the request) --------------------------------
def _upload(client, stream, capture):
    stream.seek(0)
    with capture(execute=True):
        response = client.post(reverse("units:import"), {"files": [stream]})
    assert response.status_code == 302
    return Job.objects.filter(kind=exchange.PREVIEW_JOB_KIND).latest("pk")


def test_a_hostile_workbook_through_the_web_ends_its_job_with_the_reason(
    client, office_user, django_capture_on_commit_callbacks
):
    client.force_login(office_user)
    padding = " " * (16 * hostile.MiB)
    stream = _book(huge=lambda t: t.replace("<sheetData>", "<sheetData>" + padding))
    job = _upload(client, stream, django_capture_on_commit_callbacks)
    assert job.state == Job.State.SUCCESS  # the preview ran to its end: it found an error
    page = client.get(reverse("units:import-preview", args=[job.pk])).content.decode()
    assert "Tệp bị từ chối mà không được mở" in page
    assert not Unit.objects.exists()


def test_an_import_job_losing_a_race_fails_with_a_sentence(
    client, office_user, monkeypatch, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    folder = exchange.upload_folder("abc123")
    folder.mkdir(parents=True)
    (folder / "units.csv").write_text("code,name,kind,parent_code\nBO,Bộ,BO,\n")

    def race(*args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "units_unit_code"')

    monkeypatch.setattr(exchange, "import_data", race)
    job = Job.objects.create(owner=office_user, kind="units_import", params={"token": "abc123"})
    assert run_job(job.pk, exchange.import_job) == Job.State.FAILURE
    job.refresh_from_db()
    assert job.state == Job.State.FAILURE
    assert job.message.startswith("Another change to the same records was saved first")
    assert "IntegrityError" not in job.message and "duplicate key" not in job.message
    assert not folder.exists()  # the upload is not left behind


def test_any_other_error_fails_the_job_without_internals(office_user):
    job = Job.objects.create(owner=office_user, kind="units_import")

    def boom(job, reporter):
        raise KeyError("secret internals")

    assert run_job(job.pk, boom) == Job.State.FAILURE
    job.refresh_from_db()
    assert "secret" not in job.message and f"job {job.pk}" in job.message


def test_a_job_killed_by_the_hard_time_limit_shows_as_failed(client, office_user, settings):
    settings.CELERY_TASK_TIME_LIMIT = 360
    job = Job.objects.create(
        owner=office_user,
        kind="units_import",
        state=Job.State.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    recent = Job.objects.create(
        owner=office_user, kind="units_import", state=Job.State.RUNNING, started_at=timezone.now()
    )
    client.force_login(office_user)
    with translation.override("vi"):
        page = client.get(reverse("job-status", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.FAILURE and job.finished_at is not None
    assert "quá thời gian cho phép" in page
    client.get(reverse("job-status", args=[recent.pk]))
    recent.refresh_from_db()
    assert recent.state == Job.State.RUNNING
