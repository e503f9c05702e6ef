"""`make run` points the links of mails and robot cards at the server it starts: SITE_URL follows HOST_PORT
unless SITE_URL is given (issue 12, point 6). Read from the real Makefile, in a copy, with a probe target run
before the server (which the probe stops, so nothing is installed or served)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = 'run: probe\nprobe:\n\t@echo "SITE_URL=$$SITE_URL"; exit 3\n'


def site_url_of_make_run(tmp_path, *assignments):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "probe.mk").write_text(PROBE, encoding="utf-8")
    # -o: the translations and the demo count as made; the probe runs before the server and stops make.
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST_PORT", "MAKEFLAGS")}
    done = subprocess.run(["make", "-s", "-f", "Makefile", "-f", "probe.mk", "-o", "messages", "-o", "demo", "run",
                           *assignments], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    lines = [line for line in done.stdout.splitlines() if line.startswith("SITE_URL=")]
    assert lines, done.stdout + done.stderr
    return lines[0].removeprefix("SITE_URL=")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_run_sets_site_url_from_host_port_unless_given(tmp_path):
    assert site_url_of_make_run(tmp_path) == "http://127.0.0.1:8000"
    assert site_url_of_make_run(tmp_path, "HOST_PORT=0.0.0.0:9000") == "http://0.0.0.0:9000"
    assert site_url_of_make_run(tmp_path, "SITE_URL=https://closeloop.example.cn") == "https://closeloop.example.cn"
