"""The summary's charts (server-drawn SVG, no script or inline style, values as text, the
numbers as a table) and its PDF (the figures in its text; filed as numbered PDF editions
beside the XLSX ones)."""

import io
import re

from pypdf import PdfReader

from awards.models import SummaryEdition
from awards.reports import charts, services, summary, summary_pdf
from emulation_portal.models import Job


def test_chart_is_self_contained_svg_with_values_as_text():
    chart = charts.bar(
        "t", "Khen thưởng", ["2024", "2025"], [("Cá nhân", [3, 5]), ("Tập thể", [1, None])]
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'id="chart-t"' in svg
    # the strict CSP blocks <script>, <style> and style="" in the page: none is left
    assert not re.search(r"<script|<style|\sstyle=", svg)
    assert 'font-family="Liberation Serif,serif"' in svg
    # readable without colour: values printed on the bars, the second series hatched
    values = re.findall(r'class="value[^"]*"[^>]*>([^<]+)<', svg)
    assert {"3", "5", "1"} <= set(values)
    assert 'fill="url(#hatch-t)"' in svg
    assert chart.rows == [["2024", 3, 1], ["2025", 5, None]]
    # the same input draws the same chart (no random ids, no dated comment)
    assert (
        str(
            charts.bar(
                "t", "Khen thưởng", ["2024", "2025"], [("Cá nhân", [3, 5]), ("Tập thể", [1, None])]
            ).svg
        )
        == svg
    )


def test_summary_charts_follow_the_tables(world):
    built = summary.build(2025, first_year=2024)
    by_key = {c.key: c for c in charts.for_summary(built)}
    assert set(by_key) == {"by-award", "comparison", "shares", "by-bloc"}
    assert by_key["comparison"].rows == [["2024", 1, 0], ["2025", 8, 3]]
    awards = {r[0]: r[1:] for r in by_key["by-award"].rows}
    assert awards[next(r[1] for r in built.table("by_award").rows if r[0] == "LDTT")] == [4, 0]
    # shares as percents: frontline workers B, D and F (fallback) hold 4 of 8 individual awards
    assert by_key["shares"].rows[0][1] == "50.0%"


def test_pdf_text_holds_the_figures(world):
    built = summary.build(2025, first_year=2024)
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(summary_pdf.render(built))).pages
    )
    text = re.sub(r"\s+", " ", text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    for t in built.tables:
        assert t.title in text
    for row in built.table("comparison").rows:
        assert " ".join(str(v) for v in row[:4]) in text
    assert "Văn phòng" in text and "Vụ Pháp chế" in text


def test_pdf_of_a_closed_year_is_filed_as_its_own_edition(
    world, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_summary(office_user, year=2025, first_year=2024, fmt="pdf")
    job.refresh_from_db()
    assert job.state == Job.State.SUCCESS and job.kind == "reports.summary_pdf"
    edition = SummaryEdition.objects.get(format="pdf")
    assert edition.edition == 1 and edition.file.name.endswith(".pdf")
    assert edition.file.open("rb").read().startswith(b"%PDF")
    # re-run: the filed PDF, no job; the XLSX is numbered on its own
    assert services.request_summary(office_user, year=2025, fmt="pdf") == edition
    with django_capture_on_commit_callbacks(execute=True):
        services.request_summary(office_user, year=2025)
    assert SummaryEdition.objects.get(format="xlsx").edition == 1
