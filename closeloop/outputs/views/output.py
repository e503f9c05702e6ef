"""The output pages (from the meeting and from the minutes), their files, and the two writes: an item's
scenario columns and a department's confirmation of its allocation line. 404 for anyone not entitled."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from closeloop.actions.models import ActionItem
from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors
from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.meetings.selectors import meeting_for_user
from closeloop.minutes.selectors import minutes_for_user
from closeloop.outputs import rules, services
from closeloop.outputs.exports import XLSX_CONTENT_TYPE, filename, output_docx_bytes, output_xlsx_bytes
from closeloop.outputs.pages import columns_form, departments_of, output_context
from closeloop.outputs.selectors import meeting_output_for_user, output_of

PAGE = "outputs/output.html"


@login_required
@require_GET
def meeting_output(request, pk):
    meeting, kind, minutes = meeting_output_for_user(request.user, pk)
    return render(request, PAGE, output_context(request, meeting, kind, minutes))


@login_required
@require_GET
def minutes_output(request, pk):
    minutes = minutes_for_user(request.user, pk)
    kind = rules.kind_for(minutes.meeting.type)
    if kind is None:
        raise Http404
    return render(request, PAGE, output_context(request, minutes.meeting, kind, minutes))


FILES = {"docx": (output_docx_bytes, DOCX_CONTENT_TYPE), "xlsx": (output_xlsx_bytes, XLSX_CONTENT_TYPE)}


@login_required
@require_GET
def output_file(request, pk, extension):
    meeting, kind, minutes = meeting_output_for_user(request.user, pk)
    if extension not in FILES:
        raise Http404
    build, content_type = FILES[extension]
    view = output_of(meeting, kind, minutes)
    response = HttpResponse(build(view), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename(view, extension))
    return response


def _item(request, item_pk):
    """The item, when the person may see its meeting and that meeting has an output; else Http404."""
    meeting_id = ActionItem.objects.filter(pk=item_pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    meeting = meeting_for_user(request.user, meeting_id)
    kind = rules.kind_for(meeting.type)
    if kind is None:
        raise Http404
    item = ActionItem.objects.select_related("department__head", "meeting__organisation").get(pk=item_pk)
    return meeting, kind, item


def _next(request, meeting):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("outputs:meeting", args=[meeting.pk])


@login_required
@require_http_methods(["GET", "POST"])
def item_columns(request, item_pk):
    """The scenario columns of one item: the form (GET), saved (POST) then back to where it was opened."""
    meeting, kind, item = _item(request, item_pk)
    departments = departments_of(meeting)
    form = columns_form(item, kind, departments, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.item_columns_save(actor=request.user, item=item, data=form.columns(),
                                           version=form.cleaned_data["version"])
            except PermissionDenied:
                return HttpResponse(status=403)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 422
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{_next(request, meeting)}#columns-{item.pk}")
        else:
            status = 422
    return render(request, "outputs/item_columns.html", {
        "meeting": meeting, "item": item, "form": form, "kind": kind, "next": _next(request, meeting),
        "title": rules.OutputKind(kind).label}, status=status)


@login_required
@require_POST
def allocation_confirm(request, item_pk):
    meeting, kind, item = _item(request, item_pk)
    try:
        services.allocation_confirm(actor=request.user, item=item)
    except PermissionDenied:
        return HttpResponse(status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Line confirmed for %(dept)s.") % {"dept": item.department})
    return redirect(f"{_next(request, meeting)}#output-item-{item.pk}")
