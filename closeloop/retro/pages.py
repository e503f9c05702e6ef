"""What the retrospective pages show, and the panels retro adds to the request page and the meeting page."""

from django.template.loader import render_to_string
from django.utils import timezone

from closeloop.collab.choices import RequestState
from closeloop.collab.selectors import can_manage

from . import rules
from .choices import ChangeState, RetroState
from .facts import retrospective_facts
from .forms import AssessmentForm, ChangeAnswerForm, ChangeForm, ImprovementForm, PlanForm, ProgressForm
from .models import Retrospective
from .selectors import (
    can_run,
    is_executor,
    progress_timeline,
    request_changes,
    request_items,
    retrospective_detail,
    today_in,
)


def request_side_panel(http_request, found):
    """The request page's panel: mark complete (or the retrospective's link), and the progress sync."""
    user = http_request.user
    retrospective = Retrospective.objects.filter(request=found).first()
    statuses = list(request_items(found).values_list("status", flat=True))
    latest = progress_timeline(found).first()
    pending = found.changes.filter(state=ChangeState.PENDING).first()
    return render_to_string("retro/partials/request_panel.html", {
        "req": found, "retrospective": retrospective, "latest": latest, "pending_change": pending,
        "can_complete": retrospective is None and found.state != RequestState.WITHDRAWN and can_manage(user, found),
        "items": len(statuses), "open_items": rules.open_items(statuses),
    }, request=http_request)


def meeting_side_panel(http_request, meeting):
    retrospective = Retrospective.objects.filter(meeting=meeting).select_related("request").first()
    if retrospective is None:
        return ""
    return render_to_string("retro/partials/meeting_panel.html", {"retrospective": retrospective},
                            request=http_request)


def detail_context(http_request, retrospective, **forms):
    user = http_request.user
    retrospective = retrospective_detail(retrospective)
    request = retrospective.request
    goals = list(retrospective.goals.all())
    editable = retrospective.state != RetroState.SENT and can_run(user, retrospective)
    readers = list(retrospective.readers.all())
    me = next((r for r in readers if r.person_id == user.pk), None)
    sent = retrospective.state == RetroState.SENT
    context = {
        "retrospective": retrospective, "req": request, "goals": goals, "editable": editable,
        "facts": retrospective.facts if sent else retrospective_facts(request),
        "improvements": list(retrospective.improvements.all()), "readers": readers, "me_reader": me,
        "today": today_in(request.organisation), "errors": forms.get("errors", []),
        "overdue": retrospective.state == RetroState.AWAITING and today_in(request.organisation) > retrospective.due,
    }
    if editable:
        start = timezone.localtime(timezone.now()).replace(minute=0, second=0, microsecond=0) + timezone.timedelta(
            days=1)
        context["plan_form"] = forms.get("plan") or PlanForm(prefix="plan", initial={
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
        context["assess_form"] = forms.get("assess") or AssessmentForm(
            prefix="as", goals=goals, initial={"version": retrospective.version, "went_well": retrospective.went_well,
                                               "stuck": retrospective.stuck, "next_time": retrospective.next_time})
        context["improvement_form"] = forms.get("improvement") or ImprovementForm(
            prefix="im", organisation=request.organisation)
    return context


def progress_context(http_request, request, **forms):
    user = http_request.user
    updates = list(progress_timeline(request))
    changes = list(request_changes(request))
    answerable = {r.department_id: r for r in request.receipts.select_related("department__head")
                  if r.department.head_id == user.pk or r.delegate_id == user.pk}
    for change in changes:
        answered = {a.department_id for a in change.answers.all()}
        change.answer_for = [r for d, r in answerable.items() if d not in answered] \
            if change.state == ChangeState.PENDING else []
    complete = Retrospective.objects.filter(request=request).exists()
    running = request.state != RequestState.WITHDRAWN and not complete
    risks = [u for u in updates if u.early_warning is not None]
    return {
        "req": request, "updates": updates, "changes": changes,
        "can_manage": can_manage(user, request),
        "can_post": running and is_executor(user, request), "can_change": running and can_manage(user, request)
        and not any(c.state == ChangeState.PENDING for c in changes),
        "progress_form": forms.get("progress") or ProgressForm(prefix="pg"),
        "change_form": forms.get("change") or ChangeForm(prefix="ch", initial={"new_due": request.due}),
        "answer_form": ChangeAnswerForm(prefix="ca"),
        "early": sum(1 for u in risks if u.early_warning), "late": sum(1 for u in risks if not u.early_warning),
        "errors": forms.get("errors", []),
    }
