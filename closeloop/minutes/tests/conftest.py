"""A held meeting with its record, and minutes at each stage of their life.

Built on the shared personas (closeloop/conftest.py): host and recorder (市场部), member (销售部, English),
head (销售部's head, not invited), outsider (财务部, not invited). Added here: 王五 (销售部) absent on a
business trip with 赵六 attending instead, 孙经理 heading 市场部, and 周总 on cc.
"""

import datetime as dt

import pytest
from django.test import Client

from closeloop.actions.models import ActionItem
from closeloop.conftest import make_person
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.services.planning import participant_set
from closeloop.minutes import services
from closeloop.org.models import Department
from closeloop.record.choices import Presence, ResolutionPath
from closeloop.record.models import Attendance, Decision, Disagreement, MeetingRecord, Note, TopicRecord


@pytest.fixture
def cast(people, meeting):
    """Everyone in the held meeting, by role in the story."""
    org, depts = meeting.organisation, people["departments"]
    office = Department.objects.create(organisation=org, name="总经办")
    extra = {
        "wang": make_person(org, "wang5", depts["sales"], name="王五"),
        "zhao": make_person(org, "zhao6", depts["sales"], name="赵六"),
        "market_head": make_person(org, "mhead", depts["market"], name="孙经理", language="zh-hans"),
        "cc": make_person(org, "boss", office, name="周总", language="en"),
    }
    depts["market"].head = extra["market_head"]
    depts["market"].save()
    office.head = extra["cc"]
    office.save()
    host = people["host"]
    participant_set(actor=host, meeting=meeting, person=extra["wang"], roles=[ParticipantRole.EXECUTOR])
    participant_set(actor=host, meeting=meeting, person=extra["cc"], roles=[ParticipantRole.CC], required=False)
    return {**people, **extra}


@pytest.fixture
def held(cast, meeting):
    """The meeting's record: sign-in with one absence and a substitute, notes, a disagreement, a decision and
    two action items."""
    record = MeetingRecord.objects.create(meeting=meeting)
    topics = list(meeting.topics.all())
    market, sales = cast["departments"]["market"], cast["departments"]["sales"]
    for person in (cast["host"], cast["recorder"], cast["member"]):
        Attendance.objects.create(record=record, person=person, presence=Presence.PRESENT)
    Attendance.objects.create(record=record, person=cast["wang"], presence=Presence.SUBSTITUTE, reason="出差",
                              substitute=cast["zhao"])
    Note.objects.create(record=record, topic=topics[0], department=market, author=cast["recorder"],
                        text="Q2线上曝光量达200万,但转化率低于目标(3%vs目标5%)")
    Note.objects.create(record=record, topic=topics[0], department=sales, author=cast["recorder"],
                        text="客户反馈推广信息与产品实际功能存在偏差")
    Disagreement.objects.create(
        record=record, topic=topics[2], subject="是否增加2条生产线", parties="生产部、财务部",
        positions="生产部:产能不足;财务部:需评估成本", path=ResolutionPath.DATA, owner=cast["member"],
        data_needed="成本报告", due=dt.date(2026, 6, 19),
    )
    decision = Decision.objects.create(record=record, topic=topics[2], text="同意增加生产线",
                                       decided_by=cast["host"], no_objection=True)
    TopicRecord.objects.create(record=record, topic=topics[1], no_decision_reason="等待市场数据")
    org = meeting.organisation
    ActionItem.objects.create(organisation=org, meeting=meeting, topic=topics[2], decision=decision,
                              task="提交成本报告", owner=cast["member"], department=sales,
                              deliverable="成本报告(含两种方案)", due=dt.date(2026, 6, 19))
    ActionItem.objects.create(organisation=org, meeting=meeting, topic=topics[0], task="优化落地页引导",
                              owner=cast["recorder"], department=market, deliverable="新版落地页上线",
                              due=dt.date(2026, 6, 26))
    return record


@pytest.fixture
def draft(held, cast, meeting):
    return services.minutes_create_draft(actor=cast["recorder"], meeting=meeting)


@pytest.fixture
def in_review(draft, cast):
    return services.minutes_submit(actor=cast["recorder"], minutes=draft)


@pytest.fixture
def approved(in_review, cast):
    return services.minutes_approve(actor=cast["host"], minutes=in_review)


@pytest.fixture
def distributed(approved, cast):
    return services.minutes_distribute(actor=cast["recorder"], minutes=approved)


@pytest.fixture
def client_for():
    """client_for(person) → a Django test client signed in as that person."""
    def make(person):
        client = Client()
        client.force_login(person)
        return client
    return make
