"""Changing a request after it was sent: the page, the version check that keeps what was typed, the audit,
the message to the receiving heads, and 404 for everyone who may not change it."""

import datetime as dt

import pytest

from closeloop.audit.models import AuditEntry
from closeloop.collab import services
from closeloop.collab.models import Request
from closeloop.notify.models import OutboxMessage


def form_data(request, **overrides):
    data = {"subject": request.subject, "scenario": request.scenario, "priority": request.priority,
            "background": request.background, "goal": request.goal, "what": request.what, "why": request.why,
            "due": "2099-06-30", "acceptance_standard": request.acceptance_standard, "wanted_start": "",
            "project": "", "version": request.version}
    data.update(overrides)
    return data


def test_the_initiator_changes_what_is_asked_audited_and_the_heads_are_told(client, parties, sent):
    client.force_login(parties["host"])
    page = client.get(f"/requests/{sent.pk}/edit/")
    assert page.status_code == 200 and sent.what in page.content.decode()
    assert f"/requests/{sent.pk}/edit/" in client.get(f"/requests/{sent.pk}/").content.decode()
    response = client.post(f"/requests/{sent.pk}/edit/", form_data(sent, what="铺货与导购培训"))
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.what == "铺货与导购培训" and sent.version == 2 and sent.due == dt.date(2099, 6, 30)
    entry = AuditEntry.objects.get(action="request.update")
    assert entry.actor == parties["host"] and entry.after["what"] == "铺货与导购培训"
    told = OutboxMessage.objects.filter(kind="notice.request_changed")
    assert {m.recipient_id for m in told} == {parties["head"].pk, parties["product_head"].pk}
    chinese = told.filter(recipient=parties["head"]).first()
    english = told.filter(recipient=parties["product_head"]).first()
    assert "需求已修改" in chinese.subject and "what is asked" not in chinese.body_text
    assert "The request was changed" in english.subject and "what is asked" in english.body_text


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, parties, sent):
    client.force_login(parties["host"])
    stale = form_data(sent, what="我输入的新内容")  # read at version 1
    services.request_update(actor=parties["market_head"], request=sent, data={"why": "经理改的原因"}, version=1)
    response = client.post(f"/requests/{sent.pk}/edit/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and "我输入的新内容" in html and "经理改的原因" in html
    sent.refresh_from_db()
    assert sent.what != "我输入的新内容" and sent.version == 2
    assert response.context["form"]["version"].value() == 2  # saving again applies it knowingly
    again = client.post(f"/requests/{sent.pk}/edit/", {**stale, "version": 2})
    assert again.status_code == 302
    sent.refresh_from_db()
    assert sent.what == "我输入的新内容"


def test_bad_input_names_the_field_in_the_readers_language(client, parties, sent):
    client.force_login(parties["host"])
    past = client.post(f"/requests/{sent.pk}/edit/", form_data(sent, due="2020-01-01"))
    assert past.status_code == 422 and "已过" in " ".join(past.context["form"].errors["due"])
    blank = client.post(f"/requests/{sent.pk}/edit/", form_data(sent, what=""))
    assert blank.status_code == 422 and "what" in blank.context["form"].errors
    assert Request.objects.get(pk=sent.pk).version == 1


@pytest.mark.parametrize("persona,status", [
    ("host", 200), ("market_head", 200), ("admin", 200), ("recorder", 404), ("member", 404), ("head", 404),
    ("product_head", 404), ("outsider", 404)])
def test_only_the_initiator_their_head_and_administrators_reach_the_edit_page(client, parties, sent, persona,
                                                                              status):
    client.force_login(parties[persona])
    assert client.get(f"/requests/{sent.pk}/edit/").status_code == status
    response = client.post(f"/requests/{sent.pk}/edit/", form_data(sent, what="越权修改"))
    assert response.status_code == (302 if status == 200 else 404)
    assert (Request.objects.get(pk=sent.pk).what == "越权修改") == (status == 200)


def test_a_withdrawn_request_cannot_be_changed(client, parties, sent):
    services.request_withdraw(actor=parties["host"], request=sent, reason="不再需要")
    client.force_login(parties["host"])
    assert client.get(f"/requests/{sent.pk}/edit/").status_code == 404


def test_materials_follow_the_meeting_materials_rules_and_can_be_added_when_changing(client, parties, sent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(parties["host"])
    disguised = SimpleUploadedFile("预算.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    refused = client.post(f"/requests/{sent.pk}/edit/", {**form_data(sent, what="改了"), "materials": disguised})
    assert refused.status_code == 422 and ".pdf" in " ".join(refused.context["form"].errors["materials"])
    sent.refresh_from_db()
    assert sent.what != "改了" and not sent.materials.exists()  # nothing saved when a file is refused
    plan = SimpleUploadedFile("计划.pdf", b"%PDF-1.4 plan", content_type="application/x-msdownload")
    response = client.post(f"/requests/{sent.pk}/edit/", {**form_data(sent), "materials": plan})
    assert response.status_code == 302
    material = sent.materials.get()
    assert material.name == "计划.pdf" and material.content_type == "application/pdf"  # read, not trusted
