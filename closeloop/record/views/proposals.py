"""Smart minutes on the live record page: what the recorder types in a note, read into proposals beside it.

Each proposal is a small form of hidden fields: Accept posts it to the topic's own "add action item" (or "add
decision") write, Edit puts its values in that form to change before saving, Dismiss drops it in the browser.
Nothing is created without the recorder's click. Only the meeting's host and recorder get proposals (404).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from closeloop.meetings.models import Topic
from closeloop.record.pages import _form_html, _lists, topic_forms
from closeloop.record.selectors import meeting_for_extract, record_of, topic_view
from closeloop.smartminutes.selectors import TEXT_MAX, extract_setup, proposals_for


def _meeting_topic(request, pk, topic_pk):
    meeting = meeting_for_extract(request.user, pk)
    return meeting, get_object_or_404(Topic, pk=topic_pk, meeting=meeting)


def _card(index, proposal, people_departments):
    extraction, match = proposal.extraction, proposal.match
    owner_id = match.id if match and match.kind == "person" else None
    department_id = match.id if match and match.kind == "department" else people_departments.get(owner_id)
    return {
        "index": index, "kind": extraction.kind, "text": extraction.text.strip(), "task": extraction.task or "",
        "deliverable": proposal.deliverable or "",
        "owner": extraction.owner, "co_owners": extraction.co_owners, "match": match, "owner_id": owner_id,
        "department_id": department_id, "due": extraction.due, "due_phrase": extraction.due_phrase,
        "vague": extraction.vague, "vague_words": extraction.vague_words, "flags": set(extraction.flags),
    }


@login_required
@require_POST
def proposals(request, pk, topic_pk):
    """The proposals for the note being typed (the note form's `text`), as the panel beside it."""
    meeting, topic = _meeting_topic(request, pk, topic_pk)
    text = request.POST.get("text", "")[:TEXT_MAX]
    found = proposals_for(extract_setup(meeting.organisation, meeting.start), text) if text.strip() else []
    people = {p.pk: p.department_id for p in _lists(meeting)["people"].values()}
    cards = [_card(i, p, people) for i, p in enumerate(found, start=1)]
    return render(request, "record/partials/proposals.html", {"meeting": meeting, "topic": topic, "cards": cards})


@login_required
@require_POST
def proposal_edit(request, pk, topic_pk):
    """The topic's action-item (or decision) form filled in with a proposal's values, to change before saving."""
    meeting, topic = _meeting_topic(request, pk, topic_pk)
    kind = "dec" if request.POST.get("kind") == "decision" else "item"
    view = topic_view(meeting, record_of(meeting), topic)
    form = topic_forms(view, user=request.user, **_lists(meeting, request.POST))[kind]
    if kind == "dec":
        form.initial.update(text=request.POST.get("text", "")[:TEXT_MAX])
    else:
        form.initial.update({name: request.POST.get(name) or None for name in ("task", "owner", "department", "due",
                                                                      "deliverable")})
    form.fields["task" if kind == "item" else "text"].widget.attrs["autofocus"] = True
    return HttpResponse(_form_html(request, meeting, view, kind, form))
