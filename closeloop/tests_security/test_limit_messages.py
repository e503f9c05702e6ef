"""Every limit message states the limit it enforces, in the reader's language; a value the database refuses
is a 422 naming the field it came in, never a message about "a value" somewhere."""

import json

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test import Client, RequestFactory
from django.utils import translation

from closeloop.api import api as ninja_api
from closeloop.insight.models import HourlyCost
from closeloop.lib.api_messages import pydantic_message
from closeloop.lib.db_errors import database_error_fields
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def send(person, method, url, body):
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {token_create(person=person, name='limits')[1]}"}
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", headers=headers)


def test_each_text_limit_message_states_its_own_limit_in_the_readers_language(people, meeting):
    # subject: 200 characters (a request); recipient: 100 (the outbox filter); task: 2000 (an action item)
    subject = send(people["host"], "post", "/api/v1/requests", {
        "subject": "长" * 201, "receiving_departments": [people["departments"]["sales"].pk], "what": "a", "why": "b",
        "due": "2099-01-01", "acceptance_standard": "c"})
    assert subject.status_code == 422
    assert subject.json()["errors"]["subject"] == ["最多 200 个字符。"]
    task = send(people["host"], "post", "/api/v1/actions", {"meeting_id": meeting.pk, "task": "x" * 2001,
                                                           "due": "2099-01-01"})
    assert task.status_code == 422, task.content
    assert task.json()["errors"]["task"] == ["最多 2000 个字符。"]


def test_an_english_reader_reads_the_limit_in_english(people):
    response = send(people["member"], "post", "/api/v1/requests", {
        "subject": "s" * 250, "receiving_departments": [people["departments"]["market"].pk], "what": "a", "why": "b",
        "due": "2099-01-01", "acceptance_standard": "c"})
    assert response.status_code == 422
    assert response.json()["errors"]["subject"] == ["At most 200 characters."]


@pytest.mark.parametrize("err,expected", [
    ({"type": "too_long", "ctx": {"field_type": "List", "max_length": 7, "actual_length": 9}}, "最多 7 项。"),
    ({"type": "too_short", "ctx": {"field_type": "List", "min_length": 3, "actual_length": 1}}, "至少 3 项。"),
    ({"type": "string_too_long", "ctx": {"max_length": 64}}, "最多 64 个字符。"),
    ({"type": "less_than_equal", "ctx": {"le": 2600}}, "请填写不大于 2600 的数。"),
    ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "请填写不小于 1 的数。"),
    ({"type": "decimal_max_places", "ctx": {"decimal_places": 2}}, "最多 2 位小数。"),
])
def test_pydantic_limits_are_told_with_the_limit_from_the_error(err, expected):
    with translation.override("zh-hans"):
        assert pydantic_message(err) == expected


def _factory_request(body):
    return RequestFactory().post("/api/v1/anything", json.dumps(body), content_type="application/json")


def test_a_duplicate_the_database_refuses_names_the_field_sent(people):
    org = people["admin"].organisation
    HourlyCost.objects.create(organisation=org, title="经理", hourly_cost=300)
    request = _factory_request({"title": "经理", "hourly_cost": 300})
    request._body = request.body  # what the API had read
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        HourlyCost.objects.create(organisation=org, title="经理", hourly_cost=200)
    with translation.override("zh-hans"):
        fields = database_error_fields(refused.value, request)
        answer = ninja_api.on_exception(request, refused.value)
    assert list(fields) == ["title"]
    assert answer.status_code == 422
    assert json.loads(answer.content)["errors"] == {"title": ["该值已被使用，请换一个。"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores any length and any number")
def test_a_number_past_its_column_names_the_field_and_the_largest_value(people):
    org = people["admin"].organisation
    request = _factory_request({"title": "总监", "hourly_cost": 123456789})
    request._body = request.body
    with pytest.raises(DataError) as refused, transaction.atomic():
        HourlyCost.objects.create(organisation=org, title="总监", hourly_cost=123456789)
    with translation.override("zh-hans"):
        fields = database_error_fields(refused.value, request)
    assert fields == {"hourly_cost": ["请填写不大于 99999999 的数。"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores any length")
def test_text_past_its_column_names_the_field_and_the_real_length(people):
    request = _factory_request({"note": "ok", "title": "长" * 101})
    request._body = request.body
    with pytest.raises(DataError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO insight_hourlycost (organisation_id, title, hourly_cost) VALUES (%s, %s, 1)",
                       [people["admin"].organisation_id, "长" * 101])
    with translation.override("zh-hans"):
        assert database_error_fields(refused.value, request) == {"title": ["最多 100 个字符。"]}


def test_sqlite_and_postgresql_wordings_both_name_the_column():
    request = _factory_request({"department": 4, "minutes": -3})
    request._body = request.body
    with translation.override("en"):
        not_null = database_error_fields(IntegrityError("NOT NULL constraint failed: collab_receipt.department_id"),
                                         request)
        check = database_error_fields(IntegrityError('CHECK constraint failed: "minutes" >= 0'), request)
        overflow = database_error_fields(DataError("smallint out of range"), request)
    assert not_null == {"department": ["This field is required."]}
    assert list(check) == ["minutes"]
    assert overflow == {"__all__": ["Give a number of at most 32767."]}
