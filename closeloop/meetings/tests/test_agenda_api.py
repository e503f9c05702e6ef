"""Agenda check, reorder, printable agenda and .docx through pages and the API: who may do what."""

import pytest
from django.urls import reverse

from closeloop.meetings.models import Topic
from closeloop.org.models import ApiToken

API = "/api/v1/meetings"


@pytest.fixture(autouse=True)
def _decision_marked_urgent(meeting):
    """The fixture's agenda (information, discussion, decision) is already sound; an urgent decision is suggested
    first, so there is an order to apply."""
    Topic.objects.filter(meeting=meeting, title="部门分工与资源协调").update(urgent=True)


def _ids(meeting):
    return list(Topic.objects.filter(meeting=meeting).order_by("order", "id").values_list("pk", flat=True))


def _token(person):
    secret = ApiToken.new_secret()
    ApiToken.objects.create(person=person, name="test", prefix=secret[:8], digest=ApiToken.hash(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _pages(meeting):
    return [
        ("get", reverse("meetings:agenda_check", args=[meeting.pk])),
        ("post", reverse("meetings:agenda_reorder", args=[meeting.pk])),
        ("get", reverse("meetings:agenda_print", args=[meeting.pk])),
        ("get", reverse("meetings:agenda_docx", args=[meeting.pk])),
    ]


def _api(meeting):
    return [
        ("get", f"{API}/{meeting.pk}/agenda-check", None),
        ("post", f"{API}/{meeting.pk}/agenda/reorder", {"topic_ids": _ids(meeting)}),
        ("get", f"{API}/{meeting.pk}/agenda.docx", None),
    ]


def test_an_outsider_gets_404_from_every_agenda_page(client, people, meeting):
    client.force_login(people["outsider"])
    for method, url in _pages(meeting):
        assert getattr(client, method)(url).status_code == 404, url


def test_an_outsider_gets_404_from_every_agenda_endpoint(client, people, meeting):
    auth = _token(people["outsider"])
    for method, url, body in _api(meeting):
        kwargs = {"data": body, "content_type": "application/json"} if body else {}
        assert getattr(client, method)(url, **kwargs, **auth).status_code == 404, url
    assert _ids(meeting) == sorted(_ids(meeting))


def test_an_unknown_meeting_is_404_too(client, people, meeting):
    client.force_login(people["admin"])
    assert client.get(reverse("meetings:agenda_check", args=[meeting.pk + 100])).status_code == 404
    assert client.get(f"{API}/{meeting.pk + 100}/agenda-check").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, meeting):
    response = client.get(reverse("meetings:agenda_print", args=[meeting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"{API}/{meeting.pk}/agenda-check").status_code == 401


@pytest.mark.parametrize("who", ["member", "head", "admin"])
def test_people_who_see_the_meeting_can_read_the_check(client, people, meeting, who):
    client.force_login(people[who])
    response = client.get(reverse("meetings:agenda_check", args=[meeting.pk]))
    assert response.status_code == 200
    assert b'class="agenda-check"' in response.content
    data = client.get(f"{API}/{meeting.pk}/agenda-check").json()
    ids = _ids(meeting)
    assert data["current_order"] == ids and data["suggested_order"] == [ids[2], ids[0], ids[1]]
    assert data["order_changed"] is True
    assert data["topic_minutes"] == 70 and data["meeting_minutes"] == 90 and data["buffer_minutes"] == 20


def test_a_member_sees_the_suggestion_but_no_button(client, people, meeting):
    client.force_login(people["member"])
    html = client.get(reverse("meetings:agenda_check", args=[meeting.pk])).content.decode()
    assert "部门分工与资源协调" in html and 'class="suggested-order"' in html
    assert "agenda/reorder" not in html


def test_the_host_sees_the_button(client, people, meeting):
    client.force_login(people["host"])
    html = client.get(reverse("meetings:agenda_check", args=[meeting.pk])).content.decode()
    assert reverse("meetings:agenda_reorder", args=[meeting.pk]) in html
    assert 'hx-post="' in html and 'name="topic_ids"' in html


def test_a_member_cannot_reorder(client, people, meeting):
    before = _ids(meeting)
    client.force_login(people["member"])
    page = client.post(reverse("meetings:agenda_reorder", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert page.status_code == 403
    api = client.post(f"{API}/{meeting.pk}/agenda/reorder", data={"topic_ids": before[::-1]},
                      content_type="application/json")
    assert api.status_code == 403
    assert _ids(meeting) == before


def test_the_host_applies_the_suggested_order_with_htmx(client, people, meeting):
    a, b, c = _ids(meeting)
    client.force_login(people["host"])
    response = client.post(reverse("meetings:agenda_reorder", args=[meeting.pk]),
                           {"topic_ids": [c, a, b]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "topicsReordered"
    assert _ids(meeting) == [c, a, b]
    assert b'class="suggested-order"' not in response.content  # nothing left to suggest
    assert b'class="agenda-check"' in response.content


def test_without_javascript_the_reorder_redirects_to_the_meeting(client, people, meeting):
    client.force_login(people["recorder"])
    response = client.post(reverse("meetings:agenda_reorder", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("meetings:detail", args=[meeting.pk]) + "#agenda-check")
    a, b, c = sorted(_ids(meeting))
    assert _ids(meeting) == [c, a, b]  # no ids posted: the current suggestion was applied


def test_a_stale_order_is_refused_and_shown_in_the_panel(client, people, meeting):
    a, b, c = _ids(meeting)
    client.force_login(people["host"])
    response = client.post(reverse("meetings:agenda_reorder", args=[meeting.pk]),
                           {"topic_ids": [c, a]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'role="alert"' in response.content
    assert "HX-Trigger" not in response
    assert _ids(meeting) == [a, b, c]


def test_the_api_reorders_and_names_the_field_on_bad_input(client, people, meeting):
    a, b, c = _ids(meeting)
    auth = _token(people["host"])
    bad = client.post(f"{API}/{meeting.pk}/agenda/reorder", data={"topic_ids": [a, b]},
                      content_type="application/json", **auth)
    assert bad.status_code == 422 and "topic_ids" in bad.json()["errors"]
    wrong_type = client.post(f"{API}/{meeting.pk}/agenda/reorder", data={"topic_ids": "x"},
                             content_type="application/json", **auth)
    assert wrong_type.status_code == 422 and "topic_ids" in wrong_type.json()["errors"]
    ok = client.post(f"{API}/{meeting.pk}/agenda/reorder", data={"topic_ids": [c, b, a]},
                     content_type="application/json", **auth)
    assert ok.status_code == 200 and ok.json()["current_order"] == [c, b, a]
    assert _ids(meeting) == [c, b, a]


def test_the_api_speaks_the_callers_language(client, people, meeting):
    from closeloop.meetings.models import Participant

    Participant.objects.filter(meeting=meeting, person=people["recorder"]).delete()
    data = client.get(f"{API}/{meeting.pk}/agenda-check", **_token(people["member"])).json()
    recorder = [f for f in data["findings"] if f["rule"] == "recorder"]
    assert recorder and recorder[0]["severity"] == "block"
    assert recorder[0]["message"] == "Nobody records this meeting."  # member reads English
    assert data["blocking"] is True


def test_get_requests_change_nothing(client, people, meeting):
    before = (_ids(meeting), meeting.version)
    client.force_login(people["host"])
    for method, url in _pages(meeting):
        if method == "get":
            client.get(url)
    meeting.refresh_from_db()
    assert (_ids(meeting), meeting.version) == before
    assert client.get(reverse("meetings:agenda_reorder", args=[meeting.pk])).status_code == 405


def test_the_print_page_has_a_print_button_and_no_inline_script(client, people, meeting):
    client.force_login(people["member"])
    response = client.get(reverse("meetings:agenda_print", args=[meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-print" in html and "onclick" not in html and "<script>" not in html
    for title in ("Q2推广活动复盘", "Q3推广目标及策略", "部门分工与资源协调", "3楼会议室A"):
        assert title in html
    assert "Monday" in html  # member reads English: the weekday follows the viewer's language


def test_the_schema_documents_the_agenda_endpoints(client, people):
    client.force_login(people["member"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/meetings/{meeting_id}/agenda-check"]
    assert "post" in paths["/api/v1/meetings/{meeting_id}/agenda/reorder"]
    docx_get = paths["/api/v1/meetings/{meeting_id}/agenda.docx"]["get"]
    assert "application/vnd.openxmlformats-officedocument.wordprocessingml.document" in str(docx_get["responses"])
