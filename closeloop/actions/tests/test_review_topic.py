"""The weekly follow-up meeting: a meeting of a series starts with a generated topic "review open action items"
listing the series' open items, and updates recorded in its review section change the items themselves."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.actions.choices import EventKind, ItemStatus
from closeloop.actions.models import ActionItem, ReviewTopic
from closeloop.actions.rules import review_topic_minutes
from closeloop.actions.services.items import action_item_create
from closeloop.actions.services.review import series_review_topic_ensure
from closeloop.actions.tests.conftest import item_data, later
from closeloop.conftest import at
from closeloop.meetings.choices import TopicKind
from closeloop.meetings.models import Meeting, Topic
from closeloop.meetings.services.planning import meeting_create, participant_set, topic_add, topic_delete
from closeloop.meetings.services.series import series_create
from closeloop.org.models import Policy

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
REVIEW = "Review open action items"


def in_language_of(person, message):
    """The message in `person`'s language: the generated topic is written in the language of whoever made it
    (the meeting's creator, or whoever refreshed it), and pages follow the reader's language."""
    with translation.override(person.language):
        return _(message)


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def weekly(people, series, day, title=None):
    meeting = meeting_create(actor=people["host"], recorder=people["recorder"], data={
        "type": "weekly_sync", "title": title or f"Q3推广周例会 6月{day}日", "series": series,
        "start": at(2026, 6, day, 10), "end": at(2026, 6, day, 10, 30)})
    participant_set(actor=people["host"], meeting=meeting, person=people["member"], roles=["executor"])
    return meeting


@pytest.fixture
def series(people):
    return series_create(actor=people["host"], name="Q3推广周例会")


@pytest.fixture
def last_week(people, series, today):
    meeting = weekly(people, series, 1)
    for task, days in (("整理渠道数据", 4), ("确认供应商报价", 6)):
        action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting,
                           data=item_data(people, task=task, due=later(today, days)))
    return meeting


def first_topic(meeting):
    return Topic.objects.filter(meeting=meeting).order_by("order", "id").first()


@pytest.mark.parametrize("items,minutes", [(0, 15), (3, 15), (10, 20), (40, 30)])
def test_the_review_takes_two_minutes_an_item_within_the_policy(items, minutes):
    assert review_topic_minutes(items, 15, 30) == minutes


def test_a_new_meeting_of_the_series_starts_with_the_review_of_its_open_items(people, last_week, series):
    meeting = meeting_create(actor=people["host"], data={
        "type": "weekly_sync", "title": "Q3推广周例会 6月8日", "series": series,
        "start": at(2026, 6, 8, 10), "end": at(2026, 6, 8, 10, 30)})
    topic = first_topic(meeting)
    assert (topic.title, topic.kind, topic.order, topic.presenter) == (
        in_language_of(people["host"], REVIEW), TopicKind.INFORM, 1, people["host"])
    assert "整理渠道数据" in topic.materials_note and "确认供应商报价" in topic.materials_note
    assert topic.minutes == 15 and ReviewTopic.objects.get(meeting=meeting).item_count == 2
    assert Meeting.objects.get(pk=meeting.pk).version == 1  # nothing noticed yet: creation is one change


def test_the_minutes_follow_the_policy(people, last_week, series):
    Policy.objects.filter(organisation=last_week.organisation).update(followup_min_minutes=20,
                                                                      followup_max_minutes=25)
    assert first_topic(weekly(people, series, 8)).minutes == 20


def test_the_first_meeting_of_a_series_says_there_is_nothing_open(people, series):
    topic = first_topic(weekly(people, series, 1))
    assert in_language_of(people["host"], "No open action items from earlier meetings of this series.") in \
        topic.materials_note


def test_a_meeting_without_a_series_gets_no_review_topic(people, meeting):
    assert not ReviewTopic.objects.exists() and first_topic(meeting).title == "Q2推广活动复盘"


def test_refreshing_keeps_one_review_topic_first_and_lists_the_items_now_open(people, last_week, series, today):
    meeting = weekly(people, series, 8)
    topic_add(actor=people["host"], meeting=meeting, data={"title": "渠道策略", "minutes": 10, "order": 1})
    action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=last_week,
                       data=item_data(people, task="补充竞品分析", due=later(today, 8)))
    version = Meeting.objects.get(pk=meeting.pk).version
    topic = series_review_topic_ensure(actor=people["recorder"], meeting=meeting)
    assert list(meeting.topics.order_by("order").values_list("title", flat=True)) == [
        in_language_of(people["recorder"], REVIEW), "渠道策略"]
    assert "补充竞品分析" in topic.materials_note and Topic.objects.filter(meeting=meeting).count() == 2
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1  # a notice already sent shows outdated


def test_a_deleted_review_topic_comes_back_only_when_asked(people, last_week, series):
    meeting = weekly(people, series, 8)
    topic_delete(actor=people["host"], topic=first_topic(meeting))
    assert not meeting.topics.exists()
    series_review_topic_ensure(actor=people["host"], meeting=meeting)
    assert first_topic(meeting).title == in_language_of(people["host"], REVIEW)


def test_only_editors_generate_and_only_for_a_series(people, last_week, series, meeting):
    with pytest.raises(PermissionDenied):
        series_review_topic_ensure(actor=people["member"], meeting=weekly(people, series, 8))
    with pytest.raises(ValidationError) as exc:
        series_review_topic_ensure(actor=people["host"], meeting=meeting)
    assert "series" in exc.value.error_dict


def test_a_meeting_created_through_the_api_in_a_series_gets_the_topic(people, last_week, series):
    res = client_for(people["host"]).post("/api/v1/meetings", json.dumps({
        "type": "weekly_sync", "title": "第三次周例会", "series_id": series.pk,
        "start": "2026-06-15T10:00:00+08:00", "end": "2026-06-15T10:30:00+08:00"}), content_type="application/json")
    assert res.status_code == 201, res.content
    assert first_topic(Meeting.objects.get(pk=res.json()["id"])).title == in_language_of(people["host"], REVIEW)


# --- The review section --------------------------------------------------------------------

def test_the_meeting_page_loads_the_review_section(people, last_week, series):
    meeting = weekly(people, series, 8)
    page = client_for(people["host"]).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("actions:meeting_review", args=[meeting.pk]) in page
    section = client_for(people["host"]).get(reverse("actions:meeting_review", args=[meeting.pk]), headers=HTMX)
    assert "整理渠道数据" in section.content.decode()
    assert in_language_of(people["host"], "Refresh the review topic") in section.content.decode()


def test_an_update_in_the_review_changes_the_item_itself(people, last_week, series, today):
    meeting = weekly(people, series, 8)
    item = ActionItem.objects.get(task="整理渠道数据")
    url = reverse("actions:review_update", args=[meeting.pk, item.pk])
    c = client_for(people["host"])
    res = c.post(url, {"what": "progress", f"p{item.pk}-percent": "60", f"p{item.pk}-note": "数据已汇总"},
                 headers=HTMX)
    assert res.status_code == 200 and 'id="series-review"' in res.content.decode()
    res = c.post(url, {"what": "status", f"s{item.pk}-status": "delayed", f"s{item.pk}-reason": "口径待确认",
                       f"s{item.pk}-new_due": later(today, 9).isoformat()})
    assert res.status_code == 302
    item.refresh_from_db()
    assert (item.progress, item.status, item.due) == (60, ItemStatus.DELAYED, later(today, 9))
    delay = item.events.get(kind=EventKind.DELAY)
    assert (delay.reason, delay.actor) == ("口径待确认", people["host"])


def test_a_delay_in_the_review_without_a_reason_is_named_and_changes_nothing(people, last_week, series, today):
    meeting = weekly(people, series, 8)
    item = ActionItem.objects.get(task="整理渠道数据")
    res = client_for(people["host"]).post(
        reverse("actions:review_update", args=[meeting.pk, item.pk]),
        {"what": "status", f"s{item.pk}-status": "delayed", f"s{item.pk}-new_due": later(today, 9).isoformat()},
        headers=HTMX)
    assert in_language_of(people["host"], "Say why the item is delayed.") in res.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.NOT_STARTED


def test_generating_from_the_page(people, last_week, series):
    meeting = weekly(people, series, 8)
    topic_delete(actor=people["host"], topic=first_topic(meeting))
    res = client_for(people["recorder"]).post(reverse("actions:review_generate", args=[meeting.pk]),
                                              HTTP_REFERER=f"http://testserver/meetings/{meeting.pk}/")
    assert res.status_code == 302 and res.url == f"http://testserver/meetings/{meeting.pk}/#series-review"
    assert first_topic(meeting).title == in_language_of(people["recorder"], REVIEW)


def test_review_permissions(people, last_week, series):
    meeting = weekly(people, series, 8)
    item = ActionItem.objects.get(task="整理渠道数据")
    outsider, member = client_for(people["outsider"]), client_for(people["member"])
    assert outsider.get(reverse("actions:meeting_review", args=[meeting.pk])).status_code == 404
    assert outsider.post(reverse("actions:review_generate", args=[meeting.pk])).status_code == 404
    assert outsider.post(reverse("actions:review_update", args=[meeting.pk, item.pk]),
                         {"what": "progress", f"p{item.pk}-percent": "5"}).status_code == 404
    assert member.post(reverse("actions:review_generate", args=[meeting.pk])).status_code == 403
    # An item that is not one of this review's is 404 here, even for its owner.
    other = action_item_create(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                               data=item_data(people, task="本次的任务", due=dt.date(2026, 6, 26)))
    assert member.post(reverse("actions:review_update", args=[meeting.pk, other.pk]),
                       {"what": "progress", f"p{other.pk}-percent": "5"}).status_code == 404


def test_the_review_api(people, last_week, series):
    meeting = weekly(people, series, 8)
    c = client_for(people["host"])
    assert [i["task"] for i in c.get(f"/api/v1/actions/meetings/{meeting.pk}/review").json()["items"]] == [
        "整理渠道数据", "确认供应商报价"]
    res = c.post(f"/api/v1/actions/meetings/{meeting.pk}/review-topic")
    assert res.status_code == 200 and res.json()["order"] == 1 and res.json()["item_count"] == 2
    assert client_for(people["member"]).post(f"/api/v1/actions/meetings/{meeting.pk}/review-topic").status_code == 403
    assert client_for(people["outsider"]).post(
        f"/api/v1/actions/meetings/{meeting.pk}/review-topic").status_code == 404
