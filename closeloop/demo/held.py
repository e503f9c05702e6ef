"""The demo's held meeting: a recorded 周度推广跟进会 with approved, distributed minutes and open action items.

Built only through the record, action-item and minutes services, like a recorder would on the day.
"""

from closeloop.actions.services.items import action_item_create
from closeloop.demo.clock import past_clock
from closeloop.demo.outputs import add_rectification_columns, follow_through
from closeloop.meetings.choices import MeetingType, Response, TopicKind
from closeloop.minutes.services import minutes_approve, minutes_create_draft, minutes_distribute, minutes_submit
from closeloop.record.choices import Presence
from closeloop.record.services.record import attendance_set, decision_save, disagreement_save, note_add, record_close

HELD_TITLE = "Q2推广转化率问题分析会"


def build_held_meeting(builder):
    """A meeting three working days ago, recorded and closed, its minutes approved and distributed, each step at
    the time it happened: planned, noticed five working days ahead, answered, held, minuted the same afternoon."""
    with past_clock() as clock:
        return _build(builder, clock)


def _build(builder, clock):
    p = builder.p
    host, recorder = p["zhang.market"], p["zhao.assistant"]
    day = builder.workday(-3)
    clock.at(builder.at(builder.workday(-9), 16))
    m = builder.meeting(
        host=host, recorder=recorder, day=day, start=(10, 0), minutes=75, project=builder.project,
        type=MeetingType.PROBLEM_ANALYSIS, title=HELD_TITLE,
        objective="找出Q2转化率低于目标的原因，确定整改措施与责任人。",
        place="公司3楼会议室B",
        participants=[
            ("liu.market", ["presenter", "executor"]),
            ("wang.sales", ["decision_maker"]),
            ("li.product", ["presenter", "executor"]),
            ("qian.finance", ["decision_maker"]),
            ("wu.finance", ["informed"]),
            ("pmo", ["cc"]),
        ],
        topics=[
            ("落地页转化数据回顾", "liu.market", 15, TopicKind.INFORM, "明确转化漏斗的流失环节", {}),
            ("推广信息与产品功能对齐", "li.product", 20, TopicKind.DISCUSS, "确定信息同步机制", {}),
            ("Q3推广预算调整", "qian.finance", 25, TopicKind.DECIDE, "确定预算调整方案", {}),
        ],
    )
    clock.at(builder.at(builder.workday(-8), 9))
    builder.notice(m, host)
    clock.at(builder.at(builder.workday(-8), 11))
    for username in ("zhang.market", "zhao.assistant", "liu.market", "li.product", "qian.finance", "wu.finance"):
        builder.answer(m, username, Response.ACCEPTED)
    builder.answer(m, "wang.sales", Response.SUBSTITUTE, reason="出差", substitute="chen.sales")
    topics = list(m.topics.order_by("order"))
    clock.at(builder.at(day, 9, 58))
    for username in ("zhang.market", "zhao.assistant", "liu.market", "li.product", "qian.finance", "wu.finance"):
        attendance_set(actor=recorder, meeting=m, person=p[username], presence=Presence.PRESENT)
    attendance_set(actor=recorder, meeting=m, person=p["wang.sales"], presence=Presence.SUBSTITUTE,
                   reason="出差", substitute=p["chen.sales"])
    clock.at(builder.at(day, 10, 12))
    note_add(actor=recorder, meeting=m, topic=topics[0], department=p["liu.market"].department,
             text="Q2线上曝光量达200万，但转化率3%低于目标5%，主要流失在落地页。")
    clock.at(builder.at(day, 10, 31))
    note_add(actor=recorder, meeting=m, topic=topics[1], department=p["chen.sales"].department,
             text="客户反馈推广信息与产品实际功能存在偏差，需加强产品与市场信息同步。")
    clock.at(builder.at(day, 10, 52))
    disagreement_save(actor=recorder, meeting=m, topic=topics[2], owner_confirmed=True, data={
        "subject": "是否追加线上投放预算", "parties": "市场部、财务部",
        "positions": "市场部主张追加20%；财务部要求先看投入产出测算。",
        "path": "data", "owner": p["wu.finance"], "data_needed": "提交投入产出测算表", "due": builder.workday(2),
    })
    clock.at(builder.at(day, 11, 5))
    decision = decision_save(actor=recorder, meeting=m, topic=topics[2], data={
        "text": "同意优化落地页后再评估追加预算，财务部提交成本报告。", "decided_by": p["qian.finance"],
        "no_objection": True,
    })
    items = [
        (topics[0], p["liu.market"], "重新设计落地页引导流程", "新版落地页上线并完成A/B测试", builder.workday(1)),
        (topics[2], p["qian.finance"], "提交成本报告", "Q3推广成本报告（含投入产出测算）", builder.workday(4)),
        (topics[1], p["li.product"], "建立产品与市场信息同步机制", "信息同步流程文档，经市场部确认",
         builder.workday(-1)),
    ]
    clock.at(builder.at(day, 11, 10))
    for topic, owner, task, deliverable, due in items:
        action_item_create(actor=recorder, organisation=builder.org, meeting=m, topic=topic,
                           decision=decision if topic == topics[2] else None, data={
                               "task": task, "owner": owner, "deliverable": deliverable, "due": due,
                               "owner_confirmed": True,
                           })
    add_rectification_columns(builder, m, recorder, topics[1])
    clock.at(builder.at(day, 11, 15))
    record_close(actor=recorder, meeting=m, force=True)
    clock.at(builder.at(day, 14, 0))
    minutes = minutes_create_draft(actor=recorder, meeting=m)
    clock.at(builder.at(day, 15, 0))
    minutes_submit(actor=recorder, minutes=minutes)
    clock.at(builder.at(day, 16, 30))
    minutes_approve(actor=host, minutes=minutes)
    clock.at(builder.at(day, 17, 0))
    minutes_distribute(actor=host, minutes=minutes)
    follow_through(builder, m)
    return m
