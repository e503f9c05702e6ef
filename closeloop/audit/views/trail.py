"""The audit trail page: administrators only, newest first, filtered, each change shown as a diff."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from closeloop.audit.forms import AuditFilterForm
from closeloop.audit.history import compact_rows, diff_rows
from closeloop.audit.labels import object_label, object_link, object_name, page_objects, readable_diffs, verb_label
from closeloop.audit.models import AuditEntry

PER_PAGE = 50
SHOWN = 3  # changes listed on an entry's row; the rest wait behind its "details"


def entries_for(person):
    """The organisation's entries: those made by its people, and by the system (no actor)."""
    return AuditEntry.objects.filter(Q(actor__organisation_id=person.organisation_id) | Q(actor__isnull=True))


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def _filtered(qs, data):
    if data["object_type"]:
        qs = qs.filter(object_type=data["object_type"])
    if data["actor"]:
        qs = qs.filter(actor=data["actor"])
    if data["action"]:
        qs = qs.filter(action=data["action"])
    if data["since"]:
        qs = qs.filter(at__gte=_day_start(data["since"]))
    if data["until"]:
        qs = qs.filter(at__lt=_day_start(data["until"] + dt.timedelta(days=1)))
    return qs


def _row(entry, diff, short, objects):
    obj = objects.get((entry.object_type, str(entry.object_id)))
    return {
        "entry": entry, "diff": diff, "short": short[:SHOWN], "more": len(short) - SHOWN if len(short) > SHOWN else 0,
        "action": verb_label(entry.action), "object": object_label(entry.object_type),
        "name": object_name(obj), "link": object_link(entry.object_type, entry.object_id, obj),
        "raw": json.dumps({"action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
                           "before": entry.before, "after": entry.after}, ensure_ascii=False, indent=2),
    }


@login_required
def audit_list(request):
    user = request.user
    if not user.is_org_admin:
        raise Http404  # the trail's existence is not revealed to others
    qs = entries_for(user)
    object_types = list(qs.order_by("object_type").values_list("object_type", flat=True).distinct())
    actions = list(qs.order_by("action").values_list("action", "object_type").distinct())
    form = AuditFilterForm(request.GET or None, object_types=object_types, actions=actions,
                           organisation_id=user.organisation_id)
    if form.is_valid():
        qs = _filtered(qs, form.cleaned_data)
    page = Paginator(qs.select_related("actor").order_by("-at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    diffs = [diff_rows(e.before, e.after) for e in entries]
    # One pass names the related objects of both the full diffs and their one-line summaries.
    readable = readable_diffs(entries + entries, diffs + [compact_rows(d) for d in diffs])
    full, short = readable[:len(entries)], readable[len(entries):]
    objects = page_objects(entries)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit.html", {
        "filter_form": form, "page": page, "query": query.urlencode(),
        "rows": [_row(e, d, s, objects) for e, d, s in zip(entries, full, short, strict=True)],
    })
