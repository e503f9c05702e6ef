"""Approved minutes never change: not through the services, pages, API or admin, and the database refuses raw
updates and deletes too (a trigger on SQLite and PostgreSQL)."""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from closeloop.minutes.models import Minutes
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def frozen_state(minutes):
    m = Minutes.objects.get(pk=minutes.pk)
    return (m.content, m.number, m.approved_at, m.approved_by_id, m.state, m.version)


def test_a_raw_orm_update_of_the_content_is_refused_by_the_database(approved):
    before = frozen_state(approved)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Minutes.objects.filter(pk=approved.pk).update(content={"title": "篡改"})
    assert frozen_state(approved) == before


def test_raw_sql_cannot_change_the_approval_or_delete_the_row(approved):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE minutes_minutes SET approved_at = NULL WHERE id = %s", [approved.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM minutes_minutes WHERE id = %s", [approved.pk])
    assert Minutes.objects.get(pk=approved.pk).approved_at is not None


def test_saving_a_changed_instance_is_refused_too(approved):
    approved.content = {**approved.content, "decisions": "篡改"}
    with pytest.raises(DatabaseError), transaction.atomic():
        approved.save()
    assert Minutes.objects.get(pk=approved.pk).content["decisions"] != "篡改"


def test_the_database_still_lets_approved_minutes_move_on_to_distributed(approved):
    Minutes.objects.filter(pk=approved.pk).update(state="distributed")
    assert Minutes.objects.get(pk=approved.pk).state == "distributed"


def test_a_draft_can_still_be_changed_by_the_database(draft):
    Minutes.objects.filter(pk=draft.pk).update(content={"title": "草稿可改"})
    assert Minutes.objects.get(pk=draft.pk).content == {"title": "草稿可改"}


@pytest.mark.parametrize("who", ["host", "recorder", "admin"])
def test_the_pages_refuse_to_change_approved_minutes(approved, cast, client_for, who):
    before = frozen_state(approved)
    client = client_for(cast[who])
    page = client.get(f"/minutes/{approved.pk}/")
    assert page.status_code == 200 and b"<textarea" not in page.content.split(b'id="minutes-actions"')[0]
    data = {"version": approved.version, **{k: "篡改" for k in approved.content}}
    assert client.post(f"/minutes/{approved.pk}/save/", data).status_code == 422
    for action in ("submit", "approve", "redraft"):
        client.post(f"/minutes/{approved.pk}/{action}/", {"version": approved.version})
    client.post(f"/minutes/{approved.pk}/return/", {"comment": "退回"})
    assert frozen_state(approved) == before


ENDPOINTS = [
    ("put", "content", {"content": {"title": "篡改"}, "version": None}),
    ("post", "redraft", {"version": None}),
    ("post", "submit", None),
    ("post", "approve", {"version": None}),
    ("post", "return", {"comment": "退回"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_every_api_endpoint_refuses_to_change_approved_minutes(approved, cast, method, path, body):
    before = frozen_state(approved)
    headers = {"Authorization": f"Bearer {token_create(person=cast['host'], name='t')[1]}"}
    if body and "version" in body:
        body = {**body, "version": approved.version}
    response = getattr(Client(), method)(f"/api/v1/minutes/{approved.pk}/{path}", json.dumps(body or {}),
                                         content_type="application/json", headers=headers)
    assert response.status_code == 422, response.content
    assert response.json()["errors"]
    assert frozen_state(approved) == before


def test_the_admin_shows_minutes_read_only_and_refuses_changes_and_deletes(approved, cast):
    superuser = cast["admin"]
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client = Client()
    client.force_login(superuser)
    before = frozen_state(approved)
    page = client.get(f"/admin/minutes/minutes/{approved.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content and b'name="content"' not in page.content
    data = {"content": json.dumps({"title": "篡改"}), "number": 9, "state": "draft", "version": 1}
    assert client.post(f"/admin/minutes/minutes/{approved.pk}/change/", data).status_code == 403
    assert client.post(f"/admin/minutes/minutes/{approved.pk}/delete/", {"post": "yes"}).status_code == 403
    assert frozen_state(approved) == before


@pytest.mark.parametrize("back_to", ["draft", "in_review"])
def test_raw_sql_cannot_move_approved_minutes_back_to_a_draft(approved, back_to):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE minutes_minutes SET state = %s WHERE id = %s", [back_to, approved.pk])
    assert Minutes.objects.get(pk=approved.pk).state == "approved"


def test_the_state_only_moves_forward_after_approval(approved):
    Minutes.objects.filter(pk=approved.pk).update(state="distributed")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Minutes.objects.filter(pk=approved.pk).update(state="approved")
    Minutes.objects.filter(pk=approved.pk).update(state="signed_off")
    for earlier in ("distributed", "approved", "bogus"):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            Minutes.objects.filter(pk=approved.pk).update(state=earlier)
    assert Minutes.objects.get(pk=approved.pk).state == "signed_off"


# The meeting's `archived` flag, which the archive counts along an index, is the database's to keep.
def archived(meeting):
    return type(meeting).objects.filter(pk=meeting.pk).values_list("archived", flat=True).get()


def test_approving_the_minutes_archives_the_meeting_and_a_draft_does_not(draft, meeting, cast):
    from closeloop.minutes import services

    assert archived(meeting) is False
    in_review = services.minutes_submit(actor=cast["recorder"], minutes=draft)
    assert archived(meeting) is False
    services.minutes_approve(actor=cast["host"], minutes=in_review)
    assert archived(meeting) is True


def test_a_save_from_a_copy_older_than_the_approval_keeps_the_meeting_archived(in_review, meeting, cast):
    from closeloop.meetings.models import Meeting
    from closeloop.minutes import services

    stale = Meeting.objects.get(pk=meeting.pk)  # read before the approval: archived False
    services.minutes_approve(actor=cast["host"], minutes=in_review)
    stale.place = "5楼"
    stale.save()
    assert archived(meeting) is True and Meeting.objects.get(pk=meeting.pk).place == "5楼"


def test_nothing_written_to_the_flag_can_make_it_lie(draft, meeting, approved):
    from closeloop.meetings.models import Meeting

    other = Meeting.objects.create(organisation=meeting.organisation, title="未开", start=meeting.start,
                                   end=meeting.end, ical_uid="flag-test@closeloop")
    Meeting.objects.filter(pk=other.pk).update(archived=True)  # no approved minutes: the database says no
    Meeting.objects.filter(pk=meeting.pk).update(archived=False)  # approved minutes: it stays archived
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET archived = %s WHERE id = %s", [True, other.pk])
    assert (archived(other), archived(meeting)) == (False, True)
