"""Once minutes go out, the agenda and the live record are history: read-only, changed through a correction
(issue 12, point 11)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from closeloop.audit.models import AuditEntry
from closeloop.meetings.services.planning import meeting_update, topic_add, topic_delete
from closeloop.record.choices import RecordState
from closeloop.record.models import MeetingRecord, Note
from closeloop.record.services import record as record_services

pytestmark = pytest.mark.django_db


def test_the_meeting_page_links_to_its_minutes_and_its_invite(client_for, cast, meeting):
    page = client_for(cast["member"]).get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'href="/minutes/meetings/{meeting.pk}/"' in page
    assert f'href="/meetings/{meeting.pk}/invite.ics"' in page
    invite = client_for(cast["member"]).get(f"/meetings/{meeting.pk}/invite.ics")
    assert invite.status_code == 200 and b"BEGIN:VCALENDAR" in invite.content
    assert client_for(cast["outsider"]).get(f"/meetings/{meeting.pk}/invite.ics").status_code == 404


def test_before_distribution_the_host_still_changes_the_agenda(approved, cast, meeting):
    topic_add(actor=cast["host"], meeting=meeting, data={"order": 9, "title": "补充议题", "minutes": 5,
                                                        "kind": "inform"})
    assert meeting.topics.filter(title="补充议题").exists()


def test_after_distribution_the_agenda_refuses_changes(distributed, cast, meeting):
    with pytest.raises(ValidationError) as refused:
        topic_add(actor=cast["host"], meeting=meeting, data={"order": 9, "title": "补充议题", "minutes": 5,
                                                            "kind": "inform"})
    assert "state" in refused.value.message_dict
    with pytest.raises(ValidationError):
        topic_delete(actor=cast["host"], topic=meeting.topics.first())
    with pytest.raises(ValidationError):
        meeting_update(actor=cast["host"], meeting=meeting, data={"title": "改名"})
    assert meeting.topics.count() == 3


@pytest.mark.parametrize("language,text", [("zh-hans", "纪要已分发"), ("en", "The minutes are distributed")])
def test_the_page_says_why_and_offers_no_edit_forms(distributed, client_for, cast, meeting, language, text):
    host = cast["host"]
    host.language = language
    host.save()
    client = client_for(host)
    page = client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in page
    assert f"/meetings/{meeting.pk}/topics/add/" not in page
    answer = client.post(f"/meetings/{meeting.pk}/topics/add/", {"title": "补充", "minutes": 5, "kind": "inform"})
    assert answer.status_code in (200, 422) and meeting.topics.count() == 3


def test_distribution_closes_the_live_record_and_it_refuses_writes(distributed, cast, meeting, client_for):
    record = MeetingRecord.objects.get(meeting=meeting)
    assert record.state == RecordState.CLOSED and record.closed_by == cast["recorder"]
    assert AuditEntry.objects.filter(action="record.close", object_id=str(record.pk),
                                     after__reason="minutes distributed").exists()
    topic = meeting.topics.first()
    with pytest.raises(ValidationError):
        record_services.note_add(actor=cast["recorder"], meeting=meeting, topic=topic, text="会后补充")
    assert not Note.objects.filter(text="会后补充").exists()
    page = client_for(cast["recorder"]).get(reverse("record:live", args=[meeting.pk])).content.decode()
    assert "record-closed" in page and reverse("record:note_add", args=[meeting.pk, topic.pk]) not in page


def test_a_record_left_open_by_an_older_distribution_is_closed_by_the_migration(distributed, cast, meeting):
    # Minutes distributed before distribution closed the record (an old database): minutes 0004 closes it,
    # after which the record refuses writes like any closed one.
    MeetingRecord.objects.filter(meeting=meeting).update(state=RecordState.OPEN, closed_at=None)
    migration = importlib.import_module("closeloop.minutes.migrations.0004_close_records_of_distributed_minutes")
    migration.close_records(django_apps, None)
    record = MeetingRecord.objects.get(meeting=meeting)
    assert record.state == RecordState.CLOSED and record.closed_at == meeting.minutes_versions.get().distributed_at
    with pytest.raises(ValidationError) as refused:
        record_services.note_add(actor=cast["recorder"], meeting=meeting, topic=meeting.topics.first(), text="补充")
    assert "record" in refused.value.message_dict


def test_without_a_record_none_opens_once_the_minutes_are_out(distributed, cast, meeting):
    MeetingRecord.objects.filter(meeting=meeting).delete()
    with pytest.raises(ValidationError):
        record_services.record_open(actor=cast["recorder"], meeting=meeting)
    assert not MeetingRecord.objects.filter(meeting=meeting).exists()
