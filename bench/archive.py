"""The archive (年份-部门-项目) over a short and a long history: its page and API at 100 and 10,000 archived meetings.

For each size N, one organisation of 20 departments (10 people each) and 30 projects holds N meetings with
approved minutes, spread over 2 + N // 500 years (each with a host, a recorder and two executors from two
departments, every 31st meeting without a project, every 7th confidential). It prints the bytes, the median time
and the SQL queries of each read, as an administrator (who sees everything) and as a member who took part in
every 10th meeting, and the page of one project (a thirtieth of the meetings). Issue 17 asks for ≤ 300 KB and
flat time whatever the length of the history.

    .venv/bin/python bench/archive.py                        # 100 and 10,000 meetings, a temporary SQLite file
    .venv/bin/python bench/archive.py --sizes 100,1000 --repeat 3
    createdb cl_archive && DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_archive .venv/bin/python bench/archive.py
"""

import argparse
import datetime as dt
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from record import analyze, measure, report, setup  # noqa: E402  (the record bench's database, timing and output)

DEPARTMENTS, PER_DEPARTMENT, PROJECTS = 20, 10, 30


def fill(size):
    """N archived meetings; returns (admin, member, latest year, a department id of that year, a project id)."""
    from django.utils import timezone

    from closeloop.meetings.models import Meeting, Participant
    from closeloop.minutes.models import Minutes
    from closeloop.org.choices import Role
    from closeloop.org.models import Department, Organisation, Person, Project

    org = Organisation.objects.create(name=f"档案基准{size}", time_zone="Asia/Shanghai", country="CN")
    depts = Department.objects.bulk_create([Department(organisation=org, name=f"部门{i:02d}")
                                            for i in range(DEPARTMENTS)])
    depts = list(Department.objects.filter(organisation=org).order_by("pk"))
    Person.objects.bulk_create([
        Person(username=f"a{size}-{i:04d}", email=f"a{size}-{i:04d}@example.com", organisation=org,
               department=depts[i % DEPARTMENTS], display_name=f"员工{i:04d}", password="!",
               role=Role.ADMIN if i == 0 else Role.MEMBER) for i in range(DEPARTMENTS * PER_DEPARTMENT)])
    people = list(Person.objects.filter(organisation=org).order_by("pk"))
    Project.objects.bulk_create([Project(organisation=org, name=f"项目{i:02d}") for i in range(PROJECTS)])
    projects = list(Project.objects.filter(organisation=org).order_by("pk"))
    years = 2 + size // 500
    last = timezone.now().replace(month=6, day=1, hour=2, minute=0, second=0, microsecond=0)
    step = dt.timedelta(days=365 * years) / size
    Meeting.objects.bulk_create([
        Meeting(organisation=org, type="decision", title=f"档案会议{i:05d}", state="noticed",
                start=last - step * i, end=last - step * i + dt.timedelta(hours=1), confidential=i % 7 == 0,
                project=None if i % 31 == 0 else projects[i % PROJECTS], ical_uid=f"{secrets.token_hex(16)}@bench")
        for i in range(size)], batch_size=1000)
    meetings = list(Meeting.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True))
    member = people[1]
    rows = []
    for i, pk in enumerate(meetings):
        chosen = [people[(i * 3) % len(people)], people[(i * 3 + 1) % len(people)],
                  people[(i * 7 + 2) % len(people)], people[(i * 11 + 5) % len(people)]]
        if i % 10 == 0:
            chosen[3] = member
        roles = ["host", "recorder", "executor", "executor"]
        for person, role in dict(zip(chosen, roles, strict=True)).items():
            rows.append(Participant(meeting_id=pk, person=person, roles=role, token=secrets.token_urlsafe(16)))
    Participant.objects.bulk_create(rows, batch_size=2000)
    now = timezone.now()
    Minutes.objects.bulk_create([Minutes(meeting_id=pk, number=1, state="approved", approved_at=now,
                                         approved_by=people[0]) for pk in meetings], batch_size=1000)
    year = timezone.localtime(last).year
    return people[0], member, year, member.department_id, projects[1].pk


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the rows to this file (for bench/all.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(str(Path(tmp) / "archive.sqlite3"))
        from django.test import Client

        from closeloop.org.services import token_create

        rows = []
        for size in [int(s) for s in args.sizes.split(",")]:
            t0 = time.perf_counter()
            admin, member, year, department, project = fill(size)
            analyze()
            print(f"# {size} meetings filled in {time.perf_counter() - t0:.1f} s", flush=True)
            for who, person in (("admin", admin), ("member", member)):
                client = Client()
                client.force_login(person)
                token = token_create(person=person, name="bench")[1]
                reads = (("archive page", "/archive/", {}),
                         ("archive page, a year", f"/archive/?year={year}", {}),
                         ("archive page, a department", f"/archive/?year={year}&department={department}", {}),
                         ("API tree", "/api/v1/archive/tree", {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
                         ("API tree, a year", f"/api/v1/archive/tree?year={year}",
                          {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
                         ("project page", f"/archive/projects/{project}/", {}))
                for name, url, extra in reads:
                    size_b, ms, queries = measure(client, url, args.repeat, **extra)
                    rows.append((f"{name} ({who})", size, size_b, ms, queries))
                    print(f"{name + ' (' + who + ')':<36} {size:>6}  {size_b / 1024:8.1f} KB  {ms:8.1f} ms  "
                          f"{queries:3d} queries", flush=True)
        report(rows, "meetings", args.json)


if __name__ == "__main__":
    main()
