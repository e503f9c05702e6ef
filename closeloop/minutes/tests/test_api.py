"""The minutes through the API: the whole life, the 409 on a stale version, the diff, exports — and who may do what
(404 for anyone who may not see the meeting, 403 for those who may see but not act)."""

import json

import pytest
from django.test import Client

from closeloop.minutes import services
from closeloop.minutes.models import Minutes
from closeloop.notify.models import OutboxMessage
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def api(person):
    client = Client(headers={"Authorization": f"Bearer {token_create(person=person, name='t')[1]}"})

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json"} if method != "get" else {}
        args = (json.dumps(body),) if method != "get" else ()
        return getattr(client, method)(f"/api/v1/minutes{path}", *args, **kwargs)
    return call


def test_the_whole_life_through_the_api(held, cast, meeting):
    recorder, host = api(cast["recorder"]), api(cast["host"])
    preview = recorder("get", f"/meetings/{meeting.pk}/draft-preview?language=en").json()
    assert preview[6] == {"key": "absences", "label": "Absent and why",
                          "text": "王五 (销售部, 出差) — 赵六 attended instead"}
    created = recorder("post", f"/meetings/{meeting.pk}/draft")
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "draft" and body["version"] == 1 and body["due_at"].endswith("+08:00")
    assert body["content"]["absences"] == "王五(销售部,出差)——由赵六代参会"
    mid = body["id"]
    saved = recorder("put", f"/{mid}/content", {"content": {"decisions": "1.同意"}, "version": 1}).json()
    assert saved["version"] == 2 and saved["content"]["decisions"] == "1.同意"
    assert recorder("post", f"/{mid}/submit").json()["state"] == "in_review"
    returned = host("post", f"/{mid}/return", {"comment": "补充"}).json()
    assert (returned["state"], returned["review_comment"]) == ("draft", "补充")
    recorder("post", f"/{mid}/submit")
    approved = host("post", f"/{mid}/approve", {"version": None}).json()
    assert approved["state"] == "approved" and approved["approved_by"]["id"] == cast["host"].pk
    distributed = recorder("post", f"/{mid}/distribute").json()
    assert distributed["minutes"]["state"] == "distributed" and distributed["queued"] == OutboxMessage.objects.filter(
        channel="email", kind__in=["minutes.distributed", "minutes.signoff"]).count()
    assert len(distributed["signoff_department_ids"]) == 2
    corrected = recorder("post", f"/{mid}/correct", {"reason": "更正"})
    assert corrected.status_code == 201 and corrected.json()["number"] == 2
    versions = recorder("get", f"/meetings/{meeting.pk}").json()
    assert [v["number"] for v in versions] == [2, 1]


def test_a_stale_version_gets_409_with_the_current_version(draft, cast):
    services.minutes_save(actor=cast["host"], minutes=draft, content={"title": "新"}, version=1)
    response = api(cast["recorder"])("put", f"/{draft.pk}/content", {"content": {"title": "旧"}, "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and response.json()["detail"]
    assert Minutes.objects.get(pk=draft.pk).content["title"] == "新"


def test_bad_input_names_the_field(draft, cast):
    call = api(cast["recorder"])
    unknown = call("put", f"/{draft.pk}/content", {"content": {"bogus": "x"}, "version": 1})
    assert unknown.status_code == 422 and "content" in unknown.json()["errors"]
    no_version = call("put", f"/{draft.pk}/content", {"content": {}})
    assert no_version.status_code == 422 and "version" in no_version.json()["errors"]
    services.minutes_submit(actor=cast["recorder"], minutes=draft)
    no_comment = api(cast["host"])("post", f"/{draft.pk}/return", {"comment": ""})
    assert no_comment.status_code == 422 and "comment" in no_comment.json()["errors"]


def test_the_diff_endpoint_gives_segments_per_section(approved, cast):
    v2 = services.minutes_correct(actor=cast["recorder"], minutes=approved, reason="x")
    services.minutes_save(actor=cast["recorder"], minutes=v2, content={"title": approved.content["title"] + "(更正)"},
                          version=1)
    body = api(cast["member"])("get", f"/{v2.pk}/diff").json()
    assert (body["from_number"], body["to_number"]) == (1, 2)
    title = next(s for s in body["sections"] if s["key"] == "title")
    assert title["changed"] and {"kind": "insert", "text": "(更正)"} in title["segments"]
    assert not next(s for s in body["sections"] if s["key"] == "agenda")["changed"]
    assert api(cast["member"])("get", f"/{approved.pk}/diff?against=999999").status_code == 404


def test_exports_through_the_api(approved, cast):
    call = api(cast["member"])
    docx = call("get", f"/{approved.pk}/export.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    markdown = call("get", f"/{approved.pk}/export.md")
    # The member reads English; the minutes are written in Chinese, and so are the Markdown's labels.
    assert markdown.status_code == 200 and "## 行动计划" in markdown.content.decode()


READS = ["/{id}", "/{id}/signoffs", "/{id}/diff", "/{id}/export.docx", "/{id}/export.md",
         "/meetings/{meeting}", "/meetings/{meeting}/draft-preview"]
WRITES = [("put", "/{id}/content", {"content": {"title": "x"}, "version": 1}),
          ("post", "/{id}/redraft", {"version": 1}),
          ("post", "/{id}/submit", None), ("post", "/{id}/return", {"comment": "x"}),
          ("post", "/{id}/approve", {}), ("post", "/{id}/distribute", None), ("post", "/{id}/correct", {"reason": "x"}),
          ("post", "/{id}/signoff", {}), ("post", "/meetings/{meeting}/draft", None)]


def fill(path, minutes):
    return path.format(id=minutes.pk, meeting=minutes.meeting_id)


@pytest.mark.parametrize("path", READS)
def test_an_outsider_gets_404_from_every_read(draft, cast, path):
    assert api(cast["outsider"])("get", fill(path, draft)).status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=[w[1] for w in WRITES])
def test_an_outsider_gets_404_from_every_write_and_changes_nothing(draft, cast, method, path, body):
    before = list(Minutes.objects.values())
    assert api(cast["outsider"])(method, fill(path, draft), body).status_code == 404
    assert list(Minutes.objects.values()) == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES[:5] + WRITES[6:7],
                         ids=[w[1] for w in WRITES[:5] + WRITES[6:7]])
def test_a_participant_who_does_not_run_the_meeting_gets_403(draft, cast, method, path, body):
    before = list(Minutes.objects.values())
    response = api(cast["member"])(method, fill(path, draft), body)
    assert response.status_code == 403, response.content
    assert list(Minutes.objects.values()) == before


def test_nobody_signed_out_gets_anything(draft):
    assert Client().get(f"/api/v1/minutes/{draft.pk}").status_code == 401
