"""The statistical forms 0601-0605 from their layout records: every cell read back with
openpyxl, the API's cells, the office's own figures (0604/0605) empty and marked until
entered, a new circular as a new layout record, and a year with no layout in force."""

import datetime

import pytest
from django.utils import timezone

from awards.models import AwardKind, OfficeStatistics, ReportLayout
from awards.reports import statforms
from campaigns.models import Campaign
from tests.awards.factories import award
from tests.reports.helpers import grid, workbook

LEVEL_COLS = [
    "Cá nhân: Lãnh đạo Bộ, tỉnh",
    "Cá nhân: Lãnh đạo Vụ, Cục, Sở",
    "Cá nhân: Quản lý từ Phó trưởng phòng trở lên",
    "Cá nhân: Doanh nhân",
    "Cá nhân: Người lao động trực tiếp",
]
KIND_COLS = [
    "Khen thưởng công trạng",
    "Khen thưởng chuyên đề",
    "Khen thưởng đột xuất",
    "Khen thưởng đối ngoại",
    "Khen thưởng cống hiến",
]
COLS = ["Tổng số", "Tập thể", "Cá nhân", *LEVEL_COLS, "Cá nhân: nữ", *KIND_COLS]


def row(values):
    return dict(zip(COLS, values, strict=True))


def sheet(code, year=2025, unit=None):
    name, content = statforms.render_xlsx(code, year, unit)
    ws = workbook(content)[code]
    return name, ws, grid(ws, header_row=5)


def test_seeded_layouts_in_force(world):
    assert [lay.code for lay in statforms.layouts_in_force(2025)] == [
        "0601", "0602", "0603", "0604", "0605",
    ]  # fmt: skip
    assert {lay.circular for lay in statforms.layouts_in_force(2025)} == {"TT 02/2023/TT-BNV"}


def test_0603_ministry_level_awards_every_cell(world):
    name, ws, cells = sheet("0603")
    assert name == "bieu-0603-2025-BO.xlsx"
    assert ws["A1"].value == "Biểu số 0603.N/BNV-TĐKT"
    got = {label: {c: cells[(label, c)] for c in COLS} for label, _c in cells}
    zero = row([0] * 14)
    assert got["Tổng số"] == row([3, 1, 2, 0, 0, 1, 0, 1, 2, 2, 0, 1, 0, 0])
    assert got["Bằng khen của Bộ trưởng"] == row([2, 0, 2, 0, 0, 1, 0, 1, 2, 1, 0, 1, 0, 0])
    assert got["Tập thể lao động xuất sắc"] == row([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
    for label in ("Cờ thi đua của Bộ", "Chiến sĩ thi đua cấp Bộ", "Kỷ niệm chương của ngành"):
        assert got[label] == zero


def test_0602_state_level_awards_by_position_and_kind(world):
    a = world["vp"].people.get(code="A")
    award(a, "BK_TTG", 2025)
    award(a, "HCLD3", 2025, kind=AwardKind.CONG_HIEN)
    award(world["vu"], "HCLD3", 2025, kind=AwardKind.DOI_NGOAI)
    award(world["vp"], "CO_CP", 2025)
    _n, _ws, cells = sheet("0602")

    def r(label):
        return [cells[(label, c)] for c in COLS]

    assert r("Tổng số") == [4, 2, 2, 0, 2, 0, 0, 0, 2, 2, 0, 0, 1, 1]
    assert r("Huân chương Lao động hạng Ba") == [2, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1]
    assert r("Bằng khen của Thủ tướng Chính phủ") == [1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    assert r("Cờ thi đua của Chính phủ") == [1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert r("Huân chương Lao động hạng Nhất") == [0] * 14


def test_0602_unit_scope(world):
    award(world["vu"], "HCLD3", 2025)
    _n, _ws, cells = sheet("0602", unit=world["vp"])
    assert cells[("Tổng số", "Tổng số")] == 0
    _n, _ws, cells = sheet("0602", unit=world["vu"])
    assert cells[("Tổng số", "Tổng số")] == 1


def test_0601_campaigns_launched_in_the_year(world):
    day = datetime.date(2025, 3, 1)
    for kind, state in (("annual", "launched"), ("thematic", "closed"), ("thematic", "draft")):
        Campaign.objects.create(
            year=2025,
            kind=kind,
            name=f"{kind} {state}",
            starts_on=day,
            ends_on=day,
            state=state,
            launched_at=None if state == "draft" else timezone.now(),
        )
    _n, _ws, cells = sheet("0601")
    assert cells[("Tổng số", "Số phong trào")] == 2
    assert cells[("Phong trào thi đua thường xuyên", "Số phong trào")] == 1
    assert cells[("Phong trào thi đua theo đợt (chuyên đề)", "Trong đó: cấp Bộ phát động")] == 1
    assert cells[("Hưởng ứng phong trào thi đua toàn quốc", "Số phong trào")] == 0


def test_0604_0605_empty_and_marked_until_the_office_enters_them(world):
    _n, ws, cells = sheet("0605")
    assert cells[("Bộ và các đơn vị trực thuộc", "Tổng số")] is None
    notes = [ws.cell(r, 1).value for r in range(8, ws.max_row + 1)]
    assert any(n and "has not entered" in n or n and "chưa nhập" in n.lower() for n in notes)
    OfficeStatistics.objects.create(
        year=2025, offices=3, dedicated_offices=1, staff_full_time=4, staff_part_time=9,
        staff_women=7,
    )  # fmt: skip
    _n, _ws, cells = sheet("0605")
    label = "Bộ và các đơn vị trực thuộc"
    assert [cells[(label, c)] for c in ("Tổng số", "Chuyên trách", "Kiêm nhiệm", "Trong đó: nữ")] == [
        13, 4, 9, 7,
    ]  # fmt: skip
    _n, _ws, cells = sheet("0604")
    assert cells[(label, "Tổng số cơ quan thường trực")] == 3
    assert cells[(label, "Trong đó: đơn vị chuyên trách")] == 1


def test_a_new_circular_is_a_new_layout_record(world):
    old = ReportLayout.objects.get(code="0603")
    ReportLayout.objects.filter(pk=old.pk).update(effective_to=datetime.date(2025, 6, 30))
    ReportLayout.objects.create(
        code="0603",
        title="Khen thưởng cấp Bộ (mẫu mới)",
        circular="TT 18/2025/TT-BNV",
        effective_from=datetime.date(2025, 7, 1),
        layout={
            "title": ["Biểu 0603 mới"],
            "columns": [{"key": "n", "label": "Số lượng"}],
            "rows": [
                {"code": "1", "label": "Bằng khen", "cells": {"n": "award.BK_BO.person.total"}}
            ],
        },
    )
    name, content = statforms.render_xlsx("0603", 2025)
    ws = workbook(content)["0603"]
    assert ws["A1"].value == "Biểu 0603 mới"
    assert grid(ws, header_row=4)[("Bằng khen", "Số lượng")] == 2
    assert statforms.render_xlsx("0603", 2024)[1] != content  # 2024 keeps the old layout


def test_no_layout_in_force_is_a_clear_error(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        statforms.form_cells("0602", 2020)
    assert "0602" in exc.value.messages[0]


def test_text_cells_are_inert(world):
    lay = ReportLayout.objects.get(code="0601")
    lay.layout["rows"][1]["label"] = '=HYPERLINK("http://x")'
    lay.save()
    _n, content = statforms.render_xlsx("0601", 2025)
    ws = workbook(content)["0601"]
    assert ws["B7"].value == '=HYPERLINK("http://x")'
    assert ws["B7"].data_type == "s"
