"""Search by words: Chinese substrings and English in any case, in titles, decisions, action items and minutes;
only what the viewer may see; grouped by kind, highlighted (escaped), paginated."""

import datetime as dt

import pytest

from closeloop.actions.models import ActionItem
from closeloop.archive.search import DECISIONS, ITEMS, MEETINGS, MINUTES, search
from closeloop.archive.tests.conftest import new_meeting
from closeloop.minutes import services as minutes_services
from closeloop.minutes.models import Minutes

pytestmark = pytest.mark.django_db


def found(person, q, **kwargs):
    """{kind: [(hit's object, [excerpt texts with the matches in brackets])]}"""
    result = {}
    for group in search(person, q, **kwargs):
        rows = []
        for hit in group.hits:
            marked = ["".join(f"[{p}]" if m else p for p, m in e.segments) for e in hit.excerpts]
            rows.append((hit.obj, marked))
        result[group.kind] = rows
    return result


def test_a_chinese_substring_finds_the_decision_the_action_item_and_the_minutes_section(archive, people):
    hits = found(people["member"], "成本报告")
    meeting = archive["meeting"]
    decisions = {d.record.meeting_id: texts for d, texts in hits[DECISIONS]}
    assert decisions[meeting.pk] == ["同意增加生产线,财务部在本周五前提交[成本报告]"]
    [(item, item_texts)] = hits[ITEMS]
    assert item.task == "提交成本报告" and item_texts == ["提交[成本报告]", "[成本报告](含两种方案)"]
    minutes = {m.meeting_id: texts for m, texts in hits[MINUTES]}
    assert any("提交[成本报告]" in text for text in minutes[meeting.pk])
    assert hits[MEETINGS] == []


def test_words_only_the_minutes_hold_are_found_in_the_minutes_alone(archive, people):
    draft = Minutes.objects.get(meeting=archive["pending"])
    content = {**draft.content, "summary": "议题1:渠道评审\n-市场部:各渠道转化漏斗对比见附件"}
    minutes_services.minutes_save(actor=people["recorder"], minutes=draft, content=content, version=draft.version)
    hits = found(people["member"], "转化漏斗")
    assert [(m.pk, texts) for m, texts in hits[MINUTES]] == [
        (draft.pk, ["议题1:渠道评审 -市场部:各渠道[转化漏斗]对比见附件"])]
    assert hits[MEETINGS] == hits[DECISIONS] == hits[ITEMS] == []


def test_english_words_are_found_whatever_their_case(archive, people):
    for q in ("cost report", "COST REPORT", "Cost Report"):
        [(item, texts)] = found(people["outsider"], q)[ITEMS]
        assert item.task == "Update the Cost Report template"
        assert texts == ["Update the [Cost Report] template"]


def test_a_title_is_found_by_part_of_it(archive, people):
    [(meeting, texts)] = found(people["outsider"], "预算复盘")[MEETINGS]
    assert meeting == archive["budget"] and texts == ["年度[预算复盘]会"]


def test_an_outsider_does_not_find_what_belongs_to_a_meeting_they_cannot_see(archive, people):
    hits = found(people["outsider"], "成本报告")
    assert all(rows == [] for rows in hits.values())
    assert found(people["outsider"], "协作会")[MEETINGS] == []


def test_a_confidential_meeting_is_hidden_from_the_department_head_but_found_by_its_participant(archive, people):
    secret = archive["secret"]
    head = found(people["head"], "成本报告")
    assert secret.pk not in [d.record.meeting_id for d, _t in head[DECISIONS]]
    assert secret.pk not in [m.meeting_id for m, _t in head[MINUTES]]
    assert archive["meeting"].pk in [d.record.meeting_id for d, _t in head[DECISIONS]]
    assert found(people["head"], "人员调整")[MEETINGS] == []
    member = found(people["member"], "成本报告")
    assert secret.pk in [d.record.meeting_id for d, _t in member[DECISIONS]]
    assert [m for m, _t in found(people["member"], "人员调整")[MEETINGS]] == [secret]


def test_an_item_seen_through_its_owner_does_not_name_a_meeting_the_viewer_cannot_see(archive, people):
    ActionItem.objects.create(organisation=archive["secret"].organisation, meeting=archive["secret"],
                              task="整理保密名单", owner=people["member"], department=people["member"].department)
    [hit] = search(people["head"], "保密名单", kinds=[ITEMS])[0].hits
    assert hit.obj.task == "整理保密名单" and hit.meeting is None
    [hit] = search(people["member"], "保密名单", kinds=[ITEMS])[0].hits
    assert hit.meeting == archive["secret"]


def test_only_the_latest_version_of_the_minutes_is_searched(archive, people):
    approved = Minutes.objects.get(meeting=archive["meeting"])
    correction = minutes_services.minutes_correct(actor=people["recorder"], minutes=approved, reason="更正决议")
    content = {**correction.content, "decisions": "1.改为外包生产"}
    minutes_services.minutes_save(actor=people["recorder"], minutes=correction, content=content,
                                  version=correction.version)
    assert [m.pk for m, _t in found(people["member"], "外包生产")[MINUTES]] == [correction.pk]
    in_decisions = [m for m, texts in found(people["member"], "提交成本报告(决策人")[MINUTES]]
    assert approved not in in_decisions


def test_words_with_quotes_and_like_wildcards_are_matched_literally(archive, people):
    draft = Minutes.objects.get(meeting=archive["pending"])
    content = {**draft.content, "summary": '市场部称"转化率 50%_达标"'}
    minutes_services.minutes_save(actor=people["recorder"], minutes=draft, content=content, version=draft.version)
    assert [m.pk for m, _t in found(people["member"], '"转化率 50%_达标"')[MINUTES]] == [draft.pk]
    assert found(people["member"], "50%_未达")[MINUTES] == []
    assert found(people["member"], "%")[MEETINGS] == []


def test_each_kind_is_paginated_on_its_own(archive, people, meeting):
    for n in range(5):
        ActionItem.objects.create(organisation=meeting.organisation, meeting=meeting, task=f"核对成本报告第{n}版",
                                  owner=people["member"], due=dt.date(2026, 7, 1))
    first, second = (search(people["member"], "成本报告", kinds=[ITEMS], page=p, per_page=4)[0] for p in (1, 2))
    assert first.count == second.count == 6
    assert len(first.hits) == 4 and len(second.hits) == 2
    assert not {h.obj.pk for h in first.hits} & {h.obj.pk for h in second.hits}


def test_the_page_highlights_matches_escaped_and_without_inline_styles(archive, people, client_for):
    new_meeting(people, "<script>alert(1)</script> 成本报告评审", archive["meeting"].start, guest=people["member"])
    response = client_for(people["member"]).get("/archive/search/", {"q": "成本报告"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>成本报告</mark>评审" in html
    assert "<script>alert(1)" not in html
    assert 'style="' not in html
    assert 'id="group-decisions"' in html and 'id="group-items"' in html and 'id="group-minutes"' in html
    assert "人员调整讨论会" in html  # the member's confidential meeting


def test_the_page_answers_htmx_with_the_results_alone(archive, people, client_for):
    response = client_for(people["head"]).get("/archive/search/", {"q": "成本报告", "kind": DECISIONS},
                                              headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "<mark>成本报告</mark>" in html and "人员调整讨论会" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_the_page_names_the_field_of_a_bad_search(people, client_for):
    response = client_for(people["member"]).get("/archive/search/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "Words:" in response.content.decode()
    response = client_for(people["member"]).get("/archive/search/", {"q": "成本", "kind": "everything"})
    assert response.status_code == 400 and "Only:" in response.content.decode()


def test_the_empty_search_page_shows_just_the_form(people, client_for):
    response = client_for(people["outsider"]).get("/archive/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode() and "errorsummary" not in response.content.decode()
