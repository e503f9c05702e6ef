"""The live record page and its partials: rendering, writes with htmx and without, closing, review."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from closeloop.actions.models import ActionItem
from closeloop.actions.selectors.items import local_today
from closeloop.org.selectors import policy_for
from closeloop.record.models import Attendance, MeetingRecord, Note
from closeloop.record.services import record as services

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def zh(message):
    """The text a zh-hans persona (the default in closeloop/conftest.py) reads for this message id."""
    with translation.override("zh-hans"):
        return gettext(message)


def zh_html(message):
    """The same text as a template or form error renders it into HTML."""
    return escape(zh(message))


def live_url(meeting):
    return reverse("record:live", args=[meeting.pk])


def test_the_recorder_sees_every_section_with_its_forms(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    html = client.get(live_url(meeting)).content.decode()
    for anchor in ['id="sign-in"', 'id="review"', 'id="loop-check"', 'id="record-poll"', 'id="attendance-form"']:
        assert anchor in html
    for t in topics:
        assert f'id="topic-{t.pk}-live"' in html and f'id="t{t.pk}-note"' in html and f'id="t{t.pk}-item"' in html
    # Only the decide topic asks why there is no decision.
    assert f'id="t{topics[2].pk}-reason"' in html and f'id="t{topics[0].pk}-reason"' not in html
    # The SMART check runs while typing in the item form.
    assert f'hx-post="{reverse("actions:smart_check")}"' in html
    assert 'hx-trigger="keyup changed delay:400ms, input changed delay:400ms, change"' in html
    assert 'accesskey="1"' in html and 'accesskey="s"' in html and 'accesskey="c"' in html


def test_the_page_keeps_to_the_content_security_policy(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    response = client.get(live_url(meeting))
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert " style=" not in html and " onclick=" not in html and "hx-on" not in html
    # Scripts are files; the people the choosers share come as JSON in an inert <template>.
    assert html.count("<script") == html.count("<script src=")
    assert html.count('<template id="shared-choices">') == 1
    assert "closeloop/record.js" in html


def test_a_participant_reads_the_record_without_forms(client, people, meeting, topics, record):
    services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[0], text="转化率偏低")
    client.force_login(people["member"])
    html = client.get(live_url(meeting)).content.decode()
    assert "转化率偏低" in html
    assert 'id="attendance-form"' not in html and f'id="t{topics[0].pk}-note"' not in html
    assert reverse("record:close", args=[meeting.pk]) not in html


def test_before_the_record_starts_the_recorder_gets_a_start_button(client, people, meeting):
    client.force_login(people["recorder"])
    html = client.get(live_url(meeting)).content.decode()
    assert reverse("record:open", args=[meeting.pk]) in html
    assert not MeetingRecord.objects.exists()  # GET changes nothing
    response = client.post(reverse("record:open", args=[meeting.pk]))
    assert response.status_code == 302 and MeetingRecord.objects.filter(meeting=meeting).exists()


def test_a_note_with_htmx_returns_a_fresh_form_and_the_topics_lists(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    topic = topics[1]
    response = client.post(reverse("record:note_add", args=[meeting.pk, topic.pk]),
                           {"text": "销售部:线下渠道更有效", "department": people["departments"]["sales"].pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<div id="t{topic.pk}-note"')
    assert f'<div id="topic-{topic.pk}-live" class="topic-live" aria-live="polite" hx-swap-oob="true">' in html
    assert "销售部:线下渠道更有效" in html and "autofocus" in html
    assert Note.objects.get().department == people["departments"]["sales"]


def test_a_note_without_javascript_redirects_and_an_empty_one_names_the_field(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    url = reverse("record:note_add", args=[meeting.pk, topics[0].pk])
    response = client.post(url, {"text": "观点"})
    assert response.status_code == 302 and response["Location"].endswith(f"#topic-{topics[0].pk}")
    response = client.post(url, {"text": ""}, **HTMX)
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert Note.objects.count() == 1


def test_a_blocking_smart_finding_refuses_the_item_and_names_the_field(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    response = client.post(reverse("record:item_add", args=[meeting.pk, topics[2].pk]), {
        "task": "提交推广方案", "deliverable": "方案经审批", "due": "2026-06-18"}, **HTMX)
    html = response.content.decode()
    assert 'class="field invalid"' in html and zh_html("Name one owner who answers for this item.") in html
    assert not ActionItem.objects.exists()


def test_an_item_with_a_vague_word_is_saved_with_its_warning(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    decision = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2],
                                      data={"text": "市场部牵头"})
    response = client.post(reverse("record:item_add", args=[meeting.pk, topics[2].pk]), {
        "task": "尽快提交推广方案", "owner": people["member"].pk, "deliverable": "方案经审批",
        "due": "2026-06-18", "decision": decision.pk, "owner_confirmed": "on",
        "collaborators": [people["host"].pk]}, **HTMX)
    html = response.content.decode()
    assert "尽快" in html and 'class="finding"' in html
    item = ActionItem.objects.get()
    assert (item.decision, item.owner_confirmed, list(item.collaborators.all())) == (
        decision, True, [people["host"]])
    assert item.department == people["departments"]["sales"]


def test_adding_a_decision_offers_it_to_the_item_form(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    response = client.post(reverse("record:decision_add", args=[meeting.pk, topics[2].pk]), {
        "text": "市场部牵头", "decided_by": people["member"].pk, "no_objection": "on"}, **HTMX)
    html = response.content.decode()
    assert f'<select name="decision" hx-swap-oob="true" id="t{topics[2].pk}-item-decision">' in html
    assert 'selected>市场部牵头</option>' in html


def test_a_disagreement_with_the_data_path_appears_with_its_item(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    client.post(reverse("record:disagreement_add", args=[meeting.pk, topics[1].pk]), {
        "subject": "线上线下预算比例", "parties": "市场部、销售部", "path": "data", "owner": people["member"].pk,
        "data_needed": "Q2各渠道ROI"}, **HTMX)
    item = ActionItem.objects.get()
    assert item.due == dt.date(2026, 6, 16)
    html = client.get(reverse("record:topic", args=[meeting.pk, topics[1].pk])).content.decode()
    assert "线上线下预算比例" in html and "Q2各渠道ROI" in html and "2026-06-16" in html


def test_editing_a_decision_opens_its_form_filled_in(client, people, meeting, topics, record):
    decision = services.decision_save(actor=people["recorder"], meeting=meeting, topic=topics[2],
                                      data={"text": "原决议"})
    client.force_login(people["recorder"])
    html = client.get(reverse("record:edit_form", args=[meeting.pk, topics[2].pk, "dec", decision.pk])).content.decode()
    assert "原决议" in html and reverse("record:decision_edit", args=[meeting.pk, topics[2].pk, decision.pk]) in html
    client.post(reverse("record:decision_edit", args=[meeting.pk, topics[2].pk, decision.pk]),
                {"text": "新决议", "no_action_needed": "on"}, **HTMX)
    decision.refresh_from_db()
    assert (decision.text, decision.no_action_needed) == ("新决议", True)


def test_the_timer_buttons_start_and_stop(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    url = reverse("record:timer", args=[meeting.pk, topics[0].pk])
    html = client.post(url, {"action": "start"}, **HTMX).content.decode()
    assert "data-running" in html and zh_html("Stop timer") in html
    html = client.post(url, {"action": "stop"}, **HTMX).content.decode()
    assert "data-running" not in html


def test_sign_in_from_the_list_and_the_form(client, people, meeting, record):
    client.force_login(people["recorder"])
    quick = reverse("record:attendance_quick", args=[meeting.pk])
    html = client.post(quick, {"person": people["member"].pk, "presence": "present"}, **HTMX).content.decode()
    assert 'id="attendance-list"' in html and "hx-swap-oob" in html
    response = client.post(reverse("record:attendance", args=[meeting.pk]), {
        "person": people["member"].pk, "presence": "absent", "reason": ""}, **HTMX)
    assert zh_html("Say why they are absent.") in response.content.decode()
    client.post(reverse("record:attendance", args=[meeting.pk]), {
        "person": people["member"].pk, "presence": "substitute", "reason": "出差",
        "substitute": people["head"].pk}, **HTMX)
    a = Attendance.objects.get(person=people["member"])
    assert (a.presence, a.substitute) == ("substitute", people["head"])
    html = client.get(reverse("record:attendance_edit", args=[meeting.pk]) + f"?person={people['member'].pk}")
    assert '<option value="substitute" selected>' in html.content.decode()
    client.post(quick, {"all": "suggested"}, **HTMX)
    assert Attendance.objects.filter(record=record).count() == 3


def test_the_review_updates_an_earlier_meetings_item(client, people, meeting, record, earlier_item):
    client.force_login(people["recorder"])
    html = client.get(live_url(meeting)).content.decode()
    assert "整理上周渠道数据" in html
    url = reverse("record:review_update", args=[meeting.pk, earlier_item.pk])
    response = client.post(url, {"status": "delayed", "reason": "", "new_due": ""}, **HTMX)
    html = response.content.decode()
    assert zh_html("Say why the item is delayed.") in html and zh_html("Give the new due date.") in html
    new_due = local_today(meeting.organisation) + dt.timedelta(days=14)
    client.post(url, {"status": "delayed", "reason": "等待财务数据", "new_due": new_due.isoformat()}, **HTMX)
    earlier_item.refresh_from_db()
    assert (earlier_item.status, earlier_item.due) == ("delayed", new_due)
    client.post(url, {"percent": "40"}, **HTMX)
    earlier_item.refresh_from_db()
    assert earlier_item.progress == 40


def test_closing_lists_the_open_points_and_closes_when_confirmed(client, people, meeting, topics, record):
    client.force_login(people["host"])
    url = reverse("record:close", args=[meeting.pk])
    html = client.post(url, {}, **HTMX).content.decode()
    assert 'data-rule="decide_topic_without_decision"' in html and 'name="force"' in html
    assert MeetingRecord.objects.get().state == "open"
    response = client.post(url, {"force": "1"}, **HTMX)
    assert response["HX-Refresh"] == "true" and MeetingRecord.objects.get().state == "closed"
    html = client.get(live_url(meeting)).content.decode()
    assert 'id="record-poll"' not in html and reverse("minutes:meeting", args=[meeting.pk]) in html
    assert f'id="t{topics[0].pk}-note"' not in html  # no more forms


def test_block_mode_refuses_closing_with_open_points(client, people, meeting, topics, record):
    policy = policy_for(meeting.organisation)
    policy.close_loop_mode = "block"
    policy.save()
    client.force_login(people["host"])
    html = client.post(reverse("record:close", args=[meeting.pk]), {"force": "1"}, **HTMX).content.decode()
    refusal = zh_html("The organisation's policy does not allow closing a meeting with open points. "
                      "Resolve them first.")
    assert refusal in html and 'name="force"' not in html
    assert MeetingRecord.objects.get().state == "open"


def test_the_admin_shows_a_record_read_only(client, people, meeting, topics, record):
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[0], text="管理后台可见")
    client.force_login(people["admin"])
    response = client.get(reverse("admin:record_meetingrecord_change", args=[record.pk]))
    assert response.status_code == 200 and "管理后台可见" in response.content.decode()
    assert client.post(reverse("admin:record_meetingrecord_delete", args=[record.pk]),
                       {"post": "yes"}).status_code == 403
    assert MeetingRecord.objects.filter(pk=record.pk).exists()


def test_the_meeting_page_links_to_the_live_record(client, people, meeting):
    client.force_login(people["member"])
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{live_url(meeting)}"' in html


def test_a_button_on_a_closed_record_says_why_nothing_happened(client, people, meeting, topics, record):
    services.record_close(actor=people["host"], meeting=meeting, force=True)
    client.force_login(people["recorder"])
    url = reverse("record:timer", args=[meeting.pk, topics[0].pk])
    response = client.post(url, {"action": "start"}, **HTMX)
    html = response.content.decode()
    closed = zh("The record is closed; it can no longer be changed.")
    assert response.status_code == 200 and 'id="record-flash"' in html and escape(closed) in html
    response = client.post(url, {"action": "start"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [closed]
