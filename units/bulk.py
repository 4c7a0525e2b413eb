"""Bulk generation of registry data (demo people, and the ``--scale`` data for benchmarks).

Rows are produced by generators and written in batches: ``COPY ... FROM STDIN`` on
PostgreSQL, ``bulk_create`` elsewhere, so memory stays bounded even for 1,000,000 people
and 10,000,000 yearly ratings. Ids are assigned here (then the sequences are moved on), so
children can be written without reading their parents back. A whole generation leaves ONE
summary audit event, not one per row.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction

from emulation_portal import audit
from emulation_portal.text import fold
from units.models import (
    Discipline,
    DisciplineLevel,
    Initiative,
    InitiativeScope,
    Person,
    PersonYear,
    PositionLevel,
    Rating,
    Unit,
    UnitKind,
    UnitRating,
)
from units.services import segment

BATCH = 5000

FAMILY = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đào",
    "Đinh",
    "Trịnh",
    "Mai",
    "Tạ",
    "Lương",
    "Đoàn",
    "Vương",
    "Cao",
    "Lưu",
]
MIDDLE = {
    "F": [
        "Thị",
        "Thị",
        "Thị",
        "Thu",
        "Thanh",
        "Ngọc",
        "Minh",
        "Hồng",
        "Phương",
        "Thùy",
        "Kim",
        "Bích",
        "Diệu",
        "Hải",
    ],
    "M": [
        "Văn",
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Công",
        "Thanh",
        "Xuân",
        "Mạnh",
        "Tuấn",
        "Đình",
        "Trọng",
        "Bá",
    ],
}
GIVEN = {
    "F": [
        "Anh",
        "Ánh",
        "Hà",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Ngọc",
        "Nhung",
        "Phương",
        "Thảo",
        "Trang",
        "Vân",
        "Yến",
        "Hằng",
        "Hạnh",
        "Hiền",
        "Huyền",
        "Loan",
        "Dung",
        "Giang",
        "Oanh",
        "Quyên",
        "Thủy",
        "Duyên",
        "Chi",
        "Diệp",
        "Nga",
        "Tâm",
        "Uyên",
    ],
    "M": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đức",
        "Hải",
        "Hiếu",
        "Hùng",
        "Huy",
        "Khánh",
        "Long",
        "Minh",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Thành",
        "Trung",
        "Tuấn",
        "Tùng",
        "Việt",
        "Vinh",
        "Đạt",
        "Hoàng",
        "Kiên",
        "Lâm",
        "Toàn",
        "Nghĩa",
        "Phúc",
    ],
}
POSITIONS = [
    ("Chuyên viên", False),
    ("Chuyên viên", False),
    ("Chuyên viên chính", False),
    ("Kỹ sư", False),
    ("Nghiên cứu viên", False),
    ("Kế toán viên", False),
    ("Văn thư", False),
    ("Lái xe", False),
    ("Quan trắc viên", False),
    ("Phó Trưởng phòng", True),
    ("Trưởng phòng", True),
]
TOPICS = [
    "hồ sơ thi đua, khen thưởng",
    "quản lý văn bản điện tử",
    "thống kê đất đai",
    "quan trắc môi trường tự động",
    "dự báo khí tượng thủy văn",
    "lưu trữ tài liệu",
    "cơ sở dữ liệu tài nguyên nước",
    "đo đạc bản đồ số",
    "tiếp nhận phản ánh của người dân",
    "kiểm kê khí nhà kính",
    "giám sát xả thải",
    "cấp phép khai thác khoáng sản",
]
INITIATIVE_FORMS = [
    "Giải pháp số hoá {t}",
    "Cải tiến quy trình {t}",
    "Ứng dụng phần mềm hỗ trợ {t}",
    "Xây dựng bộ công cụ {t}",
    "Nâng cao hiệu quả {t}",
]
RATINGS = [Rating.HTXSNV, Rating.HTTNV, Rating.HTNV, Rating.KHTNV]
RATING_WEIGHTS = [15, 64, 18, 3]


def _table_columns(model, fields):
    return model._meta.db_table, [model._meta.get_field(f).column for f in fields]


def _copy_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return '"' + text.replace('"', '""') + '"'


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in ``fields`` order, ids included) in batches of 5,000."""
    total = 0
    batch: list[tuple] = []

    def flush():
        nonlocal total
        if not batch:
            return
        if connection.vendor == "postgresql":
            table, columns = _table_columns(model, fields)
            buffer = io.StringIO()
            for row in batch:
                buffer.write(",".join(_copy_value(v) for v in row))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f'COPY "{table}" ({", ".join(columns)}) FROM STDIN WITH (FORMAT csv)',
                    buffer,
                )
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in batch],
                batch_size=BATCH,
            )
        total += len(batch)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    flush()
    return total


def next_id(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequence(model) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


def person_name(rng: random.Random, gender: str) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


@dataclass
class Generated:
    units: int = 0
    unit_ratings: int = 0
    people: int = 0
    years: int = 0
    initiatives: int = 0
    disciplines: int = 0


def generate_units(
    actor, *, root: Unit, prefix: str, departments: int, per_department: int, log=print
) -> list[tuple[int, str]]:
    """Create ``departments`` departments under ``root`` with ``per_department`` sub-units
    each (bulk; paths computed here). Returns (id, code) of every unit created."""
    fields = ["id", "code", "name", "short_name", "kind", "parent_id", "path", "depth",
              "search_text"]  # fmt: skip
    rows, out = [], []
    uid = next_id(Unit)
    kinds = [UnitKind.VU, UnitKind.CUC, UnitKind.VIEN, UnitKind.TRUNG_TAM]

    def add(code, name, kind, parent_id, path, depth):
        rows.append((uid, code, name, "", kind, parent_id, path, depth, fold(f"{code} {name}")))
        out.append((uid, code))

    for d in range(departments):
        dept_id, dept_code = uid, f"{prefix}D{d + 1:03d}"
        dept_path = root.path + segment(dept_id)
        name = f"Đơn vị {prefix} số {d + 1}"
        add(dept_code, name, kinds[d % len(kinds)], root.pk, dept_path, root.depth + 1)
        uid += 1
        for s in range(per_department):
            add(f"{dept_code}P{s + 1:02d}", f"Phòng {s + 1} - {name}", UnitKind.PHONG,
                dept_id, dept_path + segment(uid), root.depth + 2)  # fmt: skip
            uid += 1
    insert_rows(Unit, fields, rows)
    reset_sequence(Unit)
    log(f"  {len(rows)} units")
    return out


def generate_people(
    actor,
    *,
    rng: random.Random,
    units: list[tuple[int, str]],
    count: int,
    years: range,
    prefix: str,
    log: Callable[[str], None] = print,
    label: str = "",
    unit_weights: list[float] | None = None,
    extra: dict | None = None,
) -> Generated:
    """Generate ``count`` people spread over ``units`` with one rating per year of
    ``years``, some initiatives and a little discipline; bulk-inserted, one audit event."""
    result = Generated()
    person_id = next_id(Person)
    year_id = next_id(PersonYear)
    initiative_id = next_id(Initiative)
    discipline_id = next_id(Discipline)
    unit_ids = [u[0] for u in units]
    chunk = 10_000
    last_year = years[-1]
    with transaction.atomic():
        for start in range(0, count, chunk):
            people, pyears, inits, discs = [], [], [], []
            for n in range(start, min(count, start + chunk)):
                gender = "F" if rng.random() < 0.52 else "M"
                name = person_name(rng, gender)
                code = f"{prefix}{n + 1:07d}"
                unit_id = (
                    rng.choices(unit_ids, unit_weights)[0] if unit_weights else rng.choice(unit_ids)
                )
                position, manager = rng.choice(POSITIONS)
                level = PositionLevel.QUAN_LY if manager else PositionLevel.TRUC_TIEP
                birth = dt.date(rng.randint(1964, 2000), rng.randint(1, 12), rng.randint(1, 28))
                people.append(
                    (
                        person_id,
                        code,
                        name,
                        gender,
                        birth,
                        position,
                        manager,
                        unit_id,
                        fold(f"{name} {code}"),
                    )
                )
                joined = max(years[0], birth.year + 22)
                moved_in = rng.choice([None, None, None, None, rng.randint(joined, last_year)])
                earlier_unit = rng.choice(unit_ids)
                for year in years:
                    if year < joined:
                        continue
                    unit_that_year = earlier_unit if moved_in and year < moved_in else unit_id
                    rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
                    pyears.append((year_id, person_id, year, unit_that_year, rating, level))
                    year_id += 1
                    if rating in (Rating.HTXSNV, Rating.HTTNV) and rng.random() < 0.08:
                        scope = rng.choices(
                            [InitiativeScope.CO_SO, InitiativeScope.BO, InitiativeScope.TOAN_QUOC],
                            [80, 18, 2],
                        )[0]
                        title = rng.choice(INITIATIVE_FORMS).format(t=rng.choice(TOPICS))
                        kind = "project" if rng.random() < 0.15 else "initiative"
                        recognized = dt.date(year, rng.randint(10, 12), rng.randint(1, 28))
                        inits.append(
                            (initiative_id, person_id, year, title, kind, scope, recognized, "")
                        )
                        initiative_id += 1
                if rng.random() < 0.006:
                    level = rng.choices(list(DisciplineLevel.values), [50, 35, 8, 4, 2, 1])[0]
                    begin = dt.date(
                        rng.randint(years[0], last_year), rng.randint(1, 12), rng.randint(1, 28)
                    )
                    end = (begin + dt.timedelta(days=365)) if rng.random() < 0.7 else None
                    discs.append((discipline_id, person_id, level, begin, end, "", ""))
                    discipline_id += 1
                person_id += 1
            result.people += insert_rows(
                Person,
                [
                    "id",
                    "code",
                    "full_name",
                    "gender",
                    "birth_date",
                    "position",
                    "is_manager",
                    "unit_id",
                    "search_text",
                ],
                people,
            )
            result.years += insert_rows(
                PersonYear,
                ["id", "person_id", "year", "unit_id", "rating", "position_level"],
                pyears,
            )
            result.initiatives += insert_rows(
                Initiative,
                [
                    "id",
                    "person_id",
                    "year",
                    "title",
                    "kind",
                    "scope",
                    "recognized_on",
                    "recognized_by",
                ],
                inits,
            )
            result.disciplines += insert_rows(
                Discipline,
                ["id", "person_id", "level", "start_date", "end_date", "decision_ref", "reason"],
                discs,
            )
            log(f"  {result.people} people, {result.years} ratings")
        for model in (Person, PersonYear, Initiative, Discipline):
            reset_sequence(model)
        audit.record(
            actor,
            "units.generate",
            object_type="generation",
            object_label=label or prefix,
            after={
                "people": result.people,
                "ratings": result.years,
                "initiatives": result.initiatives,
                "disciplines": result.disciplines,
                "years": [years[0], last_year],
                "prefix": prefix,
                **(extra or {}),
            },
        )
    return result


def generate_unit_ratings(rng: random.Random, unit_ids: Iterable[int], years: range) -> int:
    """One rating per unit and year (bulk; the caller records the summary event)."""
    first = next_id(UnitRating)

    def rows() -> Iterator[tuple]:
        i = first
        for uid in unit_ids:
            for year in years:
                yield (i, uid, year, rng.choices(RATINGS, [25, 65, 9, 1])[0])
                i += 1

    n = insert_rows(UnitRating, ["id", "unit_id", "year", "rating"], rows())
    reset_sequence(UnitRating)
    return n
