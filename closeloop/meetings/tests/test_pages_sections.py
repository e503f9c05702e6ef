"""The detail page and its sections edited in place: topics, participants, materials (htmx and plain posts)."""

import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeloop.conftest import at
from closeloop.meetings.models import Material, Participant, Topic
from closeloop.meetings.services.planning import material_add, meeting_create, topic_add
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _topic(**overrides):
    data = {"title": "渠道预算分配", "kind": "decide", "presenter": "", "minutes": "15",
            "presentation_minutes": "5", "required_outcome": "确定预算", "materials_note": ""}
    data.update(overrides)
    return data


def _upload(name="预读材料.pdf", content=b"%PDF-1.4 pre-read"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _triggers(response):
    return json.loads(response.get("HX-Trigger", "{}"))


# The detail page ------------------------------------------------------------------------------

def test_the_host_sees_every_section_with_its_editing_controls(client, people, meeting):
    client.force_login(people["host"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for marker in ('id="topics"', 'id="participants"', 'id="materials"', 'id="topic-add-form"',
                   'id="participant-add-form"', 'id="material-upload-form"', "部门分工与资源协调", "王销售"):
        assert marker in body, marker
    assert reverse("meetings:edit", args=[meeting.pk]) in body


def test_a_participant_sees_the_page_read_only(client, people, meeting):
    client.force_login(people["member"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "部门分工与资源协调" in body
    for marker in ('id="topic-add-form"', 'id="participant-add-form"', 'id="material-upload-form"',
                   reverse("meetings:edit", args=[meeting.pk]), reverse("meetings:topic_add", args=[meeting.pk])):
        assert marker not in body, marker


def test_the_agenda_check_panel_reloads_itself_when_the_agenda_changes(client, people, meeting):
    client.force_login(people["host"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="agenda-check"' in body
    assert f'hx-get="{reverse("meetings:agenda_check", args=[meeting.pk])}"' in body
    assert 'hx-trigger="agendaChanged from:body"' in body


def test_the_page_never_links_to_the_media_folder(client, people, meeting, settings):
    material = material_add(actor=people["host"], meeting=meeting, upload=_upload())
    client.force_login(people["host"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert material.file.name not in body and settings.MEDIA_URL not in body
    assert reverse("meetings:material_download", args=[meeting.pk, material.pk]) in body


# Topics ---------------------------------------------------------------------------------------

def test_adding_a_topic_with_htmx_returns_the_section_and_announces_the_change(client, people, meeting):
    client.force_login(people["host"])
    response = client.post(reverse("meetings:topic_add", args=[meeting.pk]),
                           _topic(presenter=people["member"].pk), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section id=\"topics\"") and "<html" not in body
    assert "渠道预算分配" in body and _triggers(response) == {"agendaChanged": True}
    topic = meeting.topics.get(title="渠道预算分配")
    assert (topic.order, topic.presenter, topic.minutes, topic.presentation_minutes) == (4, people["member"], 15, 5)


def test_adding_a_topic_without_javascript_redirects_back_to_the_page(client, people, meeting):
    client.force_login(people["host"])
    response = client.post(reverse("meetings:topic_add", args=[meeting.pk]), _topic())
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk]) + "#topics"
    assert meeting.topics.filter(title="渠道预算分配").exists()


def test_a_bad_topic_is_refused_naming_the_field_and_keeping_what_was_typed(client, people, meeting):
    people["host"].language = "en"
    people["host"].save()
    client.force_login(people["host"])
    response = client.post(reverse("meetings:topic_add", args=[meeting.pk]),
                           _topic(minutes="10", presentation_minutes="20"), **HX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    body = response.content.decode()
    assert "The presentation cannot be longer than the whole topic." in body
    assert 'value="渠道预算分配"' in body
    assert not meeting.topics.filter(title="渠道预算分配").exists()


def _shared_choices(body):
    start = body.index('<template id="shared-choices">') + len('<template id="shared-choices">')
    return json.loads(body[start:body.index("</template>", start)])


def test_the_presenter_chooser_lists_participants_first_then_everyone_else(client, people, meeting):
    client.force_login(people["host"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    form = body[body.index('id="topic-add-form"'):]
    start = form.index('name="presenter"')
    chooser = form[start:form.index("</select>", start)]
    # The page carries the people once; app.js fills the chooser, participants first (the member, not the outsider).
    assert 'data-choices="people-participants-first"' in chooser and "钱财务" not in chooser
    shared = _shared_choices(body)
    assert people["member"].pk in shared["participants"] and people["outsider"].pk not in shared["participants"]
    assert any(name == "钱财务" for _dept, rows in shared["people"] for _pk, name in rows)


def test_a_topic_opens_for_editing_in_place_and_saves(client, people, meeting):
    topic = meeting.topics.get(order=2)
    client.force_login(people["host"])
    response = client.get(reverse("meetings:topics", args=[meeting.pk]), {"edit": topic.pk}, **HX)
    body = response.content.decode()
    assert reverse("meetings:topic_edit", args=[meeting.pk, topic.pk]) in body
    assert 'value="Q3推广目标及策略"' in body and "autofocus" in body
    response = client.post(reverse("meetings:topic_edit", args=[meeting.pk, topic.pk]),
                           _topic(title="Q3推广目标", kind="discuss", minutes="20", presentation_minutes=""), **HX)
    assert _triggers(response) == {"agendaChanged": True}
    topic.refresh_from_db()
    assert (topic.title, topic.minutes, topic.presentation_minutes, topic.kind) == ("Q3推广目标", 20, None, "discuss")


def test_topics_move_up_and_down_one_place(client, people, meeting):
    first, second, third = meeting.topics.order_by("order")
    client.force_login(people["host"])
    client.post(reverse("meetings:topic_move", args=[meeting.pk, third.pk]), {"direction": "up"}, **HX)
    assert list(meeting.topics.order_by("order").values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    client.post(reverse("meetings:topic_move", args=[meeting.pk, first.pk]), {"direction": "down"}, **HX)
    assert list(meeting.topics.order_by("order").values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]


def test_deleting_a_topic_removes_it(client, people, meeting):
    topic = meeting.topics.get(order=1)
    client.force_login(people["recorder"])
    response = client.post(reverse("meetings:topic_delete", args=[meeting.pk, topic.pk]), **HX)
    assert response.status_code == 200 and not Topic.objects.filter(pk=topic.pk).exists()


def test_a_participant_may_not_change_topics(client, people, meeting):
    topic = meeting.topics.get(order=1)
    client.force_login(people["member"])
    urls = [reverse("meetings:topic_add", args=[meeting.pk]),
            reverse("meetings:topic_edit", args=[meeting.pk, topic.pk]),
            reverse("meetings:topic_delete", args=[meeting.pk, topic.pk]),
            reverse("meetings:topic_move", args=[meeting.pk, topic.pk])]
    for url in urls:
        assert client.post(url, _topic(direction="down"), **HX).status_code == 403, url
    assert meeting.topics.count() == 3 and Topic.objects.get(pk=topic.pk).title == "Q2推广活动复盘"


def test_changes_are_refused_on_get(client, people, meeting):
    topic = meeting.topics.get(order=1)
    client.force_login(people["host"])
    assert client.get(reverse("meetings:topic_delete", args=[meeting.pk, topic.pk])).status_code == 405
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_a_topic_of_another_meeting_is_not_found(client, people, meeting):
    other = meeting_create(actor=people["host"], data={"type": "decision", "title": "另一个会",
                                                       "start": at(2026, 7, 1), "end": at(2026, 7, 1, 15)})
    foreign = topic_add(actor=people["host"], meeting=other, data={"title": "别的议题", "minutes": 10})
    client.force_login(people["host"])
    response = client.post(reverse("meetings:topic_delete", args=[meeting.pk, foreign.pk]))
    assert response.status_code == 404 and Topic.objects.filter(pk=foreign.pk).exists()


# Participants ---------------------------------------------------------------------------------

def test_inviting_a_person_with_several_roles(client, people, meeting):
    client.force_login(people["host"])
    response = client.post(reverse("meetings:participant_add", args=[meeting.pk]), {
        "person": people["outsider"].pk, "roles": ["decision_maker", "informed"]}, **HX)
    assert response.status_code == 200 and _triggers(response) == {"agendaChanged": True}
    participant = meeting.participants.get(person=people["outsider"])
    assert participant.role_list == ["decision_maker", "informed"] and participant.required is False
    assert "钱财务" in response.content.decode()


def test_the_invite_chooser_leaves_out_people_already_invited(client, people, meeting):
    client.force_login(people["host"])
    body = client.get(reverse("meetings:participants", args=[meeting.pk]), **HX).content.decode()
    form = body[body.index('id="participant-add-form"'):]
    form = form[:form.index("</form>")]
    assert 'data-choices="people-not-participants"' in form and "王销售" not in form
    # Inviting sends the choosers' shared list again (out of band), with the new participant in it.
    response = client.post(reverse("meetings:participant_add", args=[meeting.pk]),
                           {"person": people["outsider"].pk, "roles": ["informed"]}, **HX)
    body = response.content.decode()
    assert '<div id="shared-choices-box" hx-swap-oob="true">' in body
    assert people["outsider"].pk in _shared_choices(body)["participants"]
    # Someone already invited is refused, whatever the page offered.
    response = client.post(reverse("meetings:participant_add", args=[meeting.pk]),
                           {"person": people["member"].pk, "roles": ["informed"]}, **HX)
    assert 'class="field invalid"' in response.content.decode()


def test_changing_a_participants_roles_in_place(client, people, meeting):
    participant = meeting.participants.get(person=people["member"])
    client.force_login(people["host"])
    body = client.get(reverse("meetings:participants", args=[meeting.pk]), {"edit": participant.pk},
                      **HX).content.decode()
    assert reverse("meetings:participant_edit", args=[meeting.pk, participant.pk]) in body
    client.post(reverse("meetings:participant_edit", args=[meeting.pk, participant.pk]),
                {"roles": ["informed"], "required": "on"}, **HX)
    participant.refresh_from_db()
    assert participant.role_list == ["informed"] and participant.required is True


def test_removing_a_participant(client, people, meeting):
    participant = meeting.participants.get(person=people["member"])
    client.force_login(people["host"])
    client.post(reverse("meetings:participant_remove", args=[meeting.pk, participant.pk]), **HX)
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_the_host_cannot_remove_themselves_and_is_told_why(client, people, meeting):
    mine = meeting.participants.get(person=people["host"])
    people["host"].language = "en"
    people["host"].save()
    client.force_login(people["host"])
    response = client.post(reverse("meetings:participant_remove", args=[meeting.pk, mine.pk]), **HX)
    assert response.status_code == 200 and "You cannot remove yourself as host" in response.content.decode()
    assert Participant.objects.filter(pk=mine.pk).exists()


def test_a_participant_may_not_invite_or_remove_people(client, people, meeting):
    other = meeting.participants.get(person=people["recorder"])
    client.force_login(people["member"])
    assert client.post(reverse("meetings:participant_add", args=[meeting.pk]),
                       {"person": people["outsider"].pk}).status_code == 403
    assert client.post(reverse("meetings:participant_remove", args=[meeting.pk, other.pk])).status_code == 403
    assert client.post(reverse("meetings:participant_edit", args=[meeting.pk, other.pk]),
                       {"roles": ["cc"]}).status_code == 403
    assert Participant.objects.get(pk=other.pk).role_list == ["recorder"]


# Materials ------------------------------------------------------------------------------------

def test_uploading_and_downloading_a_material(client, people, meeting):
    client.force_login(people["host"])
    topic = meeting.topics.get(order=1)
    response = client.post(reverse("meetings:material_upload", args=[meeting.pk]),
                           {"file": _upload(), "topic": topic.pk, "pages": "3"}, **HX)
    assert response.status_code == 200 and "预读材料.pdf" in response.content.decode()
    material = meeting.materials.get()
    assert (material.topic, material.pages, material.size) == (topic, 3, len(b"%PDF-1.4 pre-read"))
    client.force_login(people["member"])  # any participant may read it
    download = client.get(reverse("meetings:material_download", args=[meeting.pk, material.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 pre-read"
    assert download["Content-Disposition"].startswith("attachment")


def test_an_upload_over_the_size_limit_is_refused_naming_the_limit(client, people, meeting, settings):
    settings.MATERIAL_MAX_BYTES = 1024
    people["host"].language = "en"
    people["host"].save()
    client.force_login(people["host"])
    response = client.post(reverse("meetings:material_upload", args=[meeting.pk]),
                           {"file": _upload(content=b"x" * 2048)}, **HX)
    body = response.content.decode()
    assert response.status_code == 413 and "1.0 KB" in body  # stopped at the limit while it streamed
    assert not Material.objects.exists()


def test_an_upload_of_a_refused_type_is_refused_naming_the_allowed_types(client, people, meeting):
    people["host"].language = "en"
    people["host"].save()
    client.force_login(people["host"])
    response = client.post(reverse("meetings:material_upload", args=[meeting.pk]),
                           {"file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")},
                           **HX)
    assert "Files of type .exe are not accepted" in response.content.decode()
    assert not Material.objects.exists()


def test_a_participant_may_not_upload_or_delete_others_materials(client, people, meeting):
    material = material_add(actor=people["host"], meeting=meeting, upload=_upload())
    client.force_login(people["member"])
    assert client.post(reverse("meetings:material_upload", args=[meeting.pk]),
                       {"file": _upload("mine.pdf")}).status_code == 403
    assert client.post(reverse("meetings:material_delete", args=[meeting.pk, material.pk])).status_code == 403
    assert Material.objects.count() == 1


def test_a_presenter_may_upload_for_their_own_topic(client, people, meeting):
    topic = meeting.topics.get(order=1)
    topic.presenter = people["member"]
    topic.save()
    client.force_login(people["member"])
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="material-upload-form"' in body
    response = client.post(reverse("meetings:material_upload", args=[meeting.pk]),
                           {"file": _upload("我的材料.pdf"), "topic": topic.pk}, **HX)
    assert response.status_code == 200 and meeting.materials.filter(name="我的材料.pdf").exists()


def test_deleting_a_material_removes_the_file(client, people, meeting):
    material = material_add(actor=people["host"], meeting=meeting, upload=_upload())
    path = material.file.path
    client.force_login(people["recorder"])
    client.post(reverse("meetings:material_delete", args=[meeting.pk, material.pk]), **HX)
    assert not Material.objects.exists()
    assert not os.path.exists(path)


# Outsiders ------------------------------------------------------------------------------------

def test_an_outsider_gets_404_from_every_section_and_the_download(client, people, meeting):
    material = material_add(actor=people["host"], meeting=meeting, upload=_upload())
    topic = meeting.topics.get(order=1)
    participant = meeting.participants.get(person=people["member"])
    client.force_login(people["outsider"])
    gets = [reverse("meetings:detail", args=[meeting.pk]), reverse("meetings:topics", args=[meeting.pk]),
            reverse("meetings:participants", args=[meeting.pk]), reverse("meetings:materials", args=[meeting.pk]),
            reverse("meetings:material_download", args=[meeting.pk, material.pk]),
            reverse("meetings:edit", args=[meeting.pk])]
    posts = [reverse("meetings:topic_add", args=[meeting.pk]),
             reverse("meetings:topic_edit", args=[meeting.pk, topic.pk]),
             reverse("meetings:topic_delete", args=[meeting.pk, topic.pk]),
             reverse("meetings:topic_move", args=[meeting.pk, topic.pk]),
             reverse("meetings:participant_add", args=[meeting.pk]),
             reverse("meetings:participant_edit", args=[meeting.pk, participant.pk]),
             reverse("meetings:participant_remove", args=[meeting.pk, participant.pk]),
             reverse("meetings:material_upload", args=[meeting.pk]),
             reverse("meetings:material_delete", args=[meeting.pk, material.pk])]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, _topic()).status_code == 404, url
    assert meeting.topics.count() == 3 and Material.objects.count() == 1


def test_the_detail_page_needs_the_same_number_of_queries_for_more_topics(client, people, meeting):
    policy_for(meeting.organisation)  # created on first use; not part of what is measured
    client.force_login(people["host"])
    url = reverse("meetings:detail", args=[meeting.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(4):
        topic_add(actor=people["host"], meeting=meeting, data={"title": f"追加议题{i}", "minutes": 5,
                                                               "presenter": people["member"]})
        material_add(actor=people["host"], meeting=meeting, upload=_upload(f"m{i}.pdf"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_section_url_answers_the_whole_page_without_htmx_and_varies_on_it(client, people, meeting):
    client.force_login(people["host"])
    url = reverse("meetings:topics", args=[meeting.pk])
    full, partial = client.get(url), client.get(url, **HX)
    assert "<html" in full.content.decode() and "<html" not in partial.content.decode()
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
