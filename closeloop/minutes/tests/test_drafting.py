"""Drafting the minutes from the record, in the seed 001 template's sections and layout."""

import pytest

from closeloop.meetings.choices import Response
from closeloop.minutes.choices import SECTION_KEYS
from closeloop.minutes.drafting import minutes_draft_content

pytestmark = pytest.mark.django_db


def test_it_fills_the_information_sections_like_the_template(held, meeting):
    content = minutes_draft_content(meeting, "zh-hans")
    assert list(content) == SECTION_KEYS
    assert content["title"] == "项目Q3推广跨部门协作会"
    assert content["time"] == "2026年6月15日14:00-15:30"
    assert content["place"] == "3楼会议室A"
    assert content["host"] == "张主持(市场部)"
    assert content["recorder"] == "李记录(市场部)"
    assert content["agenda"] == "1.Q2推广活动复盘;2.Q3推广目标及策略;3.部门分工与资源协调"


def test_attendees_are_grouped_by_department_with_the_substitute_and_without_cc(held, meeting):
    content = minutes_draft_content(meeting, "zh-hans")
    assert content["attendees"] == "市场部:张主持、李记录;销售部:王销售、赵六"
    assert "周总" not in content["attendees"]


def test_an_absence_names_department_reason_and_substitute(held, meeting):
    assert minutes_draft_content(meeting, "zh-hans")["absences"] == "王五(销售部,出差)——由赵六代参会"


def test_the_summary_goes_topic_by_topic_with_notes_disagreements_and_decisions(held, meeting):
    summary = minutes_draft_content(meeting, "zh-hans")["summary"]
    blocks = summary.split("\n\n")
    assert [b.split("\n")[0] for b in blocks] == [
        "议题1:Q2推广活动复盘", "议题2:Q3推广目标及策略", "议题3:部门分工与资源协调"]
    assert blocks[0].split("\n")[1:] == [
        "-市场部:Q2线上曝光量达200万,但转化率低于目标(3%vs目标5%)", "-销售部:客户反馈推广信息与产品实际功能存在偏差",
        "共识:暂无",
    ]
    assert blocks[1].split("\n")[-1] == "未形成共识:等待市场数据"  # each topic ends with its 共识
    assert "-分歧:是否增加2条生产线(涉及:生产部、财务部;各方观点:生产部:产能不足;财务部:需评估成本)" \
           "——由王销售于2026-06-19前提供成本报告" in blocks[2]
    assert blocks[2].split("\n")[-1] == "共识:同意增加生产线"


def test_decisions_and_action_plan_name_who_what_and_when(held, meeting):
    content = minutes_draft_content(meeting, "zh-hans")
    assert content["decisions"] == "1.同意增加生产线(决策人:张主持;无异议)"
    assert content["action_plan"].split("\n") == [
        "1.优化落地页引导——李记录(市场部)——2026-06-26——新版落地页上线——无——未开始",
        "2.提交成本报告——王销售(销售部)——2026-06-19——成本报告(含两种方案)——无——未开始",
    ]


def test_an_english_draft_uses_english_layout(held, meeting):
    content = minutes_draft_content(meeting, "en")
    assert content["time"] == "2026-06-15 14:00–15:30"
    assert content["attendees"] == "市场部: 张主持, 李记录; 销售部: 王销售, 赵六"
    assert content["absences"] == "王五 (销售部, 出差) — 赵六 attended instead"
    assert content["agenda"].startswith("1. Q2推广活动复盘; 2. ")
    assert content["decisions"] == "1. 同意增加生产线 (decided by 张主持; no objection)"


def test_it_works_without_any_record_from_the_answers_to_the_notice(cast, meeting):
    declined = meeting.participants.get(person=cast["member"])
    declined.response, declined.response_reason = Response.DECLINED, "休假"
    declined.save()
    content = minutes_draft_content(meeting, "zh-hans")
    assert content["attendees"] == "市场部:张主持、李记录;销售部:王五"
    assert content["absences"] == "王销售(销售部,休假)"
    assert content["decisions"] == content["action_plan"] == "无"
    assert content["summary"].startswith("议题1:Q2推广活动复盘\n共识:暂无\n\n议题2:")


def test_an_online_meeting_shows_the_link_and_a_title_shows_with_the_department(cast, meeting):
    meeting.online_link = "https://meeting.example.com/123"
    meeting.save()
    cast["host"].title = "经理"
    cast["host"].save()
    content = minutes_draft_content(meeting, "zh-hans")
    assert content["place"] == "3楼会议室A/线上会议(https://meeting.example.com/123)"
    assert content["host"] == "张主持(市场部 · 经理)"


def test_a_record_kept_through_the_record_services_drafts_the_same_way(cast, meeting):
    import datetime as dt

    from closeloop.record.services import record
    from closeloop.record.services.items import record_item_add

    recorder, topics = cast["recorder"], list(meeting.topics.all())
    record.record_open(actor=recorder, meeting=meeting)
    record.attendance_set(actor=recorder, meeting=meeting, person=cast["wang"], presence="absent", reason="病假")
    record.attendance_confirm_suggested(actor=recorder, meeting=meeting)
    record.note_add(actor=recorder, meeting=meeting, topic=topics[1], text="建议优先线上渠道",
                    department=cast["departments"]["market"])
    decision = record.decision_save(actor=recorder, meeting=meeting, topic=topics[2],
                                    data={"text": "同意Q3分工方案", "decided_by": cast["host"], "no_objection": True})
    record_item_add(actor=recorder, meeting=meeting, topic=topics[2], decision=decision, data={
        "task": "提交Q3推广预算表", "owner": cast["member"], "deliverable": "预算表(Excel)",
        "due": dt.date(2026, 6, 22), "owner_confirmed": True})
    content = minutes_draft_content(meeting, "zh-hans")
    assert content["attendees"] == "市场部:张主持、李记录;销售部:王销售"
    assert content["absences"] == "王五(销售部,病假)"
    assert "-市场部:建议优先线上渠道" in content["summary"].split("\n\n")[1]
    assert content["decisions"] == "1.同意Q3分工方案(决策人:张主持;无异议)"
    assert content["action_plan"] == "1.提交Q3推广预算表——王销售(销售部)——2026-06-22——预算表(Excel)——无——未开始"


def test_the_action_plan_carries_support_and_status_in_the_drafts_language(held, meeting):
    item = meeting.action_items.get(task="提交成本报告")
    item.support_needed, item.status = "财务部\n提供历史成本数据", "in_progress"
    item.save()
    zh = minutes_draft_content(meeting, "zh-hans")["action_plan"].split("\n")
    assert zh[1] == "2.提交成本报告——王销售(销售部)——2026-06-19——成本报告(含两种方案)——财务部 提供历史成本数据——进行中"
    en = minutes_draft_content(meeting, "en")["action_plan"].split("\n")
    assert en[1].endswith(" — 财务部 提供历史成本数据 — In progress")
    assert en[0].endswith(" — None — Not started")
