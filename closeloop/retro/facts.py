"""The facts a retrospective starts from, read from the data (seed 002 stage 5 asks "what happened?" first):
each item's due vs done date, delays and their reasons, change requests, risks raised, the departments'
answer times, the minutes and their sign-off times. Plain JSON, so the sent report keeps them as they were.
"""

from django.utils import timezone

from closeloop.actions.models import ActionItemEvent, ChangeRequest
from closeloop.lib.apiutil import organisation_tz
from closeloop.minutes.models import Minutes
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

from . import rules
from .selectors import request_items

RISK_NOTE_PREFIX = "[risk] "  # how the follow-up app marks a risk raised on an item


def _day(value, zone):
    return timezone.localtime(value, zone).date() if value is not None else None


def _iso(value):
    return value.isoformat() if value is not None else None


def _stamp(value, zone):
    return f"{timezone.localtime(value, zone):%Y-%m-%d %H:%M}" if value is not None else None


def _items(request, calendar, zone):
    items = list(request_items(request))
    delays = {}
    risks = []
    for event in (ActionItemEvent.objects.filter(item__in=items).select_related("actor", "item")
                  .order_by("at", "pk")):
        if event.kind == "delay":
            delays.setdefault(event.item_id, []).append({
                "on": _iso(_day(event.at, zone)), "reason": event.reason or event.note,
                "old_due": _iso(event.old_due), "new_due": _iso(event.new_due)})
        elif event.kind == "risk" or event.note.startswith(RISK_NOTE_PREFIX):
            raised = _day(event.at, zone)
            risks.append({"on": _iso(raised), "by": str(event.actor or ""), "what": event.note.removeprefix(
                RISK_NOTE_PREFIX), "item": event.item.task[:80], "affected_due": _iso(event.item.due),
                "early": rules.is_early_warning(calendar, raised, event.item.due,
                                                policy_for(request.organisation).risk_warning_workdays)})
    rows = []
    for item in items:
        done_on = _day(item.closed_at, zone) if item.status == "done" else None
        planned = item.original_due or item.due
        rows.append({
            "task": item.task, "owner": str(item.owner or ""), "department": str(item.department or ""),
            "original_due": _iso(planned), "due": _iso(item.due), "done_on": _iso(done_on),
            "status": item.status, "status_label": str(item.get_status_display()),
            "late_workdays": rules.late_workdays(calendar, planned, done_on), "delays": delays.get(item.pk, []),
        })
    changes = [{"on": _iso(_day(c.created_at, zone)), "what": c.item.task[:80], "kind": str(c.get_kind_display()),
                "reason": c.reason, "state": str(c.get_state_display())}
               for c in ChangeRequest.objects.filter(item__in=items).select_related("item").order_by("created_at")]
    return rows, risks, changes


def _progress_risks(request, zone):
    return [{"on": _iso(u.day), "by": str(u.author), "what": u.risks, "item": "", "affected_due": _iso(u.affected_due),
             "early": bool(u.early_warning)}
            for u in request.progress_updates.select_related("author").exclude(risks="").order_by("posted_at")]


def _request_changes(request, zone):
    return [{"on": _iso(_day(c.asked_at, zone)), "what": str(request.subject)[:80], "kind": str(c.get_kind_display()),
             "reason": c.reason, "state": str(c.get_state_display())}
            for c in request.changes.order_by("asked_at")]


def _answers(request, calendar, zone):
    sent_on = _day(request.sent_at, zone)
    rows = []
    for receipt in request.receipts.select_related("department"):
        answered_on = _day(receipt.answered_at, zone)
        late = receipt.events.filter(late=True).exists()
        rows.append({"department": str(receipt.department), "sent": _stamp(request.sent_at, zone),
                     "answered": _stamp(receipt.answered_at, zone), "state": str(receipt.get_state_display()),
                     "workdays": calendar.working_days_between(sent_on, answered_on).count if answered_on else None,
                     "late": late})
    return rows


def _minutes(request, zone):
    rows = []
    for link in request.meeting_links.select_related("meeting").order_by("meeting__start"):
        meeting = link.meeting
        minutes = Minutes.objects.filter(meeting=meeting).order_by("-number").first()
        signoffs = []
        if minutes is not None:
            signoffs = [{"department": str(s.department), "signed": _stamp(s.signed_at, zone)}
                        for s in minutes.signoffs.select_related("department")]
        rows.append({"meeting": meeting.title, "type": str(meeting.get_type_display()),
                     "end": _stamp(meeting.end, zone),
                     "approved": _stamp(minutes.approved_at, zone) if minutes else None,
                     "distributed": _stamp(minutes.distributed_at, zone) if minutes else None,
                     "signed_off": _stamp(minutes.signed_off_at, zone) if minutes else None,
                     "signoffs": signoffs})
    return rows


def retrospective_facts(request):
    """Everything the retrospective is prefilled with, as JSON-ready data (see the module's docstring)."""
    organisation = request.organisation
    zone, calendar = organisation_tz(organisation), calendar_for(organisation)
    items, item_risks, item_changes = _items(request, calendar, zone)
    risks = item_risks + _progress_risks(request, zone)
    changes = item_changes + _request_changes(request, zone)
    finished = [i for i in items if i["status"] == "done"]
    summary = {
        "items": len(items), "done": len(finished), "cancelled": sum(i["status"] == "cancelled" for i in items),
        "on_time": sum(i["late_workdays"] == 0 for i in finished),
        "late": sum((i["late_workdays"] or 0) > 0 for i in finished),
        "delays": sum(len(i["delays"]) for i in items), "changes": len(changes),
        "early_warnings": sum(r["early"] for r in risks), "late_warnings": sum(not r["early"] for r in risks),
    }
    return {"summary": summary, "items": items, "changes": changes, "risks": risks,
            "answers": _answers(request, calendar, zone), "minutes": _minutes(request, zone)}
