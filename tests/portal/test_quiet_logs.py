"""Quiet logs (issue 15): an expected refusal is one line, PDF libraries keep their progress
to themselves, the browser finds a favicon, and `make run` lists every demo login."""

import io
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from emulation_portal.demo import demo_account
from emulation_portal.models import Role

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_expected_403_logs_one_line_without_traceback(client, viewer_user, caplog):
    client.force_login(viewer_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.post(reverse("audit-export")).status_code == 403
    records = _request_records(caplog)
    assert len(records) == 1 and records[0].status_code == 403
    assert records[0].exc_info is None and "Traceback" not in caplog.text


def test_expected_404_logs_one_line_without_traceback(client, viewer_user, caplog):
    client.force_login(viewer_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("job-detail", args=[987654])).status_code == 404
    records = _request_records(caplog)
    assert len(records) == 1 and records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_a_real_error_keeps_its_traceback():
    from emulation_portal.logfilters import ExpectedRefusalFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), sys.exc_info())
    record.status_code = 500
    assert ExpectedRefusalFilter().filter(record) and record.exc_info is not None


def test_pdf_libraries_progress_is_silenced():
    for name in ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name


def test_layout_links_a_favicon_that_exists(client, viewer_user):
    from django.contrib.staticfiles import finders

    client.force_login(viewer_user)
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert finders.find("favicon.svg") and finders.find("favicon.ico")
    r = client.get("/favicon.ico")
    assert r.status_code in (301, 302) and r["Location"].endswith("favicon.ico")


def test_demo_accounts_lists_every_demo_login():
    names = ["quantri", "thidua", "thidua2", "donvi", "donvi2", "khoitruong", "hoidong", "xem"]
    roles = {
        "quantri": Role.ADMIN,
        "thidua": Role.OFFICE,
        "thidua2": Role.OFFICE,
        "hoidong": Role.COUNCIL,
        "xem": Role.VIEWER,
    }
    for name in names:
        demo_account(name, roles.get(name, Role.UNIT_OFFICER), f"Người {name}")
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    listed = {line.split()[-3] for line in out.getvalue().splitlines() if "Người" in line}
    assert listed == set(names)
    assert "ThiDua@2026" in out.getvalue()
