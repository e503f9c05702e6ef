"""An archive of three held meetings with approved minutes, and one whose minutes are still a draft.

Built on the shared personas (closeloop/conftest.py): host and recorder (市场部), member (销售部, English),
head (销售部's head, never invited), outsider (财务部), admin (no department).

| meeting | when | project | who (besides host and recorder) | minutes |
| --- | --- | --- | --- | --- |
| `meeting` 项目Q3推广跨部门协作会 | 2026-06-15 | Q3推广 | member | approved |
| `budget` 年度预算复盘会 | 2025-11-20 | — | outsider | approved |
| `secret` 人员调整讨论会 (confidential) | 2026-07-01 | Q3推广 | member | approved |
| `pending` 渠道评审会 | 2026-07-10 | — | member | draft only |

So the host sees all four, the member `meeting`, `secret` and `pending`, the head (through the member,
but never a confidential meeting) `meeting` and `pending`, the outsider only `budget`.
"""

import datetime as dt

import pytest
from django.test import Client

from closeloop.actions.models import ActionItem
from closeloop.conftest import at
from closeloop.meetings.choices import ParticipantRole, TopicKind
from closeloop.meetings.services.planning import meeting_create, participant_set, topic_add
from closeloop.minutes import services as minutes_services
from closeloop.minutes.testing import minutes_flushable  # noqa: F401  (approved minutes refuse the row-by-row flush)
from closeloop.org.models import Project
from closeloop.org.services import token_create
from closeloop.record.choices import Presence
from closeloop.record.models import Attendance, Decision, MeetingRecord
from closeloop.tests_browser.conftest import audit_flushable, browser, page  # noqa: F401  (browser fixtures)


def new_meeting(people, title, start, *, guest, project=None, confidential=False):
    meeting = meeting_create(actor=people["host"], recorder=people["recorder"], data={
        "type": "decision", "title": title, "start": start, "end": start + dt.timedelta(hours=1),
        "project": project, "confidential": confidential})
    participant_set(actor=people["host"], meeting=meeting, person=guest, roles=[ParticipantRole.EXECUTOR])
    topic_add(actor=people["host"], meeting=meeting, data={
        "order": 1, "title": "讨论", "minutes": 30, "kind": TopicKind.DECIDE, "presenter": people["host"]})
    return meeting


def hold(meeting, people, *, guest, decision, items):
    """The record of a held meeting: everyone present, one decision, action items [(task, deliverable, due)]."""
    record = MeetingRecord.objects.create(meeting=meeting)
    for person in dict.fromkeys((people["host"], people["recorder"], guest)):
        Attendance.objects.create(record=record, person=person, presence=Presence.PRESENT)
    topic = meeting.topics.order_by("order").last()
    made = Decision.objects.create(record=record, topic=topic, text=decision, decided_by=people["host"],
                                   no_objection=True)
    for task, deliverable, due in items:
        ActionItem.objects.create(organisation=meeting.organisation, meeting=meeting, topic=topic, decision=made,
                                  task=task, owner=guest, department=guest.department, deliverable=deliverable,
                                  due=due, support_needed="财务部提供历史数据")
    return record


def approve(meeting, people):
    draft = minutes_services.minutes_create_draft(actor=people["recorder"], meeting=meeting, language="zh-hans")
    submitted = minutes_services.minutes_submit(actor=people["recorder"], minutes=draft)
    return minutes_services.minutes_approve(actor=people["host"], minutes=submitted)


@pytest.fixture
def project(org):
    return Project.objects.create(organisation=org, name="Q3推广")


@pytest.fixture
def archive(people, meeting, project):
    """{name: meeting} for the four meetings of the table above, each held and with its minutes."""
    meeting.project = project
    meeting.save(update_fields=["project"])
    hold(meeting, people, guest=people["member"], decision="同意增加生产线,财务部在本周五前提交成本报告",
         items=[("提交成本报告", "成本报告(含两种方案)", dt.date(2026, 6, 19)),
                ("优化落地页引导", "新版落地页上线", dt.date(2026, 6, 26))])
    budget = new_meeting(people, "年度预算复盘会", at(2025, 11, 20, 10), guest=people["outsider"])
    hold(budget, people, guest=people["outsider"], decision="预算调整方案通过",
         items=[("Update the Cost Report template", "Template v2 shared", dt.date(2025, 11, 28))])
    secret = new_meeting(people, "人员调整讨论会", at(2026, 7, 1, 10), guest=people["member"], project=project,
                         confidential=True)
    hold(secret, people, guest=people["member"], decision="向董事会提交成本报告", items=[])
    pending = new_meeting(people, "渠道评审会", at(2026, 7, 10, 10), guest=people["member"])
    hold(pending, people, guest=people["member"], decision="渠道方案待定", items=[])
    for held in (meeting, budget, secret):
        approve(held, people)
    minutes_services.minutes_create_draft(actor=people["recorder"], meeting=pending, language="zh-hans")
    return {"meeting": meeting, "budget": budget, "secret": secret, "pending": pending}


@pytest.fixture
def client_for():
    """client_for(person) → a test client signed in as that person."""
    def make(person):
        client = Client()
        client.force_login(person)
        return client
    return make


@pytest.fixture
def api_for():
    """api_for(person) → get(path) on /api/v1/archive with the person's API token."""
    def make(person):
        client = Client(headers={"Authorization": f"Bearer {token_create(person=person, name='t')[1]}"})
        return lambda path: client.get(f"/api/v1/archive{path}")
    return make
