"""`closeloop extract`: one JSON object per input line; --org brings the organisation's calendar and directory."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from closeloop.smartminutes.rules.directory import department_entry, match_owner, person_entry
from closeloop.workcal.models import CalendarDay

START = "2026-04-28T15:00:00+08:00"
NOTES = "请李娜下周三前把方案发给大家\n会议决定Q3预算维持不变\n\n财务部在本周五前提交成本报告\n"


def run(*args, stdin=""):
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("extract", *args, stdout=out)
    finally:
        sys.stdin = old
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_prints_one_object_per_input_line_in_order_without_a_database():
    rows = run("--meeting-start", START, stdin=NOTES)
    assert [r["kind"] for r in rows] == ["action", "decision", "none", "action"]
    assert rows[0] == {"kind": "action", "owner": "李娜", "task": "把方案发给大家", "due": "2026-05-06",
                       "vague": False, "flags": []}
    assert rows[3]["due"] == "2026-05-01" and rows[3]["flags"] == ["due_not_working_day"]


def test_it_reads_a_file(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    assert len(run("--meeting-start", START, str(notes))) == 4


def test_a_bad_start_or_a_missing_file_is_named():
    with pytest.raises(CommandError, match="--meeting-start"):
        run("--meeting-start", "next tuesday", stdin="x")
    with pytest.raises(CommandError, match="FILE"):
        run("--meeting-start", START, "/nonexistent/notes.txt")


@pytest.mark.django_db
def test_an_unknown_organisation_is_named(org):
    with pytest.raises(CommandError, match="--org"):
        run("--org", "nobody-here", stdin="x")


def test_with_org_it_uses_the_organisations_calendar_and_directory(people, org):
    CalendarDay.objects.create(organisation=org, date="2026-05-06", kind="holiday", name="公司假日")
    rows = run("--meeting-start", START, "--org", org.name,
               stdin="请李记录节后提交报告\n销售部3个工作日内提交清单\n请刘洋明天提交\n")
    assert rows[0]["due"] == "2026-05-07"
    assert rows[0]["match"] == {"type": "person", "id": people["recorder"].pk, "name": "李记录"}
    assert rows[1]["due"] == "2026-05-07"
    assert rows[1]["match"] == {"type": "department", "id": people["departments"]["sales"].pk, "name": "销售部"}
    assert rows[2]["match"] is None
    assert run("--meeting-start", START, "--org", str(org.pk), stdin="x")[0]["match"] is None


def test_the_directory_matches_one_entry_or_none():
    directory = (
        person_entry(1, "李娜", username="li.na"), person_entry(2, "Emma Wilson", first="Emma", last="Wilson"),
        person_entry(3, "王强"), person_entry(4, "王伟"), person_entry(5, "张伟"), department_entry(10, "法务部"),
    )
    assert match_owner("李娜", directory).id == 1
    assert match_owner("li.na", directory).id == 1
    assert match_owner("Emma", directory).id == 2
    assert match_owner("法务", directory).id == 10
    assert match_owner("张总", directory).id == 5
    assert match_owner("王经理", directory) is None  # two people named 王: the recorder picks
    assert match_owner("赵磊", directory) is None
    assert match_owner(None, directory) is None
