"""The retrospective pages: complete a request, plan the meeting, record the findings, send the report,
acknowledge it, download it; and the organisation's open improvement measures.

Each finds what it shows through a permission-aware selector (404 for anyone not entitled), runs one service
and redirects back; a refused input re-renders the page with what was typed and the error naming the field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.collab.selectors import request_for_user
from closeloop.lib.apiutil import aware
from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.office import docx_response

from .. import exports, services
from ..forms import AssessmentForm, ImprovementForm, PlanForm
from ..pages import detail_context
from ..selectors import open_improvements, retrospective_for_user

PAGE = "retro/retrospective_detail.html"


def _refused(request, retrospective, key, form, exc=None, status=422):
    if exc is not None:
        add_service_errors(form, exc)
    context = detail_context(request, retrospective, **{key: form, "errors": error_summary(form)})
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def detail(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    return render(request, PAGE, detail_context(request, retrospective))


@login_required
@require_POST
def complete(request, request_id):
    found = request_for_user(request.user, request_id)
    try:
        retrospective = services.request_complete(actor=request.user, request=found)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("collab:detail", found.pk)
    messages.success(request, _("The request is complete; the retrospective is due by %(due)s.") % {
        "due": retrospective.due.isoformat()})
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_POST
def plan(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    form = PlanForm(request.POST, prefix="plan")
    if not form.is_valid():
        return _refused(request, retrospective, "plan", form)
    organisation = retrospective.request.organisation
    data = {**form.cleaned_data, "start": aware(form.cleaned_data["start"], organisation),
            "end": aware(form.cleaned_data["end"], organisation)}
    try:
        meeting, warnings = services.retrospective_plan_meeting(actor=request.user, retrospective=retrospective,
                                                                data=data)
    except ValidationError as exc:
        return _refused(request, retrospective, "plan", form, exc)
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, _("The retrospective meeting is planned with the three questions as its topics; "
                                "send its notice from the meeting page."))
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_POST
def assess(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    form = AssessmentForm(request.POST, prefix="as", goals=list(retrospective.goals.all()))
    if not form.is_valid():
        return _refused(request, retrospective, "assess", form)
    data = {**form.cleaned_data, "goals": form.goals()}
    try:
        services.retrospective_update(actor=request.user, retrospective=retrospective, data=data,
                                      version=form.cleaned_data["version"])
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _refused(request, retrospective, "assess", form, status=409)
    except ValidationError as exc:
        return _refused(request, retrospective, "assess", form, exc)
    messages.success(request, _("The findings are saved."))
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_POST
def improvement_add(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    form = ImprovementForm(request.POST, prefix="im", organisation=retrospective.request.organisation)
    if not form.is_valid():
        return _refused(request, retrospective, "improvement", form)
    try:
        services.improvement_add(actor=request.user, retrospective=retrospective, data=form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, retrospective, "improvement", form, exc)
    messages.success(request, _("The improvement measure is added."))
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_POST
def improvement_remove(request, pk, improvement_id):
    retrospective = retrospective_for_user(request.user, pk)
    improvement = get_object_or_404(retrospective.improvements, pk=improvement_id)
    try:
        services.improvement_remove(actor=request.user, improvement=improvement)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_POST
def send(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    try:
        services.retrospective_send(actor=request.user, retrospective=retrospective)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("retro:detail", retrospective.pk)
    messages.success(request, _("The report is approved and sent; the improvement measures are action items now."))
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_POST
def acknowledge(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    services.report_acknowledge(actor=request.user, retrospective=retrospective)
    messages.success(request, _("You acknowledged reading the report."))
    return redirect("retro:detail", retrospective.pk)


@login_required
@require_GET
def report_docx(request, pk):
    retrospective = retrospective_for_user(request.user, pk)
    language = translation.get_language()
    document = exports.report_document(retrospective, language=language)
    return docx_response(document, exports.report_filename(retrospective))


@login_required
@require_GET
def improvements(request):
    rows = list(open_improvements(request.user))
    return render(request, "retro/improvements.html", {"rows": rows})
