"""Once minutes go out, the agenda is history: read-only, changed through a correction (issue 12, point 11)."""

import pytest
from django.core.exceptions import ValidationError

from closeloop.meetings.services.planning import meeting_update, topic_add, topic_delete

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
