"""Reads for the outputs, with the meeting's visibility applied: 404 for anyone not entitled to the meeting.

`output_of` builds what every rendering (page, .docx, .xlsx, JSON) shows: the sections and their rows,
read from the action items now, so a status change shows at once. Call it under the reader's language.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.actions.models import ActionItem
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.selectors import meeting_for_user
from closeloop.minutes.selectors import latest_of, minutes_for_user
from closeloop.outputs import rules
from closeloop.outputs.choices import OutputKind
from closeloop.outputs.models import ItemColumns, Output
from closeloop.record.models import Decision


@dataclass
class Section:
    key: str
    title: str
    columns: list  # [(key, label)]
    rows: list = field(default_factory=list)  # [{"item": ActionItem, "cells": {key: text}}]


@dataclass
class OutputView:
    kind: str
    title: str
    meeting: object
    minutes: object
    issued: object  # the Output row, or None before the minutes are approved
    info: list  # [(label, text)]
    sections: list
    decisions: Section
    summary: dict


def minutes_output_for_user(person, minutes_id, kind):
    """(minutes, kind) when the person may see the meeting and `kind` is its type's output; else Http404."""
    minutes = minutes_for_user(person, minutes_id)
    if kind not in OutputKind.values or rules.kind_for(minutes.meeting.type) != kind:
        raise Http404
    return minutes, kind


def meeting_output_for_user(person, meeting_id):
    """(meeting, kind, latest minutes or None) for a meeting the person may see and whose type has an output."""
    meeting = meeting_for_user(person, meeting_id)
    kind = rules.kind_for(meeting.type)
    if kind is None:
        raise Http404
    return meeting, kind, latest_of(meeting)


def item_for_output(meeting, item_id):
    """One of the meeting's action items (Http404 for an item of another meeting)."""
    try:
        return ActionItem.objects.select_related("department__head", "owner").get(pk=item_id, meeting=meeting)
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def columns_of(item):
    """The item's scenario columns (unsaved and empty when none were given yet)."""
    try:
        return item.scenario_columns
    except ItemColumns.DoesNotExist:
        return ItemColumns(item=item, version=0)


def meeting_items(meeting):
    return list(
        ActionItem.objects.filter(meeting=meeting)
        .select_related("owner", "department__head", "scenario_columns__requested_by",
                        "scenario_columns__confirmed_by")
        .order_by("due", "id")
    )


def _date(value):
    return value.isoformat() if value else "—"


def _confirmation(item, columns, zone):
    if columns.confirmed_at:
        return _("Confirmed by %(who)s on %(when)s") % {
            "who": columns.confirmed_by or "—", "when": f"{timezone.localtime(columns.confirmed_at, zone):%Y-%m-%d}"}
    if item.department_id is None:
        return _("No receiving department")
    return _("Awaiting confirmation")


def _cells(item, zone):
    c = columns_of(item)
    department = str(item.department) if item.department_id else "—"
    owner = str(item.owner) if item.owner_id else "—"
    return {
        "problem": c.problem, "root_cause": c.root_cause, "corrective_action": item.task,
        "owner": owner, "responsible": owner, "due": _date(item.due),
        "verification": c.verification, "status": str(item.get_status_display()),
        "department": department, "responsibility": item.task, "deliverable": item.deliverable,
        "milestone": c.milestone, "requested_by": str(c.requested_by) if c.requested_by_id else "—",
        "need": c.need, "value": c.value, "resources": c.resources,
        "priority": str(c.priority) if c.priority else "—", "allocation": c.allocation, "receiving": department,
        "confirmation": _confirmation(item, c, zone), "task": item.task, "goal": c.goal, "adjustment": c.adjustment,
    }


def _section(spec, items, zone):
    rows = [{"item": i, "columns": columns_of(i), "cells": _cells(i, zone)} for i in items]
    if spec.only:
        rows = [r for r in rows if r["cells"][spec.only].strip()]
    if spec.key == "comparison":
        rows.sort(key=lambda r: rules.priority_key(r["columns"].priority, r["item"].due, r["item"].pk))
    elif spec.key == "milestones":
        rows.sort(key=lambda r: (r["item"].due is None, r["item"].due or "", r["item"].pk))
    elif spec.group_by:
        rows.sort(key=lambda r: (r["cells"][spec.group_by] == "—", r["cells"][spec.group_by]))
    for number, row in enumerate(rows, start=1):
        row["cells"]["no"] = str(number)
        row["values"] = [(key, row["cells"][key]) for key in spec.columns]
    return Section(spec.key, str(spec.title),
                   [(key, str(rules.label(key))) for key in spec.columns], rows)


def _decisions(meeting):
    decisions = Decision.objects.filter(topic__meeting=meeting).select_related("decided_by").order_by(
        "topic__order", "topic_id", "id")
    rows = [{"item": None, "cells": {"no": str(n), "decision": d.text, "decided_by": str(d.decided_by or "—")}}
            for n, d in enumerate(decisions, start=1)]
    return Section("decisions", _("Decisions of the meeting"),
                   [(key, str(rules.label(key))) for key in rules.DECISION_COLUMNS], rows)


def _info(meeting, minutes, zone):
    host = ", ".join(str(p.person) for p in meeting.participants.select_related("person") if p.has_role("host"))
    info = [
        (_("Meeting"), meeting.title),
        (_("Meeting time"), f"{timezone.localtime(meeting.start, zone):%Y-%m-%d %H:%M}"),
        (_("Host"), host or "—"),
        (_("Project"), str(meeting.project) if meeting.project_id else "—"),
        (_("Objective"), meeting.objective or "—"),
    ]
    if minutes is not None:
        info.append((_("Minutes"), _("Version %(n)s, %(state)s") % {
            "n": minutes.number, "state": minutes.get_state_display()}))
    return info


def output_of(meeting, kind, minutes=None):
    """The output as it stands now (the items' current statuses)."""
    zone = organisation_tz(meeting.organisation)
    items = meeting_items(meeting)
    issued = Output.objects.filter(minutes=minutes).first() if minutes is not None else None
    return OutputView(
        kind=kind, title=str(OutputKind(kind).label), meeting=meeting, minutes=minutes, issued=issued,
        info=_info(meeting, minutes, zone),
        sections=[_section(spec, items, zone) for spec in rules.SECTIONS[kind]],
        decisions=_decisions(meeting), summary=rules.summary(i.status for i in items),
    )
