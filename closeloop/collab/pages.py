"""What the request page shows, shared by the views that render it (the page itself and its refused forms)."""

from django.utils import timezone

from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.forms import DATETIME_LOCAL

from .choices import ReceiptState, RequestState
from .forms import AnswerForm, DelegateForm, LinkMeetingForm, NoteForm, PlanMeetingForm, ReplyForm, WithdrawForm
from .hooks import request_panel
from .selectors import can_answer, can_manage, linked_decisions, linked_items, linked_meetings
from .selectors import request_detail as load_detail


def today_for(person):
    return timezone.localtime(timezone.now(), organisation_tz(person.organisation)).date()


def overdue(receipt, today):
    return receipt.state == ReceiptState.PENDING and receipt.answer_due is not None and receipt.answer_due < today


def detail_context(request, found, **forms):
    """Everything the request page shows: fields, departments and their answers, story, meetings, items."""
    user = request.user
    found = load_detail(found)
    today = today_for(user)
    manage = can_manage(user, found)
    receipts = list(found.receipts.all())
    for receipt in receipts:
        receipt.overdue = overdue(receipt, today)
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
        "decisions": list(linked_decisions(found, user)),
        "memos": list(found.memos.order_by("-number")),
        "resources": list(found.resource_requests.select_related("department", "decision")),
        "can_ask_resources": found.state != RequestState.WITHDRAWN and user.department_id in (
            {found.initiating_department_id} | {r.department_id for r in receipts}),
        "can_escalate": manage and bool(open_receipts) and found.state != RequestState.WITHDRAWN,
        "can_withdraw": manage and found.state not in (RequestState.WITHDRAWN, RequestState.AGREED),
        "plan_form": plan_form,
        "link_form": forms.get("link") or LinkMeetingForm(prefix="link", person=user),
        "escalate_form": forms.get("escalate") or NoteForm(prefix="esc"),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(prefix="wd"),
        "errors": forms.get("errors", []), "today": today,
        "extra_panel": request_panel(request, found),
    }
