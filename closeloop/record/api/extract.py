"""Smart minutes on the live record: POST /record/meetings/{id}/extract reads typed notes into proposals.

Nothing is created: the answer is proposals (action items with owner, task and due prefilled; decisions) that the
recorder accepts, edits or dismisses through the record's own endpoints. Only the meeting's host and recorder may
call it; anyone else gets 404.
"""

import datetime as dt

from ninja import Field, Router, Schema

from closeloop.org.api.schemas import ErrorOut
from closeloop.record.selectors import meeting_for_extract
from closeloop.smartminutes.selectors import TEXT_MAX, extract_setup, proposals_for

router = Router(tags=["live record"])


class ExtractIn(Schema):
    text: str = Field(..., max_length=TEXT_MAX, description="What the recorder typed: one or more sentences.")


class OwnerMatchOut(Schema):
    type: str = Field(..., description="person or department")
    id: int
    name: str


class ProposalOut(Schema):
    kind: str = Field(..., description="action or decision")
    text: str = Field(..., description="The sentence the proposal was read from.")
    owner: str | None = Field(None, description="The owner as written; null when the note names none.")
    co_owners: list[str] = Field(default_factory=list, description="Further owners named with the first.")
    match: OwnerMatchOut | None = Field(None, description="The organisation's person or department it names.")
    task: str | None = None
    deliverable: str | None = Field(None, description="What the task hands over, when it names a thing.")
    due: dt.date | None = None
    due_phrase: str | None = Field(None, description="The words the due date was read from.")
    vague: bool = Field(False, description="Too vague to be SMART: no deliverable, owner or date, or vague words.")
    vague_words: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description=(
        "due_not_working_day, year_not_in_calendar, due_before_meeting, holiday_not_found, owner_missing, "
        "due_missing, vague, second_owner"))


class ExtractOut(Schema):
    meeting_id: int
    meeting_start: dt.datetime = Field(..., description="Due phrases count from here, on the working calendar.")
    proposals: list[ProposalOut]


@router.post("/meetings/{int:meeting_id}/extract", response={200: ExtractOut, 404: ErrorOut, 422: ErrorOut},
             summary="Read typed notes into proposed action items and decisions (nothing is saved)")
def record_extract(request, meeting_id: int, payload: ExtractIn):
    meeting = meeting_for_extract(request.auth, meeting_id)
    setup = extract_setup(meeting.organisation, meeting.start)
    return {"meeting_id": meeting.pk, "meeting_start": meeting.start,
            "proposals": [p.as_json() for p in proposals_for(setup, payload.text)]}
