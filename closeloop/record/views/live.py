"""The live record page, its poll, and the sections it re-renders.

The page is built from sections whose *display* parts (lists, timer) are what polling replaces, and whose
forms stay put, so nobody loses what they are typing when someone else saves. A poll compares the record's
revision: 204 when nothing moved, else the changed sections as out-of-band swaps.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from closeloop.lib.paging import section_page
from closeloop.meetings.selectors import meeting_for_user
from closeloop.record.choices import RecordState
from closeloop.record.pages import (
    PAGE,
    PAGING,
    _oob,
    loop_html,
    page_context,
    section_html,
    shared_choices,
)
from closeloop.record.selectors import (
    agenda,
    changed_sections,
    person_can_record,
    record_of,
    record_revision,
    topic_section,
)
from closeloop.record.services.writing import PARTICIPANTS, STATE


def _since(request):
    try:
        return max(0, int(request.GET.get("since", 0)))
    except (TypeError, ValueError):
        return 0


@login_required
@require_GET
def live(request, pk):
    """The live record (sign-in, review, topics, close); everyone who may see the meeting may read it."""
    meeting = meeting_for_user(request.user, pk)
    return render(request, PAGE, page_context(request, meeting))


@login_required
@require_GET
def poll(request, pk):
    """204 while the record's revision is `since`; else the sections changed since then (out-of-band)."""
    meeting = meeting_for_user(request.user, pk)
    since = _since(request)
    row = record_revision(meeting.pk)
    revision = row[0] if row else 0
    if revision == since:
        return HttpResponse(status=204)
    if row is None or since == 0 or STATE in changed_sections(row[2], since) or since > revision:
        # Opened, closed or reopened: the whole page changes (forms appear or go), so reload it.
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    record = record_of(meeting)
    keys = sorted(changed_sections(row[2], since))
    if any(key.startswith("topic-") for key in keys):
        # Only the topics on the page this person is looking at.
        shown = {topic_section(pk) for pk in section_page(
            request, agenda(meeting).values_list("pk", flat=True), *PAGING["topics"]).object_list}
        keys = [key for key in keys if not key.startswith("topic-") or key in shown]
    parts = [section_html(request, meeting, key, record=record) for key in keys]
    if PARTICIPANTS in keys and record.state == RecordState.OPEN and person_can_record(request.user, meeting):
        # Who takes part changed: the choosers' shared list follows (app.js refills them from the new copy).
        parts.append(format_html('<div id="shared-choices-box" hx-swap-oob="true">{}</div>',
                                 shared_choices(meeting)))
    parts.append(loop_html(request, meeting, record))
    parts.append(_oob("record/partials/poller.html", {"meeting": meeting, "revision": revision}))
    return HttpResponse("".join(parts))


@login_required
@require_GET
def topic_part(request, pk, topic_pk):
    """One topic's display part (timer and lists)."""
    meeting = meeting_for_user(request.user, pk)
    get_object_or_404(meeting.topics, pk=topic_pk)  # a topic of another meeting is not found here
    return HttpResponse(section_html(request, meeting, topic_section(topic_pk), oob=False))


@login_required
@require_GET
def loop_part(request, pk):
    """The closing panel; with `all`, every open point (the page shows the first ones)."""
    meeting = meeting_for_user(request.user, pk)
    return HttpResponse(loop_html(request, meeting, record_of(meeting), oob=False, everything="all" in request.GET))


