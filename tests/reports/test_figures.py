"""Every figure of ``codes.md`` "Yearly figures" against data built for the test, the
command's exact output, bad input, and queries constant at 1 and N units and people."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.reports import figures
from tests.awards.factories import PersonFactory, UnitFactory, award, rate

LEVELS0 = {"LANH_DAO_BO": 0, "LANH_DAO_VU": 0, "QUAN_LY": 0, "DOANH_NHAN": 0, "TRUC_TIEP": 0}


def levels(**kw):
    return {**LEVELS0, **kw}


MINISTRY_2025 = {
    "year": 2025,
    "unit": None,
    "awards": [
        {"award_code": "LDTT", "subject_type": "person", "kind": "cong_trang", "count": 4},
        {"award_code": "CSTD_CS", "subject_type": "person", "kind": "cong_trang", "count": 1},
        {"award_code": "TTLDTT", "subject_type": "unit", "kind": "cong_trang", "count": 2},
        {"award_code": "TTLDXS", "subject_type": "unit", "kind": "cong_trang", "count": 1},
        {"award_code": "GK", "subject_type": "person", "kind": "chuyen_de", "count": 1},
        {"award_code": "BK_BO", "subject_type": "person", "kind": "cong_trang", "count": 1},
        {"award_code": "BK_BO", "subject_type": "person", "kind": "dot_xuat", "count": 1},
    ],
    "individual_awards": {
        "total": 8,
        "women": 6,
        "by_position_level": levels(LANH_DAO_VU=2, QUAN_LY=2, TRUC_TIEP=4),
    },
    "staff": {
        "total": 5,
        "women": 3,
        "by_position_level": levels(LANH_DAO_VU=1, QUAN_LY=2, TRUC_TIEP=2),
    },
    "units": [
        {"unit_code": "VP", "staff": 1, "awards": {"LDTT": 1, "CSTD_CS": 1}},
        {"unit_code": "VP_HC", "staff": 2, "awards": {"LDTT": 2, "BK_BO": 1}},
        {"unit_code": "VU", "staff": 2, "awards": {"LDTT": 1, "GK": 1, "BK_BO": 1}},
    ],
}


def test_ministry_figures_every_key(world):
    assert figures.compute(2025).as_json() == MINISTRY_2025


def test_unit_scope_counts_people_where_their_year_puts_them(world):
    got = figures.compute(2025, world["vp"]).as_json()
    assert got == {
        "year": 2025,
        "unit": "VP",
        "awards": [
            {"award_code": "LDTT", "subject_type": "person", "kind": "cong_trang", "count": 3},
            {"award_code": "CSTD_CS", "subject_type": "person", "kind": "cong_trang", "count": 1},
            {"award_code": "TTLDTT", "subject_type": "unit", "kind": "cong_trang", "count": 1},
            {"award_code": "TTLDXS", "subject_type": "unit", "kind": "cong_trang", "count": 1},
            {"award_code": "BK_BO", "subject_type": "person", "kind": "dot_xuat", "count": 1},
        ],
        "individual_awards": {
            "total": 5,
            "women": 4,
            "by_position_level": levels(LANH_DAO_VU=2, QUAN_LY=1, TRUC_TIEP=2),
        },
        "staff": {
            "total": 3,
            "women": 2,
            "by_position_level": levels(LANH_DAO_VU=1, QUAN_LY=1, TRUC_TIEP=1),
        },
        "units": [
            {"unit_code": "VP", "staff": 1, "awards": {"LDTT": 1, "CSTD_CS": 1}},
            {"unit_code": "VP_HC", "staff": 2, "awards": {"LDTT": 2, "BK_BO": 1}},
        ],
    }


def test_year_without_data_and_unit_without_staff(world):
    empty = {
        "awards": [],
        "individual_awards": {"total": 0, "women": 0, "by_position_level": LEVELS0},
        "staff": {"total": 0, "women": 0, "by_position_level": LEVELS0},
        "units": [],
    }
    assert figures.compute(2019).as_json() == {"year": 2019, "unit": None, **empty}
    unit = figures.resolve_unit("EMPTY")
    assert figures.compute(2025, unit).as_json() == {"year": 2025, "unit": "EMPTY", **empty}


def test_command_prints_the_json_exactly(world, capsys):
    call_command("yearly_figures", "--year", "2025", "--format", "json")
    out = capsys.readouterr().out
    assert json.loads(out) == MINISTRY_2025
    assert list(json.loads(out)) == [
        "year",
        "unit",
        "awards",
        "individual_awards",
        "staff",
        "units",
    ]
    assert out == json.dumps(MINISTRY_2025, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2025", "--unit", "NOPE"], "NOPE"),
        (["--year", "abc"], "2024"),
        (["--year", "1800"], "1800"),
    ],
)
def test_command_bad_input_is_a_clear_error(world, args, message):
    with pytest.raises(CommandError) as exc:
        call_command("yearly_figures", *args)
    assert message in str(exc.value)


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
@pytest.mark.parametrize("n", [1, 6])
def test_queries_constant_in_units_and_people(n, django_assert_max_num_queries):
    bo = _grow(n)
    with CaptureQueriesContext(connection) as ctx:
        fig = figures.compute(2025)
        fig.as_json()
        figures.compute(2025, bo).as_json()
    assert fig.as_json()["staff"]["total"] == n * n
    assert len(ctx.captured_queries) == 12
