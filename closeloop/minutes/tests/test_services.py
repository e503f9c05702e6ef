"""The minutes' life through the services: who may do what, refused transitions, versions, the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.audit.models import AuditEntry
from closeloop.lib.errors import Conflict
from closeloop.meetings.services.notice import meeting_cancel
from closeloop.minutes import services
from closeloop.minutes.choices import SECTION_KEYS
from closeloop.minutes.models import Minutes
from closeloop.minutes.selectors import deadlines
from closeloop.org.selectors import policy_for

pytestmark = pytest.mark.django_db


def actions_on(minutes):
    return list(AuditEntry.objects.filter(object_type="minutes.minutes", object_id=str(minutes.pk))
                .order_by("id").values_list("action", flat=True))


def test_the_draft_is_written_from_the_record_and_due_the_policy_hours_after_the_meeting(held, cast, meeting):
    policy = policy_for(meeting.organisation)
    policy.minutes_draft_hours = 2
    policy.save()
    minutes = services.minutes_create_draft(actor=cast["recorder"], meeting=meeting)
    assert (minutes.number, minutes.state, minutes.version) == (1, "draft", 1)
    assert set(minutes.content) == set(SECTION_KEYS)
    assert minutes.content["absences"] == "王五(销售部,出差)——由赵六代参会"
    assert minutes.due_at == meeting.end + dt.timedelta(hours=2)
    assert actions_on(minutes) == ["minutes.create"]


def test_the_draft_shows_overdue_after_its_due_time_until_it_is_submitted(draft, cast):
    assert deadlines(draft, now=draft.due_at)[0].overdue is False
    assert deadlines(draft, now=draft.due_at + dt.timedelta(minutes=1))[0].overdue is True
    submitted = services.minutes_submit(actor=cast["recorder"], minutes=draft)
    assert deadlines(submitted, now=draft.due_at + dt.timedelta(days=2))[0].overdue is False


def test_a_second_draft_for_the_same_meeting_is_refused(draft, cast, meeting):
    with pytest.raises(ValidationError) as refused:
        services.minutes_create_draft(actor=cast["host"], meeting=meeting)
    assert "meeting" in refused.value.error_dict
    assert Minutes.objects.filter(meeting=meeting).count() == 1


def test_a_cancelled_meeting_gets_no_minutes(cast, meeting):
    meeting_cancel(actor=cast["host"], meeting=meeting, reason="改期")
    with pytest.raises(ValidationError):
        services.minutes_create_draft(actor=cast["host"], meeting=meeting)


@pytest.mark.parametrize("who", ["member", "head", "cc"])
def test_people_who_are_not_host_recorder_or_admin_cannot_draft(cast, meeting, who):
    with pytest.raises(PermissionDenied):
        services.minutes_create_draft(actor=cast[who], meeting=meeting)
    assert not Minutes.objects.exists()


def test_saving_changes_the_text_bumps_the_version_and_audits_the_changed_sections(draft, cast):
    saved = services.minutes_save(actor=cast["recorder"], minutes=draft, content={"decisions": "1.同意增加生产线"},
                                  version=1)
    assert saved.version == 2 and saved.content["decisions"] == "1.同意增加生产线"
    assert saved.content["absences"] == "王五(销售部,出差)——由赵六代参会"  # untouched sections keep their text
    entry = AuditEntry.objects.filter(action="minutes.save").get()
    assert entry.after == {"version": 2, "decisions": "1.同意增加生产线"}
    assert set(entry.before) == {"version", "decisions"}


def test_a_save_from_a_stale_version_is_refused_and_changes_nothing(draft, cast):
    services.minutes_save(actor=cast["host"], minutes=draft, content={"title": "主持人改的"}, version=1)
    with pytest.raises(Conflict) as refused:
        services.minutes_save(actor=cast["recorder"], minutes=draft, content={"title": "记录人改的"}, version=1)
    assert refused.value.current_version == 2
    assert Minutes.objects.get(pk=draft.pk).content["title"] == "主持人改的"


def test_bad_content_is_refused_naming_the_section(draft, cast):
    with pytest.raises(ValidationError) as unknown:
        services.minutes_save(actor=cast["recorder"], minutes=draft, content={"nonsense": "x"}, version=1)
    assert "content" in unknown.value.error_dict
    with pytest.raises(ValidationError) as too_long:
        services.minutes_save(actor=cast["recorder"], minutes=draft, content={"summary": "长" * 20_001}, version=1)
    assert "summary" in too_long.value.error_dict
    with pytest.raises(ValidationError) as version:
        services.minutes_save(actor=cast["recorder"], minutes=draft, content={}, version="abc")
    assert "version" in version.value.error_dict


def test_a_participant_who_is_not_recorder_or_host_cannot_save(draft, cast):
    with pytest.raises(PermissionDenied):
        services.minutes_save(actor=cast["member"], minutes=draft, content={"title": "x"}, version=1)


def test_the_whole_way_from_draft_to_approved_is_audited(draft, cast):
    services.minutes_submit(actor=cast["recorder"], minutes=draft)
    returned = services.minutes_return(actor=cast["host"], minutes=draft, comment="补充缺席原因")
    assert (returned.state, returned.review_comment) == ("draft", "补充缺席原因")
    services.minutes_submit(actor=cast["recorder"], minutes=draft)
    approved = services.minutes_approve(actor=cast["host"], minutes=draft)
    assert approved.state == "approved" and approved.approved_by == cast["host"] and approved.approved_at
    assert draft.state == "approved"  # the caller's object follows
    assert actions_on(draft) == ["minutes.create", "minutes.submit", "minutes.return", "minutes.submit",
                                 "minutes.approve"]
    last = AuditEntry.objects.filter(action="minutes.approve").get()
    assert last.before["state"] == "in_review" and last.after["state"] == "approved"
    assert last.actor == cast["host"]


def test_the_recorder_cannot_approve_or_return(in_review, cast):
    with pytest.raises(PermissionDenied):
        services.minutes_approve(actor=cast["recorder"], minutes=in_review)
    with pytest.raises(PermissionDenied):
        services.minutes_return(actor=cast["recorder"], minutes=in_review, comment="x")
    assert Minutes.objects.get(pk=in_review.pk).state == "in_review"


def test_an_administrator_may_approve(in_review, cast):
    assert services.minutes_approve(actor=cast["admin"], minutes=in_review).state == "approved"


def test_returning_needs_a_comment(in_review, cast):
    with pytest.raises(ValidationError) as refused:
        services.minutes_return(actor=cast["host"], minutes=in_review, comment="  ")
    assert "comment" in refused.value.error_dict


@pytest.mark.parametrize(("stage", "call"), [
    ("draft", lambda m, p: services.minutes_approve(actor=p["host"], minutes=m)),
    ("draft", lambda m, p: services.minutes_return(actor=p["host"], minutes=m, comment="x")),
    ("draft", lambda m, p: services.minutes_distribute(actor=p["host"], minutes=m)),
    ("in_review", lambda m, p: services.minutes_submit(actor=p["recorder"], minutes=m)),
    ("in_review", lambda m, p: services.minutes_distribute(actor=p["host"], minutes=m)),
    ("approved", lambda m, p: services.minutes_approve(actor=p["host"], minutes=m)),
    ("approved", lambda m, p: services.minutes_submit(actor=p["host"], minutes=m)),
    ("approved", lambda m, p: services.minutes_return(actor=p["host"], minutes=m, comment="x")),
    ("approved", lambda m, p: services.minutes_save(actor=p["host"], minutes=m, content={"title": "x"},
                                                    version=m.version)),
])
def test_transitions_from_the_wrong_state_are_refused(request, cast, stage, call):
    minutes = request.getfixturevalue(stage)
    before = Minutes.objects.get(pk=minutes.pk)
    with pytest.raises(ValidationError):
        call(minutes, cast)
    after = Minutes.objects.get(pk=minutes.pk)
    assert (after.state, after.version, after.content) == (before.state, before.version, before.content)


def test_distributing_twice_is_refused(distributed, cast):
    with pytest.raises(ValidationError):
        services.minutes_distribute(actor=cast["host"], minutes=distributed.minutes)


def test_a_correction_is_a_new_draft_version_that_keeps_the_old_one(approved, cast):
    correction = services.minutes_correct(actor=cast["recorder"], minutes=approved, reason="补充行动项")
    assert (correction.number, correction.state, correction.previous_id) == (2, "draft", approved.pk)
    assert correction.content == approved.content and correction.correction_reason == "补充行动项"
    assert Minutes.objects.get(pk=approved.pk).state == "approved"
    services.minutes_save(actor=cast["recorder"], minutes=correction, content={"decisions": "更正后"}, version=1)
    assert Minutes.objects.get(pk=approved.pk).content["decisions"] != "更正后"


def test_a_correction_needs_a_reason_an_approved_latest_version_and_an_editor(approved, draft, cast):
    with pytest.raises(ValidationError) as no_reason:
        services.minutes_correct(actor=cast["recorder"], minutes=approved, reason="")
    assert "reason" in no_reason.value.error_dict
    with pytest.raises(PermissionDenied):
        services.minutes_correct(actor=cast["member"], minutes=approved, reason="x")
    services.minutes_correct(actor=cast["recorder"], minutes=approved, reason="第一次更正")
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=cast["recorder"], minutes=approved, reason="从旧版本再更正")
    assert Minutes.objects.filter(meeting=approved.meeting).count() == 2


def test_a_draft_cannot_be_corrected(draft, cast):
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=cast["recorder"], minutes=draft, reason="x")


def test_redrafting_rewrites_the_text_from_the_record(draft, cast, held):
    services.minutes_save(actor=cast["recorder"], minutes=draft, content={"decisions": "手写"}, version=1)
    held.decisions.update(text="同意增加一条生产线")
    redrafted = services.minutes_redraft(actor=cast["recorder"], minutes=draft, version=2)
    assert redrafted.content["decisions"].startswith("1.同意增加一条生产线")
