"""`closeloop workdays` and `closeloop calendar`, through call_command and as a real process."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from closeloop.org.models import Organisation
from closeloop.workcal.models import CalendarDay, CalendarYear
from closeloop.workcal.selectors import calendar_for

CLOSELOOP = str(Path(sys.executable).with_name("closeloop"))
CSV_2027 = "date,kind,name\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n2027-02-08,休,春节\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_workdays_prints_only_the_date_after_national_day(org):
    out, err = run("workdays", "2026-09-30", "+3")
    assert out == "2026-10-10\n" and err == ""


@pytest.mark.django_db
def test_workdays_counts_backwards_with_a_negative_number(org):
    assert run("workdays", "2026-10-12", "-3") == ("2026-10-08\n", "")
    assert run("workdays", "2026-02-24", "-1") == ("2026-02-14\n", "")


@pytest.mark.django_db
def test_workdays_into_an_unknown_year_prints_the_date_and_warns(org):
    out, err = run("workdays", "2026-12-30", "+3")
    assert out == "2027-01-04\n"
    assert err == "2027 is not in the working calendar: counted Monday–Friday.\n"


@pytest.mark.django_db
def test_workdays_uses_the_default_organisations_overrides(org):
    CalendarDay.objects.create(organisation=org, date=dt.date(2026, 10, 9), kind="holiday", name="公司活动")
    assert Organisation.objects.order_by("id").first() == org
    assert run("workdays", "2026-09-30", "3")[0] == "2026-10-12\n"


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "named"), [
    (("2026-02-30", "+3"), "DATE"), (("30/09/2026", "+3"), "DATE"), (("2026-09-30", "three"), "N"),
    (("2026-09-30", "+1.5"), "N"),
])
def test_workdays_names_the_bad_argument(org, args, named):
    with pytest.raises(CommandError) as info:
        run("workdays", *args)
    assert f"argument {named}:" in str(info.value)


@pytest.mark.django_db
def test_calendar_import_makes_the_year_known(org, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8-sig")
    out, _err = run("calendar", "import", str(path), "--year", "2027")
    assert "2027" in out and "2027.csv" in out
    assert CalendarYear.objects.get(organisation=org, year=2027).source == "2027.csv"
    assert calendar_for(org).knows_year(2027)
    assert run("workdays", "2027-02-05", "+1") == ("2027-02-06\n", "")  # the imported 班 Saturday


@pytest.mark.django_db
def test_calendar_import_with_a_bad_row_imports_nothing_and_names_line_and_column(org, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("2027-01-01,休,元旦\n2027-02-06,上学\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run("calendar", "import", str(path))
    assert "Nothing was imported." in str(info.value)
    assert "line 2, column 2 (kind)" in str(info.value)
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_calendar_import_names_a_missing_file(org, tmp_path):
    with pytest.raises(CommandError, match="file: cannot read"):
        run("calendar", "import", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_calendar_show_prints_a_year_with_its_holidays(org):
    out, err = run("calendar", "show", "2026")
    assert "2026-10" in out and "2026-10-10  working day  National Day  (chinese-calendar)" in out
    assert " 10+" in out and "  1*" in out
    assert err == ""
    out, err = run("calendar", "show", "2027")
    assert "2027 is not in the working calendar" in err and " 1?" in out


# --- A real process: the console script as an operator types it -------------------------------

@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli-data")
    env = {**os.environ, "CLOSELOOP_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([CLOSELOOP, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=300)
    return data / "closeloop.sqlite3"


@pytest.fixture
def closeloop_process(request, tmp_path):
    """Run `closeloop ...` against this test's database: the PostgreSQL test database, or a migrated SQLite file."""
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        s = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}@"
                               f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}")
    else:
        source = request.getfixturevalue("migrated_sqlite")
        (tmp_path / "data").mkdir()
        shutil.copy(source, tmp_path / "data" / "closeloop.sqlite3")
        env["CLOSELOOP_DATA_DIR"] = str(tmp_path / "data")
        env.pop("DATABASE_URL", None)

    def call(*args):
        return subprocess.run([CLOSELOOP, *args], env=env, capture_output=True, text=True, timeout=120)

    return call


def test_the_console_script_prints_one_line_after_national_day(closeloop_process):
    done = closeloop_process("workdays", "2026-09-30", "+3")
    assert (done.returncode, done.stdout) == (0, "2026-10-10\n")
    assert done.stderr == ""
    done = closeloop_process("workdays", "2026-10-12", "-3")
    assert (done.returncode, done.stdout) == (0, "2026-10-08\n")


def test_the_console_script_warns_on_stderr_for_an_unknown_year_until_it_is_imported(closeloop_process, tmp_path):
    done = closeloop_process("workdays", "2027-02-05", "+1")
    assert (done.returncode, done.stdout) == (0, "2027-02-08\n")
    assert "2027" in done.stderr

    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    imported = closeloop_process("calendar", "import", str(path))
    assert imported.returncode == 0, imported.stderr

    done = closeloop_process("workdays", "2027-02-05", "+1")
    assert (done.returncode, done.stdout, done.stderr) == (0, "2027-02-06\n", "")


def test_the_console_script_refuses_a_bad_date_naming_it(closeloop_process):
    done = closeloop_process("workdays", "2026-09-31", "+3")
    assert done.returncode != 0 and done.stdout == ""
    assert "DATE" in done.stderr and "2026-09-31" in done.stderr


@pytest.mark.django_db
def test_calendar_import_takes_one_year_out_of_an_ics_feed_and_replaces_on_request(org, tmp_path):
    CalendarDay.objects.create(organisation=org, date=dt.date(2027, 3, 1), kind="holiday", name="旧条目")
    feed = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//example//holidays//CN",
        "BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270103", "SUMMARY:元旦",
        "END:VEVENT",
        "BEGIN:VEVENT", "UID:b", "DTSTART;VALUE=DATE:20270206", "SUMMARY:春节 补班", "END:VEVENT",
        "END:VCALENDAR", ""])
    path = tmp_path / "china.ics"
    path.write_text(feed, encoding="utf-8")
    out, _err = run("calendar", "import", str(path), "--year", "2027", "--replace")
    assert "1 earlier entries" in out
    days = dict(CalendarDay.objects.filter(organisation=org).values_list("date", "kind"))
    assert days == {dt.date(2027, 1, 1): "holiday", dt.date(2027, 1, 2): "holiday", dt.date(2027, 2, 6): "workday"}
    assert run("workdays", "2027-02-05", "+1") == ("2027-02-06\n", "")
