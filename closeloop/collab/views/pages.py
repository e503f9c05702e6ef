"""Pages for requests: the list with its tabs, a new request, the request as its whole story, the exports."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.office import DOCX_CONTENT_TYPE

from .. import exports, services
from ..choices import RequestState
from ..forms import RequestForm
from ..models import Request
from ..pages import detail_context, today_for
from ..pages import overdue as receipt_overdue
from ..selectors import linked_meetings, request_for_user
from ..selectors import request_detail as load_detail
from ..selectors import request_list as list_rows

TABS = ("mine", "to_answer", "all")
PER_PAGE = 30


def _require_org(person):
    if person.organisation_id is None:
        raise Http404


@login_required
def request_list(request):
    """Requests in three tabs: 我发起的 (mine), 待我部门答复 (my department's to answer), 全部可见 (all visible)."""
    user = request.user
    _require_org(user)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "all"
    state = request.GET.get("state") if request.GET.get("state") in RequestState.values else ""
    overdue = request.GET.get("overdue") == "1"
    today = today_for(user)
    narrowing = _narrowing(request.GET, user)
    rows = list_rows(user, tab="" if tab == "all" else tab, state=state, overdue=overdue, today=today, **narrowing)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        for receipt in row.receipts.all():
            receipt.overdue = receipt_overdue(receipt, today)
    return render(request, "collab/request_list.html", {
        "tab": tab, "state": state, "overdue": overdue, "page": page, "requests": list(page),
        "states": RequestState.choices, "narrowed": any(v is not None for v in narrowing.values()),
        "narrowing_query": {k: request.GET[k] for k in ("department", "sent_from", "sent_to") if request.GET.get(k)},
    })


def _narrowing(params, user):
    """department / sent_from / sent_to from the query (the lists behind insight's figures); a value that
    cannot be read narrows nothing."""
    tz = organisation_tz(user.organisation)
    department = params.get("department", "")
    narrowing = {"department": int(department) if department.isdigit() and len(department) < 19 else None}
    for key, shift in (("sent_from", 0), ("sent_to", 1)):
        try:
            day = dt.date.fromisoformat(params.get(key, ""))
        except ValueError:
            narrowing[key] = None
        else:
            narrowing[key] = dt.datetime.combine(day + dt.timedelta(days=shift), dt.time.min, tz)
    return narrowing


@login_required
def request_new(request):
    user = request.user
    _require_org(user)
    form = RequestForm(request.POST or None, request.FILES or None, person=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = list(data.pop("receiving_departments"))
        viewers = list(data.pop("viewers"))
        materials = data.pop("materials")
        try:
            created, warnings = services.request_create(actor=user, data=data, receiving_departments=departments,
                                                        materials=materials, viewers=viewers)
        except ValidationError as exc:
            add_service_errors(form, exc, model=Request)
        else:
            for warning in warnings:
                messages.warning(request, warning.message)
            return redirect("collab:detail", created.pk)
    return render(request, "collab/request_form.html", {"form": form, "errors": error_summary(form)},
                  status=422 if request.method == "POST" else 200)


@login_required
def request_detail(request, pk):
    found = request_for_user(request.user, pk)
    return render(request, "collab/request_detail.html", detail_context(request, found))


def _export(request, pk, extension, render_file, content_type):
    found = request_for_user(request.user, pk)
    meetings = linked_meetings(found, request.user).prefetch_related("participants__person__department")
    response = HttpResponse(render_file(load_detail(found), list(meetings)), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(found, extension))
    return response


@login_required
def material(request, pk, material_id):
    """A background file, only for people who may see the request."""
    found = request_for_user(request.user, pk)
    item = found.materials.filter(pk=material_id).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
def record_docx(request, pk):
    return _export(request, pk, "docx", exports.record_docx, DOCX_CONTENT_TYPE)


@login_required
def record_xlsx(request, pk):
    return _export(request, pk, "xlsx", exports.record_xlsx, exports.XLSX_CONTENT_TYPE)


