"""The README tells a newcomer what the demo holds; these tests read its figures and check them against the loaded
demo, so that neither drifts from the other. The held meeting is also checked for what an office would expect:
everyone expected answered the notice, each step is dated when it happened, and CC people are not required."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from closeloop.actions.choices import OPEN_STATUSES
from closeloop.actions.models import ActionItem
from closeloop.audit.models import AuditEntry
from closeloop.collab.models import Memo
from closeloop.demo.held import HELD_TITLE
from closeloop.demo.organisation import PMO, demo_load
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.meetings.models import Meeting, Series
from closeloop.notify.models import Channel, OutboxMessage, OutboxState
from closeloop.org.models import Person
from closeloop.workcal.selectors import calendar_for

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
SEED = "项目Q3推广跨部门协作会"
TODAY = dt.date(2026, 9, 30)
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12}


def said(pattern):
    """The number the README says where `pattern` (with one (\\w+) group) matches; whitespace is free."""
    match = re.search(pattern.replace(" ", r"\s+"), README)
    assert match, f"the README no longer says {pattern!r}"
    word = match.group(1)
    return int(word) if word.isdigit() else WORDS[word]


@pytest.fixture
def demo(db):
    return demo_load(today=TODAY)


@pytest.fixture
def held(demo):
    return Meeting.objects.get(organisation=demo, title=HELD_TITLE)


def workday(org, n):
    return calendar_for(org).add_working_days(TODAY, n).date


def test_the_people_table_is_the_demo_s_people(demo):
    rows = re.findall(r"^\| `([a-z.]+)` \| ([^|]+?) \| ([^|]+?) \| ([^|(]+?)(?: \([^)]*\))? \|$", README, re.M)
    people = {p.username: (p.display_name, p.department.name, p.title)
              for p in Person.objects.filter(organisation=demo).select_related("department")}
    assert {u: (n, d, t) for u, n, d, t in rows} == people


def test_the_readme_s_figures_are_the_demo_s(demo):
    seed = Meeting.objects.get(organisation=demo, title=SEED)
    assert seed.topics.count() == said(r"with its (\w+) topics")
    departments = set(seed.participants.values_list("person__department__name", flat=True)) - {PMO}
    assert len(departments) == said(r"participants from (\w+) departments besides the PMO")
    assert seed.participants.filter(response=Response.SUBSTITUTE, response_reason="出差").count() == 1
    assert Meeting.objects.filter(organisation=demo).count() == said(r"The demo holds (\w+) meetings in all")
    series = Series.objects.get(organisation=demo)
    assert series.meetings.count() == said(r"series of the project Q3推广 \((\w+) meetings a week apart\)")


def test_the_held_meeting_s_figures_and_its_story_hold_together(demo, held):
    start = timezone.localtime(held.start).date()
    assert start == workday(demo, -said(r"held (\w+) working days ago"))
    noticed = timezone.localtime(held.notice_sent_at).date()
    assert calendar_for(demo).add_working_days(noticed, said(r"noticed (\w+) working days ahead")).date == start
    expected = held.participants.filter(required=True)
    assert expected.count() == said(r"answered by all (\w+) people expected")
    assert not expected.filter(response=Response.PENDING).exists()
    items = ActionItem.objects.filter(meeting=held, status__in=OPEN_STATUSES)
    assert items.count() == said(r"and (\w+) open action items")
    assert items.filter(due=workday(demo, 1)).count() == said(r"\((\w+) due on the next working day")
    assert items.filter(due__lt=TODAY).count() == said(r"next working day, (\w+) overdue\)")
    memo = Memo.objects.get(request__organisation=demo, signed_at__isnull=False)
    assert memo.signatures.filter(signed_at__isnull=False).count() == said(r"signed by the (\w+) heads")
    attended = set(held.record.attendance.values_list("person_id", flat=True))
    answered = dict(held.participants.values_list("person_id", "response"))
    assert attended and all(answered[pk] != Response.PENDING for pk in attended)
    day = timezone.localtime(held.start).date()
    minutes = held.minutes_versions.get()
    for moment in (minutes.submitted_at, minutes.approved_at, minutes.distributed_at):
        local = timezone.localtime(moment)
        assert local.date() == day and local > timezone.localtime(held.end)
    assert all(timezone.localtime(d).date() == day
               for d in held.record.decisions.values_list("created_at", flat=True))
    approval = AuditEntry.objects.get(action="minutes.approve", object_id=str(minutes.pk))
    assert approval.at == minutes.approved_at  # the audit trail tells the same time
    answers = held.participants.exclude(responded_at=None).values_list("responded_at", flat=True)
    assert all(held.notice_sent_at < moment < held.start for moment in answers)
    # Its mail went out back then: the worker does not send last week's notice or the minutes again today.
    mail = OutboxMessage.objects.filter(channel=Channel.EMAIL, subject__contains=HELD_TITLE)
    assert mail.filter(state=OutboxState.SENT).count() >= 2 * expected.count()  # notice and minutes each
    assert not mail.filter(state=OutboxState.PENDING).exists()
    assert all(timezone.localtime(m.sent_at).date() <= day for m in mail)


def test_people_only_copied_are_not_required(demo):
    copied = [p for m in Meeting.objects.filter(organisation=demo) for p in m.participants.all()
              if p.role_list == [ParticipantRole.CC]]
    assert copied and not any(p.required for p in copied)
