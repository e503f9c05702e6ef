"""The header's search finds people, meetings, requests, items, decisions and minutes, each only if the viewer may
open it (issue 12, point 10)."""

import datetime as dt

import pytest
from django.test import Client

from closeloop.actions.services.items import action_item_create
from closeloop.conftest import make_person
from closeloop.minutes.models import Minutes
from closeloop.org.models import ApiToken, Organisation
from closeloop.record.models import Decision, MeetingRecord

pytestmark = pytest.mark.django_db
NAME = "王销售"  # the member of 销售部, a decision-maker of the meeting


@pytest.fixture
def world(people, meeting):
    from closeloop.collab.services import request_create
    from closeloop.collab.tests.conftest import request_data

    market = people["departments"]["market"]
    market.head = people["host"]
    market.save()
    item = action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting, data={
        "task": "提交Q3推广预算明细表", "owner": people["member"], "due": dt.date(2026, 6, 18),
        "deliverable": "预算明细表"})
    request, _warnings = request_create(actor=people["member"], data=request_data(subject="Q3铺货协作"),
                                        receiving_departments=[people["departments"]["market"]],
                                        now=dt.datetime(2026, 2, 13, 10, tzinfo=dt.UTC))
    record = MeetingRecord.objects.create(meeting=meeting)
    Decision.objects.create(record=record, topic=meeting.topics.first(), text=f"由{NAME}牵头铺货")
    Minutes.objects.create(meeting=meeting, content={"attendees": f"销售部：{NAME}", "summary": "铺货计划"})
    stranger_org = Organisation.objects.create(name="别家公司")
    make_person(stranger_org, "other", name=f"{NAME}二号")
    return {"item": item, "request": request}


def found(client, q):
    answer = client.get("/search/", {"q": q})
    assert answer.status_code == 200
    return answer.content.decode()


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def test_a_name_finds_the_person_their_meetings_requests_items_decisions_and_minutes(people, meeting, world):
    page = found(signed_in(people["host"]), NAME)
    for section in ("people", "meetings", "requests", "items", "decisions", "minutes"):
        assert f'id="results-{section}"' in page, section
    assert f"/meetings/{meeting.pk}/" in page and f"/actions/{world['item'].pk}/" in page
    assert f"/requests/{world['request'].pk}/" in page
    assert f"{NAME}二号" not in page  # another organisation's people are not ours to list


def test_someone_not_entitled_finds_only_the_person(people, meeting, world):
    page = found(signed_in(people["outsider"]), NAME)
    assert 'id="results-people"' in page
    for section in ("meetings", "requests", "items", "decisions", "minutes"):
        assert f'id="results-{section}"' not in page, section
    assert meeting.title not in page and "Q3铺货协作" not in page and "提交Q3推广预算明细表" not in page


def test_a_topic_title_finds_its_meeting(people, meeting, world):
    assert f"/meetings/{meeting.pk}/" in found(signed_in(people["recorder"]), "部门分工与资源")


@pytest.mark.parametrize("language,text", [("zh-hans", "没有您有权查看的内容"), ("en", "Nothing you may see matches")])
def test_nothing_found_says_so_in_the_viewers_language(people, language, text):
    person = people["outsider"]
    person.language = language
    person.save()
    assert text in found(signed_in(person), "不存在的东西")


def test_the_header_carries_the_search_box(people):
    page = signed_in(people["member"]).get("/meetings/").content.decode()
    assert 'action="/search/"' in page and 'name="q"' in page


def test_a_too_long_query_names_the_field_and_anonymous_people_sign_in_first(people):
    answer = signed_in(people["host"]).get("/search/", {"q": "长" * 101})
    assert answer.status_code == 400 and "q" in answer.context["form"].errors
    assert Client().get("/search/", {"q": NAME}).status_code == 302


def api(person, q):
    secret = ApiToken.new_secret()
    ApiToken.objects.create(person=person, name="t", prefix=secret[:8], digest=ApiToken.hash(secret))
    return Client().get("/api/v1/search", {"q": q}, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_answers_the_same_groups_with_the_same_visibility(people, meeting, world):
    kinds = {g["kind"] for g in api(people["host"], NAME).json()}
    assert kinds == {"people", "meetings", "requests", "items", "decisions", "minutes"}
    assert {g["kind"] for g in api(people["outsider"], NAME).json()} == {"people"}
    assert api(people["host"], "长" * 101).status_code == 422
    assert Client().get("/api/v1/search", {"q": NAME}).status_code == 401
