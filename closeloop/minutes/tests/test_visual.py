"""The visual check: LibreOffice turns the minutes .docx and the action plan .xlsx into PDF, poppler into PNG.

The pages must be A4 and their text layer must hold the Chinese title (so the fonts were found, not boxes).
The PNGs go to artifacts/office/ for a person to look at (CI keeps that folder). Skipped only when
LibreOffice is not installed (`make office` installs it; `make test` runs that first).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from closeloop.actions.exports import export_plan
from closeloop.actions.models import ActionItem
from closeloop.minutes.exports import minutes_docx_bytes

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "office"
A4_POINTS = (595, 842)  # 210 × 297 mm


def _run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, timeout=90, **kwargs)


def _pages(pdf):
    info = _run(["pdfinfo", str(pdf)]).stdout.decode()
    width, height = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    return round(width), round(height), int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make office)")
def test_minutes_and_action_plan_render_as_a4_pdf_with_the_chinese_title(approved, tmp_path):
    with translation.override("zh-hans"):
        (tmp_path / "minutes.docx").write_bytes(minutes_docx_bytes(approved))
    items = ActionItem.objects.filter(meeting=approved.meeting).select_related("owner", "department")
    (tmp_path / "plan.xlsx").write_bytes(export_plan(list(items), language="zh-hans", title=approved.meeting.title))
    profile = tmp_path / "profile"  # a private LibreOffice profile: parallel runs do not share a lock
    env = {**os.environ, "HOME": str(tmp_path)}
    _run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
          "--outdir", str(tmp_path), str(tmp_path / "minutes.docx"), str(tmp_path / "plan.xlsx")], env=env)

    width, height, pages = _pages(tmp_path / "minutes.pdf")
    assert (width, height) == A4_POINTS and pages >= 1  # portrait A4
    text = re.sub(r"\s", "", _run(["pdftotext", str(tmp_path / "minutes.pdf"), "-"]).stdout.decode())
    assert "跨部门协作会议纪要" in text and f"第1页共{pages}页" in text  # title and the footer's page numbers

    width, height, _ = _pages(tmp_path / "plan.pdf")
    assert (width, height) == A4_POINTS[::-1]  # landscape A4
    plan_text = re.sub(r"\s", "", _run(["pdftotext", str(tmp_path / "plan.pdf"), "-"]).stdout.decode())
    assert "行动任务" in plan_text and "提交成本报告" in plan_text and "第1页共1页" in plan_text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("minutes", "plan"):
        _run(["pdftoppm", "-png", "-r", "60", str(tmp_path / f"{name}.pdf"), str(ARTIFACTS / name)])
    assert sorted(p.name for p in ARTIFACTS.glob("minutes*.png"))
    assert sorted(p.name for p in ARTIFACTS.glob("plan*.png"))
