"""The demo organisation: 示例科技有限公司, its people and meetings in every planning state.

Dates are counted in working days from today on the organisation's calendar, so the demo always
looks current. Departments and people are written directly (one password hash for all, which keeps
loading fast); projects, series and meetings only through the services, as a person would build them.
"""

import datetime as dt
import zoneinfo

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.collab.models import Memo, MemoSignature, Request, ResourceRequest
from closeloop.demo.clock import past_clock
from closeloop.demo.held import HELD_TITLE, build_held_meeting
from closeloop.demo.requests import build_requests
from closeloop.demo.retrospectives import build_retrospective
from closeloop.meetings.choices import MeetingType, ParticipantRole, Response, TopicKind
from closeloop.meetings.models import Material, Meeting, Series
from closeloop.meetings.services.notice import meeting_cancel, notice_send
from closeloop.meetings.services.planning import (
    material_add,
    meeting_create,
    participant_respond,
    participant_set,
    topic_add,
)
from closeloop.meetings.services.series import series_create
from closeloop.notify.models import Channel, OutboxMessage, OutboxState
from closeloop.org.choices import Language, Role
from closeloop.org.models import Department, Organisation, Person, Project
from closeloop.org.selectors import policy_for
from closeloop.org.services import project_create
from closeloop.workcal.selectors import calendar_for

ORG_NAME = "示例科技有限公司"
PASSWORD = "closeloop-demo"
PMO = "项目管理办公室(PMO)"
DEPARTMENTS = ["市场部", "销售部", "产品部", "财务部", PMO]

# username, display name, department, title, role, language; the first person of a department heads it.
PEOPLE = [
    ("pmo", "周敏", PMO, "PMO负责人", Role.ADMIN, Language.ZH_HANS),
    ("zhao.assistant", "赵婷", PMO, "项目助理", Role.MEMBER, Language.ZH_HANS),
    ("zhang.market", "张伟", "市场部", "市场部经理", Role.HEAD, Language.ZH_HANS),
    ("liu.market", "刘洋", "市场部", "市场专员", Role.MEMBER, Language.ZH_HANS),
    ("wang.sales", "王强", "销售部", "销售部经理", Role.HEAD, Language.ZH_HANS),
    ("chen.sales", "陈静", "销售部", "大客户销售主管", Role.MEMBER, Language.ZH_HANS),
    ("sun.sales", "孙磊", "销售部", "销售专员", Role.MEMBER, Language.ZH_HANS),
    ("li.product", "李娜", "产品部", "产品部经理", Role.HEAD, Language.ZH_HANS),
    ("emma.product", "Emma Wilson", "产品部", "Product designer", Role.MEMBER, Language.EN),
    ("qian.finance", "钱芳", "财务部", "财务部经理", Role.HEAD, Language.ZH_HANS),
    ("wu.finance", "吴浩", "财务部", "财务分析师", Role.MEMBER, Language.ZH_HANS),
]

PREREAD = """# Q2推广数据摘要

- 线上曝光量：200万（目标150万）
- 转化率：3%（目标5%）
- 主要问题：落地页引导不清晰；推广信息与产品实际功能存在偏差
"""


class DemoError(Exception):
    """The demo cannot be loaded as asked (e.g. a demo username belongs to another organisation)."""


def demo_load(*, reset=False, today=None):
    """Create the demo organisation; returns it, or None when it already exists and reset is False.

    With reset, the demo's meetings, series and projects are rebuilt and the demo people get their
    password back. People are kept, not deleted: the append-only audit trail refers to them.
    """
    with transaction.atomic():
        org = Organisation.objects.filter(name=ORG_NAME).first()
        if org is not None and not reset:
            return None
        if org is None:
            org = Organisation.objects.create(name=ORG_NAME, time_zone="Asia/Shanghai", country="CN")
        else:
            _clear(org)
        policy_for(org)
        people = _people(org)
        _Builder(org, people, today).build()
        return org


def _clear_requests(org):
    """Requests go, except those whose memo was signed: the database keeps a signed memo for good."""
    kept = Request.objects.filter(organisation=org, memos__signed_at__isnull=False).distinct()
    gone = Request.objects.filter(organisation=org).exclude(pk__in=kept.values("pk"))
    ResourceRequest.objects.filter(request__in=gone).delete()
    MemoSignature.objects.filter(memo__request__in=gone).delete()
    Memo.objects.filter(request__in=gone).order_by("-number").delete()
    for material in [m.file for r in gone for m in r.materials.all()]:
        transaction.on_commit(lambda f=material: f.delete(save=False))
    gone.delete()


def _clear(org):
    _clear_requests(org)
    # No service deletes meetings (they are cancelled instead); the demo may, as it owns them. Meetings whose
    # minutes were approved are records the database keeps for good: they stay, with their project.
    kept = Meeting.objects.filter(organisation=org, minutes_versions__approved_at__isnull=False).distinct()
    files = [m.file for m in Material.objects.filter(meeting__organisation=org).exclude(meeting__in=kept)]
    try:
        with transaction.atomic():
            Meeting.objects.filter(organisation=org).exclude(pk__in=kept.values("pk")).delete()
    except (DatabaseError, ProtectedError) as exc:
        raise DemoError(_(
            "The demo's meetings now hold records the database keeps for good (such as approved minutes), "
            "so the demo cannot be rebuilt in this database. Start from an empty database instead."
        )) from exc
    Series.objects.filter(organisation=org).exclude(meetings__in=kept).delete()
    Project.objects.filter(organisation=org).exclude(meetings__in=kept).delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


def _people(org):
    departments = {}
    for name in DEPARTMENTS:
        departments[name], _created = Department.objects.get_or_create(organisation=org, name=name)
    people = {}
    hashed = make_password(PASSWORD)  # hashing is slow on purpose; once is enough for a demo
    for username, name, dept, title, role, language in PEOPLE:
        person = Person.objects.filter(username=username).first()
        if person is not None and person.organisation_id != org.pk:
            raise DemoError(_("The username %(username)s already belongs to another organisation.")
                            % {"username": username})
        person = person or Person(username=username)
        person.organisation = org
        person.display_name = name
        person.email = f"{username}@example.com"
        person.department = departments[dept]
        person.title = title
        person.role = role
        person.language = language
        person.is_active = True
        person.password = hashed
        person.save()
        people[username] = person
        if departments[dept].head_id is None:
            departments[dept].head = person
            departments[dept].save(update_fields=["head"])
    return people


class _Builder:
    def __init__(self, org, people, today):
        self.org = org
        self.p = people
        self.tz = zoneinfo.ZoneInfo(org.time_zone)
        self.today = today or timezone.localdate(timezone=self.tz)
        self.calendar = calendar_for(org)
        self.project = Project.objects.filter(organisation=org, name="Q3推广").first() or project_create(
            actor=people["pmo"], organisation=org, data={
                "name": "Q3推广", "department": people["zhang.market"].department, "lead": people["zhang.market"]})

    def workday(self, n):
        """The date n working days after today."""
        return self.calendar.add_working_days(self.today, n).date

    def nearest_workday(self, day, step):
        """day itself if it is a working day, else the next one in the direction of step (+1/-1)."""
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=step)
        return day

    def at(self, day, hh, mm=0):
        return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=self.tz)

    def meeting(self, *, host, recorder=None, day, start, minutes, topics, participants, **data):
        begin = self.at(day, *start)
        data.update(start=begin, end=begin + dt.timedelta(minutes=minutes))
        m = meeting_create(actor=host, data=data, recorder=recorder)
        for username, roles in participants:
            # Someone only copied (抄送) is told, not expected: not marked 必须参会.
            participant_set(actor=host, meeting=m, person=self.p[username], roles=roles,
                            required=set(roles) != {ParticipantRole.CC})
        for title, presenter, mins, kind, outcome, extra in topics:
            topic_add(actor=host, meeting=m, data={
                "title": title, "presenter": self.p[presenter] if presenter else None, "minutes": mins,
                "kind": kind, "required_outcome": outcome, **extra,
            })
        m.refresh_from_db()
        return m

    def notice(self, meeting, actor, now=None):
        notice_send(actor=actor, meeting=meeting, now=now)
        meeting.refresh_from_db()

    def cancel(self, meeting, actor, reason):
        meeting_cancel(actor=actor, meeting=meeting, reason=reason)
        meeting.refresh_from_db()

    def answer(self, meeting, username, response, reason="", substitute=None):
        participant = meeting.participants.get(person=self.p[username])
        participant_respond(
            participant=participant, response=response, reason=reason,
            substitute=self.p[substitute] if substitute else None,
        )

    def build(self):
        started = timezone.now()
        seed = self.seed_meeting()
        self.budget_review_draft()
        self.kickoff_noticed()
        self.cancelled_retrospective()
        self.weekly_series()
        self.confidential_meeting()
        if not Meeting.objects.filter(organisation=self.org, title=HELD_TITLE).exists():
            build_held_meeting(self)
        build_requests(self, seed)
        build_retrospective(self)
        # Mail about the demo's past (last week's notice, the held meeting's notice and minutes) went out back
        # then; the worker should not send it now. In-app messages stay queued so that the inbox holds them.
        OutboxMessage.objects.filter(recipient__organisation=self.org, channel=Channel.EMAIL,
                                     state=OutboxState.PENDING, created_at__lt=started).update(
            state=OutboxState.SENT, sent_at=F("created_at"))

    def seed_meeting(self):
        """The example of reference template 001: 项目Q3推广跨部门协作会."""
        m = self.meeting(
            host=self.p["zhang.market"], recorder=self.p["zhao.assistant"], day=self.workday(5),
            start=(14, 0), minutes=90, project=self.project, type=MeetingType.DECISION,
            title="项目Q3推广跨部门协作会",
            objective="确定Q3产品推广目标、策略与各部门分工，形成可执行的行动计划。",
            scope="Q3（7–9月）国内线上与线下推广；不含海外市场。",
            place="公司3楼会议室A / 线上会议（腾讯会议）",
            online_link="https://meeting.tencent.com/dm/closeloop-demo",
            participants=[
                ("liu.market", ["presenter", "executor"]),
                ("wang.sales", ["decision_maker"]),
                ("chen.sales", ["executor"]),
                ("li.product", ["presenter", "decision_maker"]),
                ("emma.product", ["executor"]),
                ("qian.finance", ["decision_maker"]),
                ("pmo", ["cc"]),
            ],
            topics=[
                ("Q2推广活动复盘", "liu.market", 15, TopicKind.INFORM,
                 "明确Q2转化率低于目标（3% vs 目标5%）的原因", {"presentation_minutes": 10,
                                                            "materials_note": "Q2推广数据报表"}),
                ("Q3推广目标及策略讨论", "zhang.market", 25, TopicKind.DISCUSS,
                 "确定Q3推广目标与主推渠道", {}),
                ("部门分工与资源协调", "li.product", 25, TopicKind.DECIDE,
                 "确定市场部、销售部、产品部、财务部的分工与预算", {}),
                ("行动计划确认", "zhao.assistant", 10, TopicKind.DECIDE,
                 "每项行动明确负责人、完成时间与所需支持", {}),
            ],
        )
        first = m.topics.order_by("order").first()
        material_add(actor=self.p["liu.market"], meeting=m, topic=first, pages=2,
                     upload=ContentFile(PREREAD.encode(), name="Q2推广数据摘要.md"))
        self.notice(m, self.p["zhang.market"])
        for username in ("liu.market", "wang.sales", "li.product", "emma.product", "qian.finance"):
            self.answer(m, username, Response.ACCEPTED)
        self.answer(m, "chen.sales", Response.SUBSTITUTE, reason="出差", substitute="sun.sales")
        return m

    def budget_review_draft(self):
        """A draft that breaks the agenda rules: short notice, too long, two topics, no decision-maker."""
        return self.meeting(
            host=self.p["qian.finance"], day=self.workday(2), start=(10, 0), minutes=120,
            project=self.project, type=MeetingType.RESOURCE_REVIEW, title="Q3推广渠道预算评审会",
            objective="评审各渠道预算申请。", place="公司5楼财务部会议室",
            participants=[("zhang.market", ["presenter"]), ("wu.finance", ["executor"])],
            topics=[
                ("各渠道预算申请说明", "zhang.market", 45, TopicKind.DISCUSS, "", {}),
                ("预算审批", "qian.finance", 60, TopicKind.DECIDE, "", {}),
            ],
        )

    def kickoff_noticed(self):
        m = self.meeting(
            host=self.p["li.product"], recorder=self.p["zhao.assistant"], day=self.workday(4), start=(10, 0),
            minutes=60, type=MeetingType.KICKOFF, title="Q4新品发布筹备启动会",
            objective="明确新品发布时间表与各部门职责。", place="公司3楼会议室B",
            participants=[
                ("zhang.market", ["decision_maker"]), ("emma.product", ["presenter", "executor"]),
                ("wang.sales", ["informed"]),
            ],
            topics=[
                ("新品功能与定位介绍", "emma.product", 15, TopicKind.INFORM, "各部门了解新品核心卖点", {}),
                ("发布节奏讨论", "li.product", 20, TopicKind.DISCUSS, "形成发布时间表草案", {}),
                ("职责分工", "li.product", 15, TopicKind.DECIDE, "确定各部门负责人", {}),
            ],
        )
        self.notice(m, self.p["li.product"])
        self.answer(m, "emma.product", Response.ACCEPTED)
        self.answer(m, "wang.sales", Response.DECLINED, reason="与重要客户拜访时间冲突")
        return m

    def cancelled_retrospective(self):
        m = self.meeting(
            host=self.p["wang.sales"], recorder=self.p["sun.sales"], day=self.workday(3), start=(15, 0),
            minutes=60, type=MeetingType.RETROSPECTIVE, title="618大促销售复盘会",
            place="公司2楼销售部会议室",
            participants=[("chen.sales", ["presenter"]), ("zhang.market", ["informed"])],
            topics=[
                ("销售数据回顾", "chen.sales", 20, TopicKind.INFORM, "", {}),
                ("问题与改进", "wang.sales", 20, TopicKind.DISCUSS, "列出三项改进措施", {}),
                ("改进责任确认", "wang.sales", 10, TopicKind.DECIDE, "每项改进明确负责人", {}),
            ],
        )
        self.cancel(m, self.p["wang.sales"], "与季度经营分析会时间冲突，改期另行通知")
        return m

    def weekly_series(self):
        series = series_create(actor=self.p["pmo"], name="Q3推广周例会", project=self.project)
        anchor = self.workday(1)
        meetings = []
        for offset in (-7, 0, 7):
            day = self.nearest_workday(anchor + dt.timedelta(days=offset), -1 if offset < 0 else 1)
            m = self.meeting(
                host=self.p["pmo"], recorder=self.p["zhao.assistant"], day=day, start=(9, 30), minutes=30,
                project=self.project, series=series, type=MeetingType.WEEKLY_SYNC, title="Q3推广周例会",
                objective="跟踪Q3推广行动计划进展，协调解决障碍。", online_link="https://meeting.tencent.com/dm/q3-weekly",
                participants=[("zhang.market", ["decision_maker", "executor"])]
                + [(u, ["executor"]) for u in ("wang.sales", "li.product", "qian.finance")],
                topics=[
                    ("上周行动项回顾", "zhao.assistant", 10, TopicKind.INFORM, "", {}),
                    ("本周进展与风险", "zhang.market", 5, TopicKind.DISCUSS, "", {}),
                    ("需协调事项", "pmo", 5, TopicKind.DECIDE, "明确协调结果与负责人", {}),
                ],
            )
            if offset < 0:  # last week's notice went out three working days before that meeting
                sent = self.at(self.calendar.add_working_days(day, -3).date, 17)
                with past_clock() as clock:
                    clock.at(sent)
                    self.notice(m, self.p["pmo"], now=sent)
            elif offset == 0:
                self.notice(m, self.p["pmo"])
            if offset < 0:  # last week's meeting took place: everyone had answered the notice the next morning
                with past_clock() as clock:
                    clock.at(sent + dt.timedelta(hours=16))
                    for username in m.participants.values_list("person__username", flat=True):
                        self.answer(m, username, Response.ACCEPTED)
            meetings.append(m)
        return meetings

    def confidential_meeting(self):
        return self.meeting(
            host=self.p["wang.sales"], recorder=self.p["zhao.assistant"], day=self.workday(6), start=(16, 0),
            minutes=45, type=MeetingType.DECISION, title="渠道返点政策调整", confidential=True,
            objective="决定Q3渠道返点比例。", place="公司6楼小会议室",
            participants=[("qian.finance", ["decision_maker"])],
            topics=[
                ("现行返点执行情况", "wang.sales", 10, TopicKind.INFORM, "", {}),
                ("调整方案", "wang.sales", 15, TopicKind.DISCUSS, "", {}),
                ("返点比例决定", "qian.finance", 10, TopicKind.DECIDE, "确定Q3返点比例", {}),
            ],
        )
