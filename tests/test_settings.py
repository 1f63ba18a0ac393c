"""Settings come from the environment, strictly: a bad value stops start-up with its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # every test starts manage.py in a process of its own


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    environment |= env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("HTTPS", "yes please", "HTTPS='yes please' is not a boolean"),
        ("DB_CONN_MAX_AGE", "ten", "DB_CONN_MAX_AGE='ten' is not a whole number"),
        ("ALLOWED_HOSTS", "example.com,,", "ALLOWED_HOSTS='example.com,,' has an empty item"),
        ("DATABASE_URL", "mysql://root@localhost/cc", "DATABASE_URL names django.db.backends.mysql"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL is not usable"),
    ],
)
def test_a_malformed_setting_stops_start_up_naming_the_variable(tmp_path, variable, value, message):
    result = manage("check", **{variable: value, "DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_secret_key_is_generated_once_into_the_data_folder(tmp_path):
    assert manage("check", DATA_DIR=str(tmp_path)).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert manage("check", DATA_DIR=str(tmp_path)).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        HTTPS="true",
        HSTS_PRELOAD="true",  # the one choice left to the operator (it is hard to undo); W021 otherwise
        ALLOWED_HOSTS="cc.example.com",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_secret_is_written_in_the_repository():
    settings_text = (ROOT / "contactcenter" / "settings.py").read_text()
    assert "SECRET_KEY = _secret_key()" in settings_text
    assert "django-insecure" not in settings_text


def test_the_run_command_creates_the_admin_login_without_asking(tmp_path):
    assert manage("migrate", "--noinput", DATA_DIR=str(tmp_path)).returncode == 0
    first = manage("ensure_admin", DATA_DIR=str(tmp_path))
    assert first.returncode == 0
    password = (tmp_path / "admin_password").read_text()
    assert f"Created admin login 'admin' with password {password}" in first.stdout
    again = manage("ensure_admin", DATA_DIR=str(tmp_path))
    assert f"Log in as 'admin' with password {password}" in again.stdout
