"""Who may do what on the live record: outsiders get 404 from the page, every partial and every endpoint;
participants (and heads of their departments) read it but get 403 on every write."""

import pytest
from django.urls import reverse

from closeloop.record.models import Attendance, Decision, Disagreement, MeetingRecord, Note
from closeloop.record.services import record as services
from closeloop.record.services.items import record_item_add
from closeloop.record.tests.conftest import item_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(people, meeting, topics, record, earlier_item):
    recorder = people["recorder"]
    return {
        "note": services.note_add(actor=recorder, meeting=meeting, topic=topics[0], text="观点"),
        "dec": services.decision_save(actor=recorder, meeting=meeting, topic=topics[2], data={"text": "决议"}),
        "dis": services.disagreement_save(actor=recorder, meeting=meeting, topic=topics[1], data={"subject": "分歧"}),
        "item": record_item_add(actor=recorder, meeting=meeting, topic=topics[2], data=item_data(people)),
        "review": earlier_item,
    }


def reads(meeting, topics, rows):
    m = meeting.pk
    return [
        reverse("record:live", args=[m]),
        reverse("record:poll", args=[m]) + "?since=1",
        reverse("record:loop", args=[m]),
        reverse("record:topic", args=[m, topics[0].pk]),
    ]


def write_gets(meeting, topics, rows):
    m = meeting.pk
    return [
        reverse("record:attendance_edit", args=[m]) + f"?person={rows['item'].owner_id}",
        reverse("record:edit_form", args=[m, topics[2].pk, "dec", rows["dec"].pk]),
        reverse("record:edit_form", args=[m, topics[1].pk, "dis", rows["dis"].pk]),
        reverse("record:edit_form", args=[m, topics[0].pk, "note", rows["note"].pk]),
        reverse("record:edit_form", args=[m, topics[2].pk, "item", rows["item"].pk]),
    ]


def writes(meeting, topics, rows):
    m, t0, t1, t2 = meeting.pk, topics[0].pk, topics[1].pk, topics[2].pk
    return [
        (reverse("record:open", args=[m]), {}),
        (reverse("record:close", args=[m]), {"force": "1"}),
        (reverse("record:attendance", args=[m]), {"person": rows["item"].owner_id, "presence": "present"}),
        (reverse("record:attendance_quick", args=[m]), {"all": "suggested"}),
        (reverse("record:review_update", args=[m, rows["review"].pk]), {"percent": "50"}),
        (reverse("record:note_add", args=[m, t0]), {"text": "x"}),
        (reverse("record:disagreement_add", args=[m, t1]), {"subject": "x"}),
        (reverse("record:disagreement_edit", args=[m, t1, rows["dis"].pk]), {"subject": "x"}),
        (reverse("record:decision_add", args=[m, t2]), {"text": "x"}),
        (reverse("record:decision_edit", args=[m, t2, rows["dec"].pk]), {"text": "x"}),
        (reverse("record:decision_flag", args=[m, t2, rows["dec"].pk]), {"no_action_needed": "1"}),
        (reverse("record:item_add", args=[m, t2]), {"task": "x"}),
        (reverse("record:item_confirm", args=[m, t2, rows["item"].pk]), {}),
        (reverse("record:reason", args=[m, t2]), {"reason": "x"}),
        (reverse("record:timer", args=[m, t0]), {"action": "start"}),
        (reverse("record:row_delete", args=[m, t0, "note", rows["note"].pk]), {}),
        (reverse("record:row_delete", args=[m, t1, "dis", rows["dis"].pk]), {}),
        (reverse("record:row_delete", args=[m, t2, "dec", rows["dec"].pk]), {}),
        (reverse("record:note_edit", args=[m, t0, rows["note"].pk]), {"text": "x"}),
        (reverse("record:item_edit", args=[m, t2, rows["item"].pk]), {"task": "x"}),
        (reverse("record:row_delete", args=[m, t2, "item", rows["item"].pk]), {}),
    ]


def snapshot():
    record = MeetingRecord.objects.get()
    return (record.revision, record.state, Note.objects.count(), Decision.objects.count(),
            Disagreement.objects.count(), Attendance.objects.count())


def test_an_outsider_gets_404_from_the_page_every_partial_and_every_write(client, people, meeting, topics, rows):
    client.force_login(people["outsider"])
    before = snapshot()
    for url in reads(meeting, topics, rows) + write_gets(meeting, topics, rows):
        assert client.get(url).status_code == 404, url
    for url, data in writes(meeting, topics, rows):
        assert client.post(url, data).status_code == 404, url
        assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("who", ["member", "head"])
def test_a_participant_or_their_head_reads_but_may_not_write(client, people, meeting, topics, rows, who):
    client.force_login(people[who])
    before = snapshot()
    for url in reads(meeting, topics, rows):
        assert client.get(url).status_code in (200, 204), url
    for url in write_gets(meeting, topics, rows):
        assert client.get(url).status_code == 403, url
    for url, data in writes(meeting, topics, rows):
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_a_confidential_meeting_hides_its_record_from_department_heads(client, people, meeting, topics, rows):
    meeting.confidential = True
    meeting.save(update_fields=["confidential"])
    client.force_login(people["head"])
    assert client.get(reverse("record:live", args=[meeting.pk])).status_code == 404
    client.force_login(people["member"])
    assert client.get(reverse("record:live", args=[meeting.pk])).status_code == 200


def test_the_recorder_host_and_an_admin_may_write(client, people, meeting, topics, rows):
    for who in ("recorder", "host", "admin"):
        client.force_login(people[who])
        response = client.post(reverse("record:note_add", args=[meeting.pk, topics[0].pk]), {"text": who})
        assert response.status_code == 302, who
    assert Note.objects.count() == 4


def test_pages_need_a_login(client, meeting):
    response = client.get(reverse("record:live", args=[meeting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_gets_change_nothing_and_writes_need_post(client, people, meeting, topics, rows):
    client.force_login(people["recorder"])
    before = snapshot()
    for url, _data in writes(meeting, topics, rows):
        assert client.get(url).status_code == 405, url
    assert snapshot() == before
