"""The yearly summary's tables from the figures, its XLSX (one sheet per table, read back),
0/0 rates as "—", a span before the oldest data, the inflation indicator's threshold, and
the filed editions of a closed year (job with progress, re-run returns the filed file, a
new edition is numbered)."""

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from awards.models import SummaryEdition
from awards.reports import services, summary
from emulation_portal.models import AuditEvent, Job
from tests.awards.factories import award
from tests.reports.helpers import table, workbook


def rows(s, key):
    return s.table(key).rows


def test_tables_count_from_the_figures(world):
    s = summary.build(2025, first_year=2023)
    by_award = {r[0]: r[3:] for r in rows(s, "by_award")}
    assert by_award["LDTT"] == [4, 0, 4]
    assert by_award["BK_BO"] == [2, 0, 2]
    assert by_award["TTLDTT"] == [0, 2, 2]
    assert by_award["CO_CP"] == [0, 0, 0]
    # titles first, then forms
    codes = [r[0] for r in rows(s, "by_award")]
    assert codes.index("CO_CP") < codes.index("GK")
    by_kind = {r[0]: r[1:] for r in rows(s, "by_kind")}
    from awards.models import AwardKind

    assert by_kind[str(AwardKind.CONG_TRANG.label)] == [6, 3, 9]
    assert by_kind[str(AwardKind.DOT_XUAT.label)] == [1, 0, 1]
    assert by_kind[str(AwardKind.CHUYEN_DE.label)] == [1, 0, 1]
    assert sum(r[3] for r in rows(s, "by_kind")) == 11
    by_unit = {r[0]: r[2:] for r in rows(s, "by_unit")}
    assert by_unit == {
        "VP": ["KHOI_T", 1, 1, 1, 1, 0, 1],
        "VP_HC": ["KHOI_T", 2, 1, 2, 0, 1, 1],
        "VU": ["KHOI_U", 2, 1, 1, 0, 2, 1],
    }
    assert [r[:1] + r[2:] for r in rows(s, "by_bloc")] == [
        ["KHOI_T", 2, 3, 5, 2],
        ["KHOI_U", 1, 2, 3, 1],
    ]
    assert rows(s, "comparison") == [
        [2023, "—", "—", "—", "—", "—", "—"],
        [2024, 1, 1, 0, 1, 0, 1],
        [2025, 5, 8, 3, 4, 1, 11],
    ]
    assert "2024" in s.table("comparison").notes[0]
    shares = rows(s, "shares")
    assert shares[0][1:] == [4, Decimal("0.5"), 2, Decimal("0.4")]  # frontline
    assert shares[1][1:] == [6, Decimal("0.75"), 3, Decimal("0.6")]  # women
    assert shares[2][1:] == [8, Decimal("1"), 5, Decimal("1")]


def test_inflation_indicator_threshold_is_a_setting(world, settings):
    assert rows(summary.build(2025), "inflation") == []  # units under 5 people: not judged
    settings.REPORTS_INFLATION_MIN_STAFF = 1
    settings.REPORTS_INFLATION_FACTOR = "1.2"
    s = summary.build(2025)
    rates = {r[0]: r[2:] for r in rows(s, "rates")}
    assert rates["VU"] == [2, Decimal("0.5"), Decimal("0.8"), Decimal("0"), Decimal("0.2"), ""]
    assert [(r[0], r[-1]) for r in rows(s, "inflation")] == [
        ("VP", "LDTT, CSTD_CS"),
        ("VP_HC", "LDTT"),
    ]


def test_zero_over_zero_is_a_dash(world):
    award(world["bo"].children.get(code="EMPTY"), "TTLDTT", 2025)
    s = summary.build(2025)
    empty = next(r for r in rows(s, "rates") if r[0] == "EMPTY")
    assert empty[2:7] == [0, "—", Decimal("0.8"), "—", Decimal("0.2")]
    assert summary.build(2019).table("shares").rows[0][1:] == [0, "—", 0, "—"]


def test_xlsx_one_sheet_per_table(world):
    s = summary.build(2025, first_year=2024)
    wb = workbook(summary.render_xlsx(s))
    assert wb.sheetnames == [t.key for t in s.tables]
    by_unit = table(wb["by_unit"])
    assert by_unit[4][:4] == ["VP", "Văn phòng", "KHOI_T", 1]
    comparison = table(wb["comparison"])
    assert comparison[4][:3] == [2024, 1, 1] and comparison[5][:3] == [2025, 5, 8]


def test_summary_of_a_closed_year_is_filed_then_returned(
    world, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_summary(office_user, year=2025, first_year=2024)
    job.refresh_from_db()
    assert isinstance(job, Job) and job.state == Job.State.SUCCESS
    assert job.total == 4 and job.done == 4  # 2 years of the span + 2 steps
    edition = SummaryEdition.objects.get()
    assert (edition.year, edition.scope, edition.edition) == (2025, "", 1)
    content = edition.file.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == edition.checksum
    assert job.result_file.open("rb").read() == content
    assert AuditEvent.objects.filter(action="reports.summary_filed").count() == 1
    # a re-run returns the filed edition, no job
    again = services.request_summary(office_user, year=2025)
    assert again == edition
    # the office asks for a new edition: numbered 2
    with django_capture_on_commit_callbacks(execute=True):
        services.request_summary(office_user, year=2025, new_edition=True)
    assert list(SummaryEdition.objects.order_by("edition").values_list("edition", flat=True)) == [
        1,
        2,
    ]


def test_open_year_is_a_draft_and_scope_is_checked(
    world, office_user, make_user, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    this_year = timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_summary(office_user, year=this_year)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCESS and "du-thao" in job.result_file.name
    assert not SummaryEdition.objects.exists()
    from emulation_portal.models import Role
    from units.models import UnitOfficer

    officer = make_user(Role.UNIT_OFFICER)
    UnitOfficer.objects.create(user=officer, unit=world["vp"])
    with pytest.raises(PermissionDenied):
        services.request_summary(officer, year=2025)  # the ministry: the office's
    with pytest.raises(PermissionDenied):
        services.request_summary(officer, year=2025, unit=world["vu"])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_summary(officer, year=2025, unit=world["vp_hc"])
    job.refresh_from_db()
    assert job.state == Job.State.SUCCESS
    assert SummaryEdition.objects.get().scope == "VP_HC"
    with pytest.raises(PermissionDenied):
        services.request_summary(officer, year=2025, unit=world["vp"], new_edition=True)


def test_span_after_the_year_is_refused(world, office_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.request_summary(office_user, year=2025, first_year=2026)
    assert not Job.objects.exists()
