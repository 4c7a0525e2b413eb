import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from emulation_portal.env import env, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_env_reads_name_file_for_secrets(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-from-file\n", encoding="utf-8")
    monkeypatch.delenv("PORTAL_TEST_SECRET", raising=False)
    monkeypatch.setenv("PORTAL_TEST_SECRET_FILE", str(secret))
    assert env("PORTAL_TEST_SECRET") == "s3cr3t-from-file"
    monkeypatch.setenv("PORTAL_TEST_SECRET", "direct")
    assert env("PORTAL_TEST_SECRET") == "direct"


def test_env_refuses_unreadable_file_and_bad_values(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured):
        env("PORTAL_X")
    monkeypatch.setenv("PORTAL_B", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("PORTAL_B", False)
    monkeypatch.setenv("PORTAL_I", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("PORTAL_I", 1)
    monkeypatch.setenv("PORTAL_L", "a.vn, b.vn,,")
    assert env_list("PORTAL_L", []) == ["a.vn", "b.vn"]


def _manage(*args, env_extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    key = tmp_path / "key"
    key.write_text("x7#kP9!qL2@vN5$wR8^zT1&yU4*bM6(cE3)fH0_gJ-iO+pA=sD" * 2, encoding="utf-8")
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY_FILE": str(key),
            "DJANGO_ALLOWED_HOSTS": "thidua.example.gov.vn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret(tmp_path):
    result = _manage(
        "check",
        env_extra={"DJANGO_DEBUG": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_database_url_selects_an_absolute_sqlite_path(tmp_path):
    db = tmp_path / "elsewhere.sqlite3"
    result = _manage("migrate", "--noinput", "-v0", env_extra={"DATABASE_URL": f"sqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    assert db.exists() and db.stat().st_size > 0
