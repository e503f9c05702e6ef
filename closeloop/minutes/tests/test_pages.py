"""The minutes pages: editor, concurrent-edit refusal that keeps the typed text, review, overdue warning,
version differences, downloads — and 404 for anyone who may not see the meeting."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from closeloop.audit.models import AuditEntry
from closeloop.meetings.services.planning import meeting_update
from closeloop.minutes import services
from closeloop.minutes.choices import SECTION_KEYS
from closeloop.minutes.models import Minutes
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


def form_data(minutes, **changes):
    return {"version": minutes.version, **{k: minutes.content.get(k, "") for k in SECTION_KEYS}, **changes}


def test_without_minutes_the_meeting_page_offers_a_draft_with_a_preview_and_get_creates_nothing(held, cast, meeting,
                                                                                                client_for):
    page = client_for(cast["recorder"]).get(f"/minutes/meetings/{meeting.pk}/")
    assert page.status_code == 200
    assert 'id="create-minutes"' in page.text and "王五(销售部,出差)——由赵六代参会" in page.text
    assert not Minutes.objects.exists()
    member_page = client_for(cast["member"]).get(f"/minutes/meetings/{meeting.pk}/")
    assert 'id="create-minutes"' not in member_page.text


def test_the_recorder_drafts_from_the_page_and_lands_in_the_editor(held, cast, meeting, client_for):
    client = client_for(cast["recorder"])
    response = client.post(f"/minutes/meetings/{meeting.pk}/create/")
    minutes = Minutes.objects.get(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == f"/minutes/{minutes.pk}/"
    page = client.get(response["Location"])
    assert page.text.count("<textarea") == len(SECTION_KEYS)
    assert f'name="version" value="{minutes.version}"' in page.text
    assert "minutes-draft" in page.text
    assert client.get(f"/minutes/meetings/{meeting.pk}/")["Location"] == f"/minutes/{minutes.pk}/"


def test_saving_from_the_editor_keeps_the_text_and_bumps_the_version(draft, cast, client_for):
    client = client_for(cast["recorder"])
    response = client.post(f"/minutes/{draft.pk}/save/", form_data(draft, decisions="1.同意增加生产线\r\n2.下周复盘"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.content["decisions"] == "1.同意增加生产线\n2.下周复盘"


def test_a_stale_save_is_refused_keeps_what_was_typed_and_shows_the_other_text(draft, cast, client_for):
    host_page = client_for(cast["host"]).get(f"/minutes/{draft.pk}/")
    assert 'name="version" value="1"' in host_page.text
    services.minutes_save(actor=cast["recorder"], minutes=draft, content={"decisions": "记录人的决议文本"}, version=1)
    typed = "主持人刚刚输入的决议,不能丢"
    response = client_for(cast["host"]).post(f"/minutes/{draft.pk}/save/", form_data(draft, version=1,
                                                                                    decisions=typed))
    assert response.status_code == 409
    html = response.text
    assert 'id="conflict"' in html
    editor = html.split('id="minutes-editor"')[1]
    assert typed in editor  # nothing typed is lost
    conflict = html.split('id="conflict"')[1].split('id="minutes-editor"')[0]
    assert "记录人的决议文本" in conflict and "李记录" in conflict  # their text and who saved it
    shown = conflict.split('class="diff-text pre">')[1].split("</div>")[0]
    assert '<ins class="diff-ins">' in shown and '<del class="diff-del">' in shown
    assert re.sub(r"<[^>]+>", "", re.sub(r"<del[^>]*>.*?</del>", "", shown)) == typed  # theirs → yours
    assert 'name="version" value="2"' in editor
    assert Minutes.objects.get(pk=draft.pk).content["decisions"] == "记录人的决议文本"
    # Having seen theirs, the host saves deliberately.
    again = client_for(cast["host"]).post(f"/minutes/{draft.pk}/save/", form_data(draft, version=2, decisions=typed))
    assert again.status_code == 302
    assert Minutes.objects.get(pk=draft.pk).content["decisions"] == typed


def test_save_and_submit_then_the_host_returns_with_a_comment_then_approves(draft, cast, client_for):
    recorder, host = client_for(cast["recorder"]), client_for(cast["host"])
    recorder.post(f"/minutes/{draft.pk}/save/", form_data(draft, then="submit"))
    assert Minutes.objects.get(pk=draft.pk).state == "in_review"
    assert 'id="approve-form"' not in recorder.get(f"/minutes/{draft.pk}/").text
    empty = host.post(f"/minutes/{draft.pk}/return/", {"comment": ""})
    assert empty.status_code == 422 and 'id="return-form"' in empty.text
    host.post(f"/minutes/{draft.pk}/return/", {"comment": "补充缺席原因"})
    page = recorder.get(f"/minutes/{draft.pk}/")
    assert 'id="review-comment"' in page.text and "补充缺席原因" in page.text
    recorder.post(f"/minutes/{draft.pk}/submit/")
    version = Minutes.objects.get(pk=draft.pk).version
    assert host.post(f"/minutes/{draft.pk}/approve/", {"version": version}).status_code == 302
    approved = Minutes.objects.get(pk=draft.pk)
    assert approved.state == "approved" and approved.approved_by == cast["host"]
    assert "minutes-approved" in host.get(f"/minutes/{draft.pk}/").text


def test_approving_a_text_that_changed_since_the_page_was_opened_is_refused(in_review, cast, client_for):
    services.minutes_save(actor=cast["recorder"], minutes=in_review, content={"title": "改过"},
                          version=in_review.version)
    response = client_for(cast["host"]).post(f"/minutes/{in_review.pk}/approve/", {"version": in_review.version - 1})
    assert response.status_code == 302
    assert Minutes.objects.get(pk=in_review.pk).state == "in_review"


def test_the_overdue_warning_shows_after_the_due_time_only_for_a_draft(draft, cast, client_for):
    client = client_for(cast["host"])
    Minutes.objects.filter(pk=draft.pk).update(due_at=timezone.now() + dt.timedelta(hours=3))
    assert 'id="overdue"' not in client.get(f"/minutes/{draft.pk}/").text
    Minutes.objects.filter(pk=draft.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    assert 'id="overdue"' in client.get(f"/minutes/{draft.pk}/").text
    services.minutes_submit(actor=cast["recorder"], minutes=draft)
    assert 'id="overdue"' not in client.get(f"/minutes/{draft.pk}/").text


def test_distribution_overdue_shows_when_approved_minutes_wait_too_long(approved, cast, client_for):
    page = client_for(cast["host"]).get(f"/minutes/{approved.pk}/")
    assert 'id="distribute-form"' in page.text and 'id="distribution-overdue"' not in page.text
    policy = policy_for(approved.meeting.organisation)
    policy.minutes_distribute_hours = 0
    policy.save()
    assert 'id="distribution-overdue"' in client_for(cast["host"]).get(f"/minutes/{approved.pk}/").text


def test_a_correction_from_the_page_opens_version_two_and_the_diff_shows_what_changed(approved, cast, client_for):
    client = client_for(cast["recorder"])
    assert client.post(f"/minutes/{approved.pk}/correct/", {"reason": ""}).status_code == 422
    response = client.post(f"/minutes/{approved.pk}/correct/", {"reason": "决议措辞更正"})
    v2 = Minutes.objects.get(meeting=approved.meeting, number=2)
    assert response["Location"] == f"/minutes/{v2.pk}/"
    old = approved.content["decisions"]
    client.post(f"/minutes/{v2.pk}/save/", form_data(v2, decisions=old.replace("增加生产线", "增加一条生产线")))
    diff = client.get(f"/minutes/{v2.pk}/diff/")
    assert diff.status_code == 200
    row = diff.text.split('id="diff-decisions"')[1].split("</tr>")[0]
    assert '<ins class="diff-ins">一条</ins>' in row and "changed" in row
    assert "style=" not in diff.text
    assert "决议措辞更正" in diff.text
    old_page = client.get(f"/minutes/{approved.pk}/")
    assert "minutes-superseded" in old_page.text and 'id="correct-form"' not in old_page.text


def test_the_diff_page_compares_with_a_chosen_version_and_refuses_a_foreign_one(approved, cast, client_for, people):
    v2 = services.minutes_correct(actor=cast["recorder"], minutes=approved, reason="x")
    client = client_for(cast["host"])
    assert client.get(f"/minutes/{approved.pk}/diff/?against={v2.pk}").status_code == 200
    assert client.get(f"/minutes/{v2.pk}/diff/?against=999999").status_code == 404


def test_downloads_carry_chinese_file_names(approved, cast, client_for):
    client = client_for(cast["member"])
    docx = client.get(f"/minutes/{approved.pk}/minutes.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "filename*=utf-8''" in docx["Content-Disposition"]
    md = client.get(f"/minutes/{approved.pk}/minutes.md")
    assert md["Content-Type"].startswith("text/markdown") and "王五(销售部,出差)——由赵六代参会" in md.text


PAGES = ["/minutes/{pk}/", "/minutes/{pk}/diff/", "/minutes/{pk}/minutes.docx", "/minutes/{pk}/minutes.md",
         "/minutes/meetings/{meeting}/"]
POSTS = ["save", "redraft", "submit", "return", "approve", "distribute", "correct", "signoff"]


@pytest.mark.parametrize("path", PAGES)
def test_an_outsider_gets_404_from_every_minutes_page(draft, cast, client_for, path):
    url = path.format(pk=draft.pk, meeting=draft.meeting_id)
    assert client_for(cast["outsider"]).get(url).status_code == 404


@pytest.mark.parametrize("action", POSTS)
def test_an_outsider_gets_404_from_every_minutes_action_and_changes_nothing(in_review, cast, client_for, action):
    before = Minutes.objects.filter(pk=in_review.pk).values().get()
    response = client_for(cast["outsider"]).post(f"/minutes/{in_review.pk}/{action}/",
                                                 form_data(in_review, comment="x", reason="x"))
    assert response.status_code == 404
    assert client_for(cast["outsider"]).post(f"/minutes/meetings/{in_review.meeting_id}/create/").status_code == 404
    assert Minutes.objects.filter(pk=in_review.pk).values().get() == before


def test_a_confidential_meeting_hides_its_minutes_from_the_department_head(draft, cast, client_for, meeting):
    assert client_for(cast["head"]).get(f"/minutes/{draft.pk}/").status_code == 200
    meeting_update(actor=cast["host"], meeting=meeting, data={"confidential": True})
    assert client_for(cast["head"]).get(f"/minutes/{draft.pk}/").status_code == 404


def test_a_participant_sees_the_minutes_but_cannot_edit_them(draft, cast, client_for):
    client = client_for(cast["member"])
    page = client.get(f"/minutes/{draft.pk}/")
    assert page.status_code == 200 and "<textarea" not in page.text.split('id="minutes-actions"')[0]
    assert client.post(f"/minutes/{draft.pk}/save/", form_data(draft, title="x")).status_code == 403
    assert client.post(f"/minutes/{draft.pk}/submit/").status_code == 403
    assert Minutes.objects.get(pk=draft.pk).state == "draft"


def test_no_page_changes_anything_on_get(distributed, cast, client_for):
    minutes = distributed.minutes
    before = (list(Minutes.objects.values()), AuditEntry.objects.count())
    client = client_for(cast["host"])
    for path in PAGES + [f"/minutes/signoff/{distributed.signoffs[0].token}/"]:
        assert client.get(path.format(pk=minutes.pk, meeting=minutes.meeting_id)).status_code in (200, 302)
    for action in POSTS:
        assert client.get(f"/minutes/{minutes.pk}/{action}/").status_code == 405
    assert (list(Minutes.objects.values()), AuditEntry.objects.count()) == before


def test_the_minutes_page_needs_the_same_queries_however_many_versions_and_signoffs(distributed, cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from closeloop.minutes.models import SignOff
    from closeloop.org.models import Department

    minutes, client = distributed.minutes, client_for(cast["host"])
    client.get(f"/minutes/{minutes.pk}/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/minutes/{minutes.pk}/").status_code == 200
    for i in range(3):
        dept = Department.objects.create(organisation=minutes.meeting.organisation, name=f"部门{i}",
                                         head=cast["admin"])
        SignOff.objects.create(minutes=minutes, department=dept, head=cast["admin"], token=f"t{i}")
    services.minutes_correct(actor=cast["recorder"], minutes=minutes, reason="x")
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/minutes/{minutes.pk}/").status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 10
