"""The lists behind the loop-health figures: the meetings of the period that leak, with how much each; the
overdue retrospectives; the open improvement measures."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from closeloop.insight import measures, selectors
from closeloop.insight.views.dashboard import board_for

# figure -> the MeetingRow count it sums, and where on the meeting the evidence is
LOOP_FIELDS = {
    "decisions_without_item": ("decisions_without_item", "record:live"),
    "disagreements_overdue": ("disagreements_overdue", "record:live"),
    "minutes_unsigned_late": ("signoffs_overdue", "minutes:meeting"),
    "meetings_without_decisions": ("no_decision", "record:live"),
}
# figure -> the Dashboard rows behind it (one row each)
AFTER_FIELDS = {"retrospectives_overdue": "retro_rows", "improvements_open": "improvement_rows"}


def _count(row, field):
    return int(row.decisions == 0) if field == "no_decision" else getattr(row, field)


@login_required
@require_GET
def loop_list(request, key):
    """Each meeting of the period (same filters and permissions as the page) that adds to one loop figure; or
    each retrospective or improvement measure behind the figures of what follows the work."""
    if key in AFTER_FIELDS:
        return _after_list(request, key)
    if key not in LOOP_FIELDS:
        raise Http404
    field, evidence = LOOP_FIELDS[key]
    form, board = board_for(request)
    rows = [(row, _count(row, field)) for row in board.meeting_rows if _count(row, field)]
    return render(request, "insight/loop_list.html", {
        "form": form, "board": board, "measure": measures.MEASURES[key], "rows": rows, "evidence": evidence,
        "total": sum(n for _row, n in rows),
    })


def _after_list(request, key):
    form, board = board_for(request)
    rows = getattr(board, AFTER_FIELDS[key])
    # The figure counts by department; a row the reader may not open (a confidential request) keeps its place
    # but not its words.
    if key == "retrospectives_overdue":
        readable = selectors.readable_retrospective_ids(request.user, [r.id for r in rows])
    else:
        readable = selectors.readable_item_ids(request.user, [r.item_id for r in rows])
    return render(request, "insight/after_list.html", {
        "form": form, "board": board, "measure": measures.MEASURES[key], "key": key, "readable": readable,
        "rows": rows, "total": len(rows),
    })
