"""Correcting the live record while the meeting is open, and not recording a meeting before it starts
(issue 12, point 12)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_progress
from closeloop.audit.models import AuditEntry
from closeloop.meetings.services.planning import meeting_update
from closeloop.record.models import MeetingRecord, Note
from closeloop.record.services import record as services
from closeloop.record.services.corrections import note_update, record_item_delete, record_item_update
from closeloop.record.services.items import record_item_add
from closeloop.record.tests.conftest import item_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(people, meeting, topics, record):
    return services.note_add(actor=people["recorder"], meeting=meeting, topic=topics[0], text="市场部认为转化率低")


@pytest.fixture
def item(people, meeting, topics, record):
    return record_item_add(actor=people["recorder"], meeting=meeting, topic=topics[2], data=item_data(people))


def test_a_viewpoint_typed_wrong_is_corrected_and_audited(people, meeting, note):
    note_update(actor=people["recorder"], meeting=meeting, note=note, text="销售部认为转化率低",
                department=people["departments"]["sales"])
    note.refresh_from_db()
    assert note.text == "销售部认为转化率低" and note.department == people["departments"]["sales"]
    entry = AuditEntry.objects.get(action="record.note_update", object_id=str(note.pk))
    assert entry.before["text"] == "市场部认为转化率低" and entry.after["text"] == "销售部认为转化率低"
    with pytest.raises(ValidationError) as empty:
        note_update(actor=people["recorder"], meeting=meeting, note=note, text=" ")
    assert "text" in empty.value.message_dict


def test_an_item_is_edited_and_a_mistaken_one_deleted_with_audit(people, meeting, item):
    record_item_update(actor=people["recorder"], meeting=meeting, item=item,
                       data={"task": "提交Q3推广预算明细表（含渠道）", "owner": people["member"]})
    item.refresh_from_db()
    assert item.task == "提交Q3推广预算明细表（含渠道）" and item.events.filter(kind="edited").exists()
    record_item_delete(actor=people["recorder"], meeting=meeting, item=item)
    assert not ActionItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.get(action="action_item.delete", object_id=str(item.pk)).before["task"].startswith("提交")


def test_an_item_someone_worked_on_is_cancelled_not_deleted(people, meeting, item):
    action_item_progress(actor=people["member"], item=item, percent=20)
    with pytest.raises(ValidationError) as refused:
        record_item_delete(actor=people["recorder"], meeting=meeting, item=item)
    assert "status" in refused.value.message_dict and ActionItem.objects.filter(pk=item.pk).exists()


def test_a_closed_record_refuses_corrections(people, meeting, note, item):
    MeetingRecord.objects.filter(meeting=meeting).update(state="closed")
    with pytest.raises(ValidationError):
        note_update(actor=people["recorder"], meeting=meeting, note=note, text="改")
    with pytest.raises(ValidationError):
        record_item_delete(actor=people["recorder"], meeting=meeting, item=item)


def test_the_page_edits_a_note_and_deletes_an_item_through_htmx(client, people, meeting, topics, note, item):
    client.force_login(people["recorder"])
    m = meeting.pk
    form = client.get(reverse("record:edit_form", args=[m, topics[0].pk, "note", note.pk]), HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "市场部认为转化率低" in form.content.decode()
    assert reverse("record:note_edit", args=[m, topics[0].pk, note.pk]) in form.content.decode()
    saved = client.post(reverse("record:note_edit", args=[m, topics[0].pk, note.pk]),
                        {"text": "改过的观点", "department": ""}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "改过的观点" in saved.content.decode()
    assert Note.objects.get(pk=note.pk).text == "改过的观点"
    item_form = client.get(reverse("record:edit_form", args=[m, topics[2].pk, "item", item.pk]))
    assert "预算明细表经财务部签字确认" in item_form.content.decode()
    client.post(reverse("record:row_delete", args=[m, topics[2].pk, "item", item.pk]), HTTP_HX_REQUEST="true")
    assert not ActionItem.objects.filter(pk=item.pk).exists()


@pytest.fixture
def upcoming(people, meeting):
    """The shared meeting moved to two days from now: not being held yet."""
    start = timezone.now() + dt.timedelta(days=2)
    return meeting_update(actor=people["host"], meeting=meeting,
                          data={"start": start, "end": start + dt.timedelta(minutes=90)})


def test_a_meeting_that_has_not_started_has_no_record_yet(people, upcoming, topics):
    with pytest.raises(ValidationError) as refused:
        services.record_open(actor=people["recorder"], meeting=upcoming)
    assert "meeting" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.note_add(actor=people["recorder"], meeting=upcoming, topic=topics[0], text="提前记录")
    assert not MeetingRecord.objects.exists()


def test_the_host_moves_the_start_and_then_the_record_opens(people, upcoming):
    start = timezone.now() - dt.timedelta(minutes=5)
    meeting_update(actor=people["host"], meeting=upcoming, data={"start": start,
                                                                  "end": start + dt.timedelta(minutes=60)})
    upcoming.refresh_from_db()
    assert services.record_open(actor=people["recorder"], meeting=upcoming).pk


@pytest.mark.parametrize("language,text", [("zh-hans", "届时才能开始记录"), ("en", "its record opens then")])
def test_the_page_says_when_the_record_opens(client, people, upcoming, language, text):
    recorder = people["recorder"]
    recorder.language = language
    recorder.save()
    client.force_login(recorder)
    page = client.get(reverse("record:live", args=[upcoming.pk])).content.decode()
    assert text in page and reverse("record:open", args=[upcoming.pk]) not in page
    answer = client.post(reverse("record:open", args=[upcoming.pk]), follow=True)
    assert answer.status_code == 200 and not MeetingRecord.objects.exists()
