"""Writes for retrospectives: completing a request starts the deadline; the meeting is planned with the seed's three
questions; the assessment is recorded; the report is sent, its measures become improvement action items, each
reader acknowledges. Each write is one transaction, checks permission and writes the audit row."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.services.items import action_item_create
from closeloop.audit.services import audit_record, snapshot
from closeloop.collab.choices import RequestState
from closeloop.collab.models import Request
from closeloop.collab.services import request_plan_meeting
from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.errors import Conflict
from closeloop.meetings.choices import MeetingType, TopicKind
from closeloop.meetings.services.planning import topic_add
from closeloop.org.choices import RuleMode
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

from .. import rules
from ..choices import QUESTIONS, GoalResult, RetroState
from ..facts import retrospective_facts
from ..models import GoalAssessment, Improvement, ReportReceipt, RetroPolicy, Retrospective
from ..notifications import notify_people, retro_link
from ..selectors import can_run, report_readers, request_items, today_in

TEXT_FIELDS = ["went_well", "stuck", "next_time"]


def _require_run(actor, retrospective):
    if not can_run(actor, retrospective):
        raise PermissionDenied(_("Only the initiator, their head and administrators run the retrospective."))


def _require_open(retrospective):
    if retrospective.state == RetroState.SENT:
        raise ValidationError({"state": _("The report was sent; it can no longer change.")})


def _lock(retrospective, version=None):
    found = Retrospective.objects.select_for_update().select_related("request__organisation").get(
        pk=retrospective.pk)
    if version is not None and int(version) != found.version:
        raise Conflict(_("Someone else changed this retrospective while you were editing it. Your changes were not "
                         "saved; reload to see theirs, then apply yours again."), current_version=found.version)
    return found


def _both_sides(request):
    people = [request.initiator]
    if request.initiating_department_id and request.initiating_department.head_id:
        people.append(request.initiating_department.head)
    people += [r.department.head for r in request.receipts.select_related("department__head")]
    return people


@transaction.atomic
def request_complete(*, actor, request, now=None):
    """The initiator marks the request complete once every item is done or cancelled; the retrospective is then
    due within `policy.retrospective_workdays` working days (seed 002: 5)."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().select_related("organisation").get(pk=request.pk)
    from closeloop.collab.selectors import can_manage

    if not can_manage(actor, request):
        raise PermissionDenied(_("Only the initiator, their head and administrators can mark the request complete."))
    if request.state == RequestState.WITHDRAWN:
        raise ValidationError({"request": _("This request was withdrawn.")})
    if Retrospective.objects.filter(request=request).exists():
        raise ValidationError({"request": _("This request is already complete.")})
    items = list(request_items(request).values_list("status", flat=True))
    if not items:
        raise ValidationError({"request": _("The request has no action item yet; plan its meeting and agree the "
                                            "work before completing it.")})
    left = rules.open_items(items)
    if left:
        raise ValidationError({"request": _("%(n)s action items are still open; each must be done or cancelled "
                                            "first.") % {"n": left}})
    organisation = request.organisation
    due = rules.retrospective_due(calendar_for(organisation), today_in(organisation, now),
                                  policy_for(organisation).retrospective_workdays)
    retrospective = Retrospective.objects.create(request=request, completed_at=now, completed_by=actor,
                                                 due=due.date, due_assumed=due.assumed)
    GoalAssessment.objects.bulk_create([
        GoalAssessment(retrospective=retrospective, order=n, goal=goal)
        for n, goal in enumerate(rules.goal_lines(request.goal, request.what), start=1)])
    audit_record(actor=actor, action="request.complete", obj=request,
                 after={"retrospective": retrospective.pk, "due": due.date.isoformat()})
    notify_people(_both_sides(request), event="completed", key=retrospective.pk,
                  context={"request": request, "retrospective": retrospective}, organisation=organisation,
                  link=retro_link(retrospective), now=now)
    return retrospective


def _question_topics(actor, meeting, minutes):
    for order, (title, outcome) in enumerate(QUESTIONS, start=1):
        topic_add(actor=actor, meeting=meeting, data={
            "order": order, "title": str(title), "minutes": minutes, "kind": TopicKind.DISCUSS,
            "required_outcome": str(outcome)})


@transaction.atomic
def retrospective_plan_meeting(*, actor, retrospective, data):
    """Plan the retrospective meeting from the request: both sides invited, the seed's three questions as its
    topics. A meeting after the deadline warns or is refused (policy `retrospective_mode`). Returns
    (meeting, warnings)."""
    retrospective = _lock(retrospective)
    _require_run(actor, retrospective)
    _require_open(retrospective)
    if retrospective.meeting_id is not None and retrospective.meeting.state != "cancelled":
        raise ValidationError({"meeting": _("The retrospective meeting is already planned.")})
    request = retrospective.request
    organisation = request.organisation
    start, end = data.get("start"), data.get("end")
    if start is None:
        raise ValidationError({"start": _("Give the start.")})
    if end is None or end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    warnings = []
    day = timezone.localtime(start, organisation_tz(organisation)).date()
    if day > retrospective.due:
        message = _("The retrospective is due by %(due)s; this meeting is later.") % {
            "due": retrospective.due.isoformat()}
        if policy_for(organisation).retrospective_mode == RuleMode.BLOCK:
            raise ValidationError({"start": message})
        warnings.append(message)
    meeting = request_plan_meeting(actor=actor, request=request, data={
        "type": MeetingType.RETROSPECTIVE, "title": data.get("title") or _("Retrospective: %(s)s") % {
            "s": request.subject}, "start": start, "end": end, "place": data.get("place") or "",
        "online_link": data.get("online_link") or "",
        "objective": _("Close the loop of the request: goals reached, what went well, where it got stuck, "
                       "what to change next time.")})
    minutes = max(5, min(policy_for(organisation).topic_max_minutes,
                         int((end - start).total_seconds() // 60) // len(QUESTIONS)))
    _question_topics(actor, meeting, minutes)
    retrospective.meeting = meeting
    retrospective.state = RetroState.PLANNED
    retrospective.version += 1
    retrospective.save(update_fields=["meeting", "state", "version"])
    audit_record(actor=actor, action="retrospective.plan", obj=retrospective, after={"meeting": meeting.pk})
    return meeting, warnings


def _save_goals(retrospective, goals):
    kept = []
    for order, row in enumerate(goals, start=1):
        goal = (row.get("goal") or "").strip()
        if not goal:
            continue
        result = row.get("result") or ""
        if result and result not in GoalResult.values:
            raise ValidationError({f"goals.{order}.result": _("Choose reached, partly or not.")})
        kept.append(GoalAssessment(retrospective=retrospective, order=order, goal=goal, result=result,
                                   evidence=(row.get("evidence") or "").strip(),
                                   reason=(row.get("reason") or "").strip()))
    retrospective.goals.all().delete()
    GoalAssessment.objects.bulk_create(kept)


@transaction.atomic
def retrospective_update(*, actor, retrospective, data, version):
    """Record the meeting's findings: per goal reached/partly/not with evidence, good practices, bottlenecks,
    what to change. A save from a stale copy is refused (409)."""
    retrospective = _lock(retrospective, version if version is not None else -1)
    _require_run(actor, retrospective)
    _require_open(retrospective)
    before = snapshot(retrospective, fields=TEXT_FIELDS)
    for field in TEXT_FIELDS:
        if field in data and data[field] is not None:
            setattr(retrospective, field, data[field].strip())
    if data.get("goals") is not None:
        _save_goals(retrospective, data["goals"])
    retrospective.version += 1
    retrospective.save()
    audit_record(actor=actor, action="retrospective.update", obj=retrospective, before=before,
                 after=snapshot(retrospective, fields=TEXT_FIELDS))
    return retrospective


@transaction.atomic
def improvement_add(*, actor, retrospective, data, now=None):
    """An improvement measure with its owner, due date and deliverable (it becomes an action item on sending)."""
    retrospective = _lock(retrospective)
    _require_run(actor, retrospective)
    _require_open(retrospective)
    organisation = retrospective.request.organisation
    measure, deliverable = (data.get("measure") or "").strip(), (data.get("deliverable") or "").strip()
    owner, due = data.get("owner"), data.get("due")
    if not measure:
        raise ValidationError({"measure": _("Say what will change.")})
    if owner is None or owner.organisation_id != organisation.pk or not owner.is_active:
        raise ValidationError({"owner": _("Choose an active person of your organisation.")})
    if due is None:
        raise ValidationError({"due": _("Give the due date.")})
    if due < today_in(organisation, now):
        raise ValidationError({"due": _("The due date is in the past.")})
    if not deliverable:
        raise ValidationError({"deliverable": _("Say what will be delivered.")})
    improvement = Improvement.objects.create(retrospective=retrospective, measure=measure, owner=owner, due=due,
                                             deliverable=deliverable)
    Retrospective.objects.filter(pk=retrospective.pk).update(version=retrospective.version + 1)
    audit_record(actor=actor, action="retrospective.improvement_add", obj=improvement, after=snapshot(improvement))
    return improvement


@transaction.atomic
def improvement_remove(*, actor, improvement):
    retrospective = _lock(improvement.retrospective)
    _require_run(actor, retrospective)
    _require_open(retrospective)
    audit_record(actor=actor, action="retrospective.improvement_remove", obj=improvement,
                 before=snapshot(improvement))
    improvement.delete()
    Retrospective.objects.filter(pk=retrospective.pk).update(version=retrospective.version + 1)


def _check_ready(retrospective, now):
    meeting = retrospective.meeting
    if meeting is None or meeting.state == "cancelled":
        raise ValidationError({"meeting": _("Plan and hold the retrospective meeting first.")})
    if meeting.start > now:
        raise ValidationError({"meeting": _("The retrospective meeting has not been held yet.")})
    goals = list(retrospective.goals.all())
    if not goals:
        raise ValidationError({"goals": _("Assess at least one goal of the request.")})
    for goal in goals:
        if not goal.result:
            raise ValidationError({"goals": _("Say for each goal whether it was reached: %(g)s") % {
                "g": goal.goal[:60]}})
        if goal.result != GoalResult.REACHED and not goal.reason:
            raise ValidationError({"goals": _("Say why this goal was not fully reached: %(g)s") % {
                "g": goal.goal[:60]}})
    if not (retrospective.went_well and retrospective.stuck):
        raise ValidationError({"went_well" if not retrospective.went_well else "stuck": _(
            "Write what went well and where it got stuck.")})


@transaction.atomic
def retrospective_send(*, actor, retrospective, now=None):
    """Approve and send the 协作复盘报告: the facts are frozen, each measure becomes an action item led by the
    initiator (owner, due date, deliverable) tagged as improvement, and both department heads and the management
    group receive it to acknowledge."""
    now = now or timezone.now()
    retrospective = _lock(retrospective)
    _require_run(actor, retrospective)
    _require_open(retrospective)
    _check_ready(retrospective, now)
    request = retrospective.request
    organisation = request.organisation
    for improvement in retrospective.improvements.select_related("owner"):
        try:
            item = action_item_create(actor=actor, organisation=organisation, meeting=retrospective.meeting, data={
                "task": improvement.measure, "owner": improvement.owner, "due": improvement.due,
                "deliverable": improvement.deliverable, "project": request.project,
                "collaborators": [request.initiator] if request.initiator_id != improvement.owner_id else []})
        except ValidationError as error:
            raise ValidationError({"improvements": _("Measure \"%(m)s\": %(e)s") % {
                "m": improvement.measure[:40], "e": "; ".join(error.messages)}}) from None
        improvement.item = item
        improvement.save(update_fields=["item"])
    retrospective.facts = retrospective_facts(request)
    retrospective.state = RetroState.SENT
    retrospective.sent_at, retrospective.sent_by = now, actor
    retrospective.version += 1
    retrospective.save()
    readers = [ReportReceipt.objects.get_or_create(retrospective=retrospective, person=person,
                                                   defaults={"as_head_of": department})[0]
               for person, department in report_readers(request)]
    audit_record(actor=actor, action="retrospective.send", obj=retrospective,
                 after={"readers": [r.person_id for r in readers],
                        "items": list(retrospective.improvements.values_list("item_id", flat=True))})
    notify_people([r.person for r in readers], event="report", key=retrospective.pk,
                  context={"request": request, "retrospective": retrospective}, organisation=organisation,
                  link=retro_link(retrospective), now=now)
    return retrospective


@transaction.atomic
def report_acknowledge(*, actor, retrospective, now=None):
    """A reader acknowledges having read the report (once; again changes nothing)."""
    reader = ReportReceipt.objects.select_for_update().filter(retrospective=retrospective, person=actor).first()
    if reader is None:
        raise PermissionDenied(_("Only the report's readers acknowledge it."))
    if reader.acknowledged_at is None:
        reader.acknowledged_at = now or timezone.now()
        reader.save(update_fields=["acknowledged_at"])
        audit_record(actor=actor, action="retrospective.acknowledge", obj=retrospective, after={"reader": actor.pk})
    return reader


@transaction.atomic
def retro_policy_update(*, actor, organisation, data, version):
    """Administrators set the progress cadence and when a late retrospective escalates."""
    if not actor.is_org_admin or actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("Only administrators can change the policy."))
    RetroPolicy.objects.get_or_create(organisation=organisation)
    policy = RetroPolicy.objects.select_for_update().get(organisation=organisation)
    if version is None or int(version) != policy.version:
        raise Conflict(_("Someone else changed the policy while you were editing it. Your changes were not saved; "
                         "reload to see theirs, then apply yours again."), current_version=policy.version)
    before = snapshot(policy)
    for field in ("progress_cadence", "escalate_after_workdays"):
        if field in data and data[field] is not None:
            setattr(policy, field, data[field])
    policy.full_clean(exclude=["organisation"])
    policy.version += 1
    policy.save()
    audit_record(actor=actor, action="retro_policy.update", obj=policy, before=before, after=snapshot(policy))
    return policy


