"""The meetings list: search by title, topic, person or department, and filter by my role (issue 12, point 10)."""

import pytest
from django.test import Client

from closeloop.conftest import at
from closeloop.meetings.services.planning import meeting_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(people):
    """A confidential meeting of the host's without the member: never found by the member."""
    return meeting_create(actor=people["host"], data={
        "type": "weekly_sync", "title": "市场部周会", "start": at(2026, 6, 20, 10), "end": at(2026, 6, 20, 10, 30),
        "confidential": True})


def titles(person, **query):
    client = Client()
    client.force_login(person)
    answer = client.get("/meetings/", query)
    assert answer.status_code == 200
    return [m.title for m in answer.context["meetings"]]


@pytest.mark.parametrize("q", ["Q3推广", "部门分工", "王销售", "销售部", "member"])
def test_search_finds_by_title_topic_person_and_department(people, meeting, other, q):
    assert titles(people["host"], q=q) == [meeting.title]


def test_search_never_finds_what_the_viewer_may_not_see(people, meeting, other):
    assert titles(people["member"], q="周会") == []
    assert titles(people["outsider"], q="Q3推广") == []


def test_my_role_filters_the_meetings_where_i_have_that_role(people, meeting, other):
    assert titles(people["member"], my_role="decision_maker") == [meeting.title]
    assert titles(people["member"], my_role="host") == []
    assert set(titles(people["host"], my_role="host")) == {meeting.title, other.title}
    assert titles(people["recorder"], my_role="any") == [meeting.title]


def test_filters_combine_with_the_search_and_the_date_range(people, meeting, other):
    assert titles(people["host"], q="会", type="weekly_sync") == [other.title]
    assert titles(people["host"], q="会", start_from="2026-06-16", start_to="2026-06-30") == [other.title]
    assert titles(people["host"], q="会", state="draft", start_to="2026-06-15") == [meeting.title]


@pytest.mark.parametrize("language,label", [("zh-hans", "我的角色"), ("en", "My role")])
def test_the_filter_form_speaks_the_viewers_language(people, language, label):
    person = people["host"]
    person.language = language
    person.save()
    client = Client()
    client.force_login(person)
    assert label in client.get("/meetings/").content.decode()
