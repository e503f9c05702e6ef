"""Pages for requests: the list with its tabs, a new request, the request as its whole story, the exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.meetings.forms import DATETIME_LOCAL

from .. import exports, services
from ..choices import ReceiptState, RequestState
from ..forms import AnswerForm, DelegateForm, NoteForm, PlanMeetingForm, ReplyForm, RequestForm, WithdrawForm
from ..models import Request
from ..selectors import can_answer, can_manage, linked_items, linked_meetings, request_for_user
from ..selectors import request_detail as load_detail
from ..selectors import request_list as list_rows

TABS = ("mine", "to_answer", "all")
PER_PAGE = 30


def _today(person):
    return timezone.localtime(timezone.now(), organisation_tz(person.organisation)).date()


def _overdue(receipt, today):
    return receipt.state == ReceiptState.PENDING and receipt.answer_due is not None and receipt.answer_due < today


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
    today = _today(user)
    rows = list_rows(user, tab="" if tab == "all" else tab, state=state, overdue=overdue, today=today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        for receipt in row.receipts.all():
            receipt.overdue = _overdue(receipt, today)
    return render(request, "collab/request_list.html", {
        "tab": tab, "state": state, "overdue": overdue, "page": page, "requests": list(page),
        "states": RequestState.choices,
    })


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


def detail_context(request, found, **forms):
    """Everything the request page shows: fields, departments and their answers, story, meetings, items."""
    user = request.user
    found = load_detail(found)
    today = _today(user)
    manage = can_manage(user, found)
    receipts = list(found.receipts.all())
    for receipt in receipts:
        receipt.overdue = _overdue(receipt, today)
        receipt.can_answer = found.state != RequestState.WITHDRAWN and receipt.state != ReceiptState.ACCEPTED \
            and can_answer(user, receipt)
        receipt.can_delegate = receipt.department.head_id == user.pk
        receipt.can_reply = manage and receipt.state == ReceiptState.CLARIFY
        receipt.answer_form = forms.get(f"answer_{receipt.pk}") or AnswerForm(prefix=f"a{receipt.pk}")
        receipt.reply_form = forms.get(f"reply_{receipt.pk}") or ReplyForm(prefix=f"r{receipt.pk}")
        if receipt.can_delegate:
            receipt.delegate_form = DelegateForm(prefix=f"d{receipt.pk}", person=user,
                                                 initial={"delegate": receipt.delegate_id})
    meetings = list(linked_meetings(found, user))
    for meeting in meetings:
        versions = sorted(meeting.minutes_versions.all(), key=lambda m: m.number, reverse=True)
        meeting.latest_minutes = versions[0] if versions else None
    start = timezone.localtime(timezone.now(), organisation_tz(found.organisation)).replace(
        minute=0, second=0, microsecond=0) + timezone.timedelta(days=1)
    plan_form = forms.get("plan") or PlanMeetingForm(prefix="plan", initial={
        "title": found.subject, "start": start.strftime(DATETIME_LOCAL),
        "end": (start + timezone.timedelta(hours=1)).strftime(DATETIME_LOCAL)})
    open_receipts = [r for r in receipts if r.state in (ReceiptState.PENDING, ReceiptState.DIFFICULTY)]
    return {
        "req": found, "receipts": receipts, "events": list(found.events.all()),
        "materials": list(found.materials.all()),
        "meetings": meetings, "items": list(linked_items(found, user)), "can_manage": manage,
        "memos": list(found.memos.order_by("-number")),
        "can_escalate": manage and bool(open_receipts) and found.state != RequestState.WITHDRAWN,
        "can_withdraw": manage and found.state not in (RequestState.WITHDRAWN, RequestState.AGREED),
        "plan_form": plan_form, "escalate_form": forms.get("escalate") or NoteForm(prefix="esc"),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(prefix="wd"),
        "errors": forms.get("errors", []), "today": today,
    }


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


