"""Production settings pass Django's deployment checklist without a single warning."""

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "closeloop.example.com",
}


def run_closeloop(tmp_path, *args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    environ.update(CLOSELOOP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="closeloop.settings", **env)
    return subprocess.run(
        [sys.executable, "-m", "closeloop.cli", *args], env=environ, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path):
    result = run_closeloop(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_does_complain_when_debug_is_left_on(tmp_path):
    # Proves the check above can fail: the same command with DEBUG on reports security.W018.
    result = run_closeloop(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = run_closeloop(tmp_path, "check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_it_refuses_a_debug_value_that_is_neither_true_nor_false(tmp_path, value):
    result = run_closeloop(tmp_path, "check", **{**PRODUCTION, "DEBUG": value})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
