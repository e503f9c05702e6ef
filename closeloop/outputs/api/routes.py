"""API for the scenario outputs under the minutes: the output as JSON, .docx and .xlsx, an item's scenario
columns, and a department's confirmation of its allocation line.

`kind` must be the output of the meeting's type (work-plan, rectification, resource-allocation,
next-phase-plan); anything else, like minutes of a meeting the caller may not see, answers 404.
"""

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from ninja import Router

from closeloop.lib.office import DOCX_CONTENT_TYPE
from closeloop.org.api.schemas import ErrorOut
from closeloop.outputs import services
from closeloop.outputs.api.schemas import ColumnsIn, ColumnsOut, OutputOut, columns_out, output_out
from closeloop.outputs.choices import OutputKind
from closeloop.outputs.exports import XLSX_CONTENT_TYPE, filename, output_docx_bytes, output_xlsx_bytes
from closeloop.outputs.selectors import columns_of, item_for_output, minutes_output_for_user, output_of

router = Router(tags=["outputs"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
FILES = {"docx": (output_docx_bytes, DOCX_CONTENT_TYPE), "xlsx": (output_xlsx_bytes, XLSX_CONTENT_TYPE)}


def _language(request):
    return request.auth.language or None  # token callers skip the language middleware


def _view(request, minutes_id, kind):
    minutes, kind = minutes_output_for_user(request.auth, minutes_id, kind)
    return output_of(minutes.meeting, kind, minutes)


def _file(request, minutes_id, kind, extension):
    with translation.override(_language(request)):
        view = _view(request, minutes_id, kind)
        build, content_type = FILES[extension]
        response = HttpResponse(build(view), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename(view, extension))
    return response


def _binary(content_type):
    return {"responses": {200: {"description": "The file.", "content": {
        content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/{int:minutes_id}/outputs/{kind}.docx", response={200: None, 404: ErrorOut}, url_name="output_docx",
            openapi_extra=_binary(DOCX_CONTENT_TYPE))
def output_docx(request, minutes_id: int, kind: str):
    """The output as a Word document (A4), its rows the meeting's action items as they stand now."""
    return _file(request, minutes_id, kind, "docx")


@router.get("/{int:minutes_id}/outputs/{kind}.xlsx", response={200: None, 404: ErrorOut}, url_name="output_xlsx",
            openapi_extra=_binary(XLSX_CONTENT_TYPE))
def output_xlsx(request, minutes_id: int, kind: str):
    """The output as a workbook: one printable sheet per section."""
    return _file(request, minutes_id, kind, "xlsx")


@router.get("/{int:minutes_id}/outputs/{kind}", response={200: OutputOut, 404: ErrorOut})
def output_detail(request, minutes_id: int, kind: str):
    """The output's sections, columns (labels in the caller's language) and rows, live."""
    if kind not in OutputKind.values:
        raise Http404
    with translation.override(_language(request)):
        return output_out(_view(request, minutes_id, kind))


def _item(request, minutes_id, kind, item_id):
    minutes, _kind = minutes_output_for_user(request.auth, minutes_id, kind)
    return item_for_output(minutes.meeting, item_id)


@router.put("/{int:minutes_id}/outputs/{kind}/items/{int:item_id}", response={200: ColumnsOut, **ERRORS})
def columns_save(request, minutes_id: int, kind: str, item_id: int, payload: ColumnsIn):
    """Set an item's scenario columns (host, recorder or administrator); fields left out keep their value.
    A stale `version` answers 409; a column this output does not have, or a bad value, 422."""
    item = _item(request, minutes_id, kind, item_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return columns_out(services.item_columns_save(actor=request.auth, item=item, data=data, version=version))


@router.get("/{int:minutes_id}/outputs/{kind}/items/{int:item_id}", response={200: ColumnsOut, 404: ErrorOut})
def columns_detail(request, minutes_id: int, kind: str, item_id: int):
    item = _item(request, minutes_id, kind, item_id)
    return columns_out(columns_of(item))


@router.post("/{int:minutes_id}/outputs/{kind}/items/{int:item_id}/confirm",
             response={200: ColumnsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def allocation_confirm(request, minutes_id: int, kind: str, item_id: int):
    """The receiving department's head confirms this line of the resource allocation (403 for anyone else;
    422 when already confirmed or the line has no receiving department)."""
    item = _item(request, minutes_id, kind, item_id)
    return columns_out(services.allocation_confirm(actor=request.auth, item=item))
