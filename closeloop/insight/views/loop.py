"""The lists behind the loop-health figures: the meetings of the period that leak, with how much each."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from closeloop.insight import measures
from closeloop.insight.views.dashboard import board_for

# figure -> the MeetingRow count it sums, and where on the meeting the evidence is
LOOP_FIELDS = {
    "decisions_without_item": ("decisions_without_item", "record:live"),
    "disagreements_overdue": ("disagreements_overdue", "record:live"),
    "minutes_unsigned_late": ("signoffs_overdue", "minutes:meeting"),
    "meetings_without_decisions": ("no_decision", "record:live"),
}


def _count(row, field):
    return int(row.decisions == 0) if field == "no_decision" else getattr(row, field)


@login_required
@require_GET
def loop_list(request, key):
    """Each meeting of the period (same filters and permissions as the page) that adds to one loop figure."""
    if key not in LOOP_FIELDS:
        raise Http404
    field, evidence = LOOP_FIELDS[key]
    form, board = board_for(request)
    rows = [(row, _count(row, field)) for row in board.meeting_rows if _count(row, field)]
    return render(request, "insight/loop_list.html", {
        "form": form, "board": board, "measure": measures.MEASURES[key], "rows": rows, "evidence": evidence,
        "total": sum(n for _row, n in rows),
    })
