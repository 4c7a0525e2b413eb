"""Seed the layouts of the Home Affairs ministry's statistical forms 0601-0605 (TT 02/2023/
TT-BNV, rules.md "Yearly reporting") as data: rows, columns and which figure key fills each
cell (keys of ``awards.reports.figures.flat``). A new circular is a new layout record."""

import datetime

from django.db import migrations

CIRCULAR = "TT 02/2023/TT-BNV"
# The circular's own effective date was not confirmed: seeded from the first reporting
# year it governs; the office can correct the period in Django admin.
EFFECTIVE_FROM = datetime.date(2023, 1, 1)
LEVELS = [
    ("LANH_DAO_BO", "Lãnh đạo Bộ, tỉnh"),
    ("LANH_DAO_VU", "Lãnh đạo Vụ, Cục, Sở"),
    ("QUAN_LY", "Quản lý từ Phó trưởng phòng trở lên"),
    ("DOANH_NHAN", "Doanh nhân"),
    ("TRUC_TIEP", "Người lao động trực tiếp"),
]
KINDS = [
    ("cong_trang", "Công trạng"),
    ("chuyen_de", "Chuyên đề"),
    ("dot_xuat", "Đột xuất"),
    ("doi_ngoai", "Đối ngoại"),
    ("cong_hien", "Cống hiến"),
]


def award_layout(title, rows, total_stems):
    columns = [
        {"key": "total", "label": "Tổng số"},
        {"key": "unit", "label": "Tập thể"},
        {"key": "person", "label": "Cá nhân"},
        *({"key": f"level_{c}", "label": f"Cá nhân: {label}"} for c, label in LEVELS),
        {"key": "women", "label": "Cá nhân: nữ"},
        *({"key": f"kind_{k}", "label": f"Khen thưởng {label.lower()}"} for k, label in KINDS),
    ]

    def cells(stems):
        return {
            "total": [f"{s}.{sub}.total" for s in stems for sub in ("person", "unit")],
            "unit": [f"{s}.unit.total" for s in stems],
            "person": [f"{s}.person.total" for s in stems],
            **{f"level_{c}": [f"{s}.person.level.{c}" for s in stems] for c, _l in LEVELS},
            "women": [f"{s}.person.women" for s in stems],
            **{
                f"kind_{k}": [f"{s}.{sub}.kind.{k}" for s in stems for sub in ("person", "unit")]
                for k, _l in KINDS
            },
        }

    return {
        "title": title,
        "columns": columns,
        "rows": [
            {"code": "", "label": "Tổng số", "cells": cells(total_stems), "bold": True},
            *(
                {"code": str(i), "label": label, "cells": cells([f"award.{code}"])}
                for i, (code, label) in enumerate(rows, start=1)
            ),
        ],
        "notes": [
            "Cá nhân theo cấp: vị trí công tác trong năm báo cáo; chưa ghi nhận thì cán bộ "
            "quản lý tính là quản lý, người khác là người lao động trực tiếp.",
        ],
    }


LAYOUTS = [
    (
        "0601",
        "Số phong trào thi đua",
        {
            "title": ["Biểu số 0601.N/BNV-TĐKT", "SỐ PHONG TRÀO THI ĐUA"],
            "columns": [
                {"key": "count", "label": "Số phong trào"},
                {"key": "ministry", "label": "Trong đó: cấp Bộ phát động"},
            ],
            "rows": [
                {
                    "code": "",
                    "label": "Tổng số",
                    "bold": True,
                    "cells": {"count": "campaigns.total", "ministry": "campaigns.total"},
                },
                {
                    "code": "1",
                    "label": "Phong trào thi đua thường xuyên",
                    "cells": {
                        "count": "campaigns.kind.annual",
                        "ministry": "campaigns.kind.annual",
                    },
                },
                {
                    "code": "2",
                    "label": "Phong trào thi đua theo đợt (chuyên đề)",
                    "cells": {
                        "count": "campaigns.kind.thematic",
                        "ministry": "campaigns.kind.thematic",
                    },
                },
                {
                    "code": "3",
                    "label": "Hưởng ứng phong trào thi đua toàn quốc",
                    "cells": {
                        "count": "campaigns.kind.national",
                        "ministry": "campaigns.kind.national",
                    },
                },
            ],
            "notes": ["Phong trào đã phát động trong năm báo cáo (không tính bản nháp)."],
        },
    ),
    (
        "0602",
        "Số lượng khen thưởng cấp Nhà nước",
        award_layout(
            ["Biểu số 0602.N/BNV-TĐKT", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"],
            [
                ("HCLD1", "Huân chương Lao động hạng Nhất"),
                ("HCLD2", "Huân chương Lao động hạng Nhì"),
                ("HCLD3", "Huân chương Lao động hạng Ba"),
                ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc"),
                ("CO_CP", "Cờ thi đua của Chính phủ"),
                ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ"),
            ],
            ["authority.president", "authority.prime_minister"],
        ),
    ),
    (
        "0603",
        "Số lượng khen thưởng cấp Bộ",
        award_layout(
            ["Biểu số 0603.N/BNV-TĐKT", "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, TỈNH"],
            [
                ("CO_BO", "Cờ thi đua của Bộ"),
                ("CSTD_BO", "Chiến sĩ thi đua cấp Bộ"),
                ("TTLDXS", "Tập thể lao động xuất sắc"),
                ("BK_BO", "Bằng khen của Bộ trưởng"),
                ("KNC", "Kỷ niệm chương của ngành"),
            ],
            ["authority.minister"],
        ),
    ),
    (
        "0604",
        "Số cơ quan thường trực thi đua, khen thưởng",
        {
            "title": ["Biểu số 0604.N/BNV-TĐKT", "SỐ CƠ QUAN LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG"],
            "columns": [
                {"key": "offices", "label": "Tổng số cơ quan thường trực"},
                {"key": "dedicated", "label": "Trong đó: đơn vị chuyên trách"},
            ],
            "rows": [
                {
                    "code": "1",
                    "label": "Bộ và các đơn vị trực thuộc",
                    "cells": {"offices": "office.offices", "dedicated": "office.dedicated_offices"},
                }
            ],
            "notes": [
                "Số liệu do Vụ Tổ chức cán bộ nhập (Thống kê cơ quan thi đua, khen thưởng) "
                "vì sổ đăng ký không lưu thông tin này.",
            ],
        },
    ),
    (
        "0605",
        "Số người làm công tác thi đua, khen thưởng",
        {
            "title": ["Biểu số 0605.N/BNV-TĐKT", "SỐ NGƯỜI LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG"],
            "columns": [
                {"key": "total", "label": "Tổng số"},
                {"key": "full_time", "label": "Chuyên trách"},
                {"key": "part_time", "label": "Kiêm nhiệm"},
                {"key": "women", "label": "Trong đó: nữ"},
            ],
            "rows": [
                {
                    "code": "1",
                    "label": "Bộ và các đơn vị trực thuộc",
                    "cells": {
                        "total": ["office.staff_full_time", "office.staff_part_time"],
                        "full_time": "office.staff_full_time",
                        "part_time": "office.staff_part_time",
                        "women": "office.staff_women",
                    },
                }
            ],
            "notes": [
                "Số liệu do Vụ Tổ chức cán bộ nhập (Thống kê cơ quan thi đua, khen thưởng) "
                "vì sổ đăng ký không lưu thông tin này.",
            ],
        },
    ),
]


def seed(apps, schema_editor):
    ReportLayout = apps.get_model("awards", "ReportLayout")
    for code, title, layout in LAYOUTS:
        ReportLayout.objects.get_or_create(
            code=code,
            effective_from=EFFECTIVE_FROM,
            defaults={"title": title, "circular": CIRCULAR, "layout": layout},
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0013_reports")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
