"""One meeting's action plan (行动计划表, seed 001 §(三)) as .xlsx, for the archive.

The workbook itself — columns, Chinese or English headers, styles, dates as dates — is the action items'
file format (closeloop/actions/excel.py), the same one their lists export and their import reads back, so a
plan downloaded from the archive can be edited and imported again. Here: which items, in which order, the name.
"""

import re

from django.db.models import F

from closeloop.actions.exports import XLSX_CONTENT_TYPE, export_plan
from closeloop.actions.imports import shared_display_names
from closeloop.actions.models import ActionItem

__all__ = ["XLSX_CONTENT_TYPE", "action_plan_bytes", "filename", "plan_items"]


def is_chinese(language):
    return (language or "").lower().startswith("zh")


def plan_items(meeting):
    """The meeting's action items in the order of its agenda, then as they were agreed."""
    return (ActionItem.objects.filter(meeting=meeting).select_related("owner", "department")
            .order_by(F("topic__order").asc(nulls_last=True), "pk"))


def action_plan_bytes(meeting, language):
    stem = "行动计划表" if is_chinese(language) else "Action plan"
    return export_plan(list(plan_items(meeting)), language=language, title=f"{meeting.title} — {stem}",
                       shared_names=shared_display_names(meeting.organisation))


def filename(meeting, language):
    title = re.sub(r'[\\/:*?"<>|\s]+', "_", meeting.title).strip("_") or "meeting"
    return f"{title}-{'行动计划表' if is_chinese(language) else 'action-plan'}.xlsx"
