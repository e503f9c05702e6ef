"""API for the minutes: draft, edit (409 on a stale version), review, distribute, sign off, correct, compare, export.

Every endpoint finds the minutes through the meeting's visibility (404 for anyone not entitled) and
changes them only through the services (403 for people who may see but not act).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.meetings.selectors import meeting_for_user
from closeloop.minutes import selectors, services
from closeloop.minutes.api.schemas import (
    CommentIn,
    ContentIn,
    DiffOut,
    DistributionOut,
    MinutesOut,
    MinutesSummaryOut,
    ReasonIn,
    SectionOut,
    SignOffOut,
    TokenSignOffIn,
    VersionIn,
    minutes_out,
    signoff_out,
    summary_out,
)
from closeloop.minutes.choices import SECTIONS
from closeloop.minutes.diff import sections_diff
from closeloop.minutes.drafting import minutes_draft_content
from closeloop.minutes.exports import docx_filename, markdown_filename, minutes_docx_bytes, minutes_markdown
from closeloop.minutes.models import Minutes
from closeloop.org.api.schemas import ErrorOut

router = Router(tags=["minutes"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _minutes(request, minutes_id):
    return selectors.minutes_for_user(request.auth, minutes_id)


@router.get("/meetings/{int:meeting_id}", response={200: list[MinutesSummaryOut], **ERRORS})
def meeting_minutes(request, meeting_id: int):
    """Every version of the meeting's minutes, newest first."""
    meeting = meeting_for_user(request.auth, meeting_id)
    return [summary_out(m) for m in selectors.versions_of(meeting)]


@router.get("/meetings/{int:meeting_id}/draft-preview", response={200: list[SectionOut], **ERRORS})
def draft_preview(request, meeting_id: int, language: str = ""):
    """What a draft from the record would say now (nothing is saved)."""
    meeting = meeting_for_user(request.auth, meeting_id)
    content = minutes_draft_content(meeting, language or request.auth.language)
    with translation.override(language or request.auth.language or None):
        return [{"key": k, "label": str(label), "text": content[k]} for k, label in SECTIONS]


@router.post("/meetings/{int:meeting_id}/draft", response={201: MinutesOut, **ERRORS})
def create_draft(request, meeting_id: int):
    """Draft version 1 from the meeting and its record (host, recorder or administrator)."""
    meeting = meeting_for_user(request.auth, meeting_id)
    return 201, minutes_out(services.minutes_create_draft(actor=request.auth, meeting=meeting))


@router.get("/{int:minutes_id}", response={200: MinutesOut, **ERRORS})
def minutes_detail(request, minutes_id: int):
    return minutes_out(_minutes(request, minutes_id))


@router.put("/{int:minutes_id}/content", response={200: MinutesOut, **ERRORS})
def minutes_save(request, minutes_id: int, payload: ContentIn):
    """Save sections of a draft (or minutes in review). Approved minutes answer 422; a stale version 409."""
    minutes = _minutes(request, minutes_id)
    return minutes_out(services.minutes_save(
        actor=request.auth, minutes=minutes, content=payload.content, version=payload.version))


@router.post("/{int:minutes_id}/redraft", response={200: MinutesOut, **ERRORS})
def minutes_redraft(request, minutes_id: int, payload: VersionIn):
    """Write the draft again from the record (replaces the text; needs the version you saw)."""
    minutes = _minutes(request, minutes_id)
    return minutes_out(services.minutes_redraft(actor=request.auth, minutes=minutes, version=payload.version))


@router.post("/{int:minutes_id}/submit", response={200: MinutesOut, **ERRORS})
def minutes_submit(request, minutes_id: int):
    return minutes_out(services.minutes_submit(actor=request.auth, minutes=_minutes(request, minutes_id)))


@router.post("/{int:minutes_id}/return", response={200: MinutesOut, **ERRORS})
def minutes_return(request, minutes_id: int, payload: CommentIn):
    """Back to the draft with a comment (host or administrator)."""
    minutes = _minutes(request, minutes_id)
    return minutes_out(services.minutes_return(actor=request.auth, minutes=minutes, comment=payload.comment))


@router.post("/{int:minutes_id}/approve", response={200: MinutesOut, **ERRORS})
def minutes_approve(request, minutes_id: int, payload: VersionIn):
    """审核通过 (host or administrator). Give `version` to approve exactly the text you read."""
    minutes = _minutes(request, minutes_id)
    return minutes_out(services.minutes_approve(actor=request.auth, minutes=minutes, version=payload.version))


@router.post("/{int:minutes_id}/distribute", response={200: DistributionOut, **ERRORS})
def minutes_distribute(request, minutes_id: int):
    """Mail the approved minutes (.docx attached) and ask each participating department's head to sign off."""
    result = services.minutes_distribute(actor=request.auth, minutes=_minutes(request, minutes_id))
    return {
        "minutes": minutes_out(result.minutes), "queued": len(result.queued),
        "skipped_person_ids": [p.pk for p in result.skipped],
        "signoff_department_ids": [s.department_id for s in result.signoffs],
        "without_head_department_ids": [d.pk for d in result.without_head],
    }


@router.post("/{int:minutes_id}/correct", response={201: MinutesOut, **ERRORS})
def minutes_correct(request, minutes_id: int, payload: ReasonIn):
    """A correction of approved minutes: a new draft version starting from their text."""
    minutes = _minutes(request, minutes_id)
    return 201, minutes_out(services.minutes_correct(actor=request.auth, minutes=minutes, reason=payload.reason))


@router.get("/{int:minutes_id}/signoffs", response={200: list[SignOffOut], **ERRORS})
def minutes_signoffs(request, minutes_id: int):
    """Who has and who has not signed off."""
    minutes = _minutes(request, minutes_id)
    zone = organisation_tz(minutes.meeting.organisation)
    return [signoff_out(s, zone) for s in selectors.signoffs_of(minutes)]


@router.post("/{int:minutes_id}/signoff", response={200: SignOffOut, **ERRORS})
def minutes_sign_off(request, minutes_id: int, payload: CommentIn):
    """The signed-in department head signs off for their department."""
    minutes = _minutes(request, minutes_id)
    signoff = selectors.pending_signoff_for(request.auth, minutes)
    if signoff is None:
        raise PermissionDenied(_("There is nothing for you to sign off here."))
    signoff = services.minutes_sign_off(actor=request.auth, signoff=signoff, comment=payload.comment)
    return _signoff_answer(signoff)


@router.post("/signoffs/by-token", auth=None,
             response={200: SignOffOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def minutes_sign_off_by_token(request, payload: TokenSignOffIn):
    """Sign off with the token from the distribution mail (no sign-in needed)."""
    signoff = selectors.signoff_for_token(payload.token)
    signoff = services.minutes_sign_off(signoff=signoff, token=payload.token, comment=payload.comment)
    return _signoff_answer(signoff)


def _signoff_answer(signoff):
    signoff = selectors.signoff_for_token(signoff.token)
    return signoff_out(signoff, organisation_tz(signoff.minutes.meeting.organisation))


@router.get("/{int:minutes_id}/diff", response={200: DiffOut, **ERRORS})
def minutes_diff(request, minutes_id: int, against: int | None = Query(None)):
    """Section-by-section differences from an older version (default: the one this corrects, or the one before)."""
    minutes = _minutes(request, minutes_id)
    others = Minutes.objects.filter(meeting_id=minutes.meeting_id).exclude(pk=minutes.pk)
    if against is not None:
        other = others.filter(pk=against).first()
    else:
        other = minutes.previous or others.filter(number__lt=minutes.number).order_by("-number").first()
    if other is None:
        raise Http404
    old, new = (other, minutes) if other.number < minutes.number else (minutes, other)
    rows = sections_diff(old.content, new.content, SECTIONS)
    return {
        "from_id": old.pk, "from_number": old.number, "to_id": new.pk, "to_number": new.number,
        "sections": [{"key": r.key, "label": r.label, "changed": r.changed,
                      "segments": [{"kind": s.kind, "text": s.text} for s in r.segments]} for r in rows],
    }


def _language(request):
    return request.auth.language or None  # token callers skip the language middleware


@router.get("/{int:minutes_id}/export.docx", response={404: ErrorOut}, url_name="minutes_docx")
def minutes_docx(request, minutes_id: int):
    """The minutes as a Word document laid out like the template."""
    minutes = _minutes(request, minutes_id)
    with translation.override(_language(request)):
        response = HttpResponse(minutes_docx_bytes(minutes), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, docx_filename(minutes))
    return response


@router.get("/{int:minutes_id}/export.md", response={404: ErrorOut}, url_name="minutes_markdown")
def minutes_markdown_export(request, minutes_id: int):
    """The minutes as Markdown."""
    minutes = _minutes(request, minutes_id)
    with translation.override(_language(request)):
        response = HttpResponse(minutes_markdown(minutes), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, markdown_filename(minutes))
    return response
