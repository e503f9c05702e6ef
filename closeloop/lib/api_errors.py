"""Every API error is JSON of one shape, whatever raised it, and every operation documents the errors it can give.

The shape is `{"detail": "…", "errors": {"field": ["…"]}}` (`errors` when a field is to blame,
`current_version` on a conflict). Three layers make sure of it:

- `install_error_handlers(api)`: the exceptions a request body can raise before any view runs
  (too large → 413, malformed multipart or too many fields → 400) and anything unexpected (logged, 500),
  so django-ninja never falls back to Django's HTML pages.
- `ApiJsonErrorsMiddleware`: whatever still answers an /api/ request with a non-JSON error (an unknown
  path, a method the path does not take, Django's own 400/500 pages) is replaced by the same JSON.
- `ErrorDocumentingAPI`: the served OpenAPI schema lists, for each operation, the error codes it can
  return — decided once from the operation's shape instead of repeated on every route.
"""

import json
import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import DataError, IntegrityError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed

from closeloop.lib.db_errors import database_error_fields

logger = logging.getLogger("django.request")
API_PREFIX = "/api/"
ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {
            "anyOf": [{"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                      {"type": "null"}],
            "title": "Errors by field",
        },
        "current_version": {"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "Current version"},
    },
    "required": ["detail"],
}
_HEADERS_KEPT = ("Allow", "Retry-After", "WWW-Authenticate")


def error_json(status, detail, errors=None, **headers):
    body = {"detail": str(detail)}
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name] = value
    return response


def _message_for(status, response=None):
    if status == 404:
        return _("Not found.")
    if status == 405:
        allowed = response.get("Allow", "") if response is not None else ""
        return _("This address does not take that method; it takes: %(allowed)s.") % {"allowed": allowed}
    if status == 413:
        return _("The request is too large.")
    if status >= 500:
        return _("Server error: it has been logged; please try again later.")
    if status == 403:
        return _("Not allowed.")
    return _("The request could not be read.")


class ApiJsonErrorsMiddleware:
    """Replace a non-JSON error answer to an /api/ request by the API's JSON error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code >= 400 and request.path_info.startswith(API_PREFIX)
                and not response.get("Content-Type", "").startswith("application/json")):
            kept = {name: response[name] for name in _HEADERS_KEPT if response.has_header(name)}
            return error_json(response.status_code, _message_for(response.status_code, response), **kept)
        return response


def install_error_handlers(api):
    """Errors of the request body, and anything unexpected, as JSON (the field is `body`)."""

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return error_json(413, _("The request is too large."), {"body": [str(exc) or _("The request is too large.")]})

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request, exc):
        return error_json(400, _("Invalid input."), {"body": [_("The multipart form data could not be read.")]})

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request, exc):
        return error_json(400, _("Invalid input."), {"body": [_("Too many form fields.")]})

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return error_json(400, _("The request could not be read."))

    @api.exception_handler(DataError)
    @api.exception_handler(IntegrityError)
    def refused_by_database(request, exc):  # a value the database cannot store, named by the field it came in
        return error_json(422, _("Invalid input."), database_error_fields(exc, request))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.error("Internal Server Error: %s", request.path, exc_info=exc,
                     extra={"status_code": 500, "request": request})
        return error_json(500, _message_for(500))


def _error_response(description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}}}


def _also_error(response):
    """An operation's own error body (the import's problems by row) may also be the shared one (a field that
    did not validate): document both."""
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for media in (response.get("content") or {}).values():
        schema = media.get("schema")
        if schema and schema != ref and ref not in schema.get("anyOf", []):
            media["schema"] = {"anyOf": [schema, ref]}


def error_codes(method, operation):
    """The error codes an operation can answer with, from its shape."""
    codes = {}
    has_input = bool(operation.get("parameters") or operation.get("requestBody"))
    if operation.get("security"):
        codes[401] = "No valid token or session."
        codes[403] = "The person's role does not allow this (or the CSRF token is missing)."
        codes[404] = "Not found, or not visible to this person."
    elif any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes[404] = "Not found."
    if has_input:
        codes[422] = "Invalid input; `errors` names the field."
    if operation.get("requestBody"):
        codes[400] = "The body could not be read (malformed JSON or multipart)."
        codes[413] = "The body is larger than the server accepts."
    if method in ("post", "put", "patch", "delete"):
        codes[409] = "The state or version changed meanwhile; nothing was saved."
    return codes


def document_errors(schema):
    """Add the shared error responses (and the Error schema) to every operation of an OpenAPI schema."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            # ninja keys responses by int, openapi_extra by whatever was written: one key per code, as text,
            # or the served JSON would hold the same code twice (Swagger UI's YAML parser refuses that).
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            for code, description in error_codes(method, operation).items():
                if str(code) not in responses:
                    responses[str(code)] = _error_response(description)
                else:
                    _also_error(responses[str(code)])
            operation["responses"] = responses
    return schema


class LocalSwagger(Swagger):
    """Swagger UI from this server's static files. ninja does so only when it is an installed app, which would
    load it in every process; the settings give its templates and static files to Django instead."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api,
                   "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)


class ErrorDocumentingAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema documents each operation's error responses (docs: `LocalSwagger`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("docs", LocalSwagger())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))


def _models_in(annotation, found):
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.append(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        found.remove(annotation)
        found.append(annotation)  # after the models it holds: rebuilt in this order
        return
    for arg in get_args(annotation):
        _models_in(arg, found)


def disambiguate_schema_names(api):
    """Two schemas of the same name in different apps (record's and meetings' TopicOut) would share one entry
    in the OpenAPI components, and one app's responses would be documented with the other's fields. Such
    schemas get their app's name in front (RecordTopicOut); every model is then rebuilt so its references follow.
    """
    found = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *(operation.response_models or {}).values()]:
                    _models_in(model, found)
    by_name = {}
    for model in found:
        by_name.setdefault(model.__name__, set()).add(model)
    renamed = False
    for name, models in by_name.items():
        if len(models) < 2:
            continue
        for model in models:
            parts = model.__module__.split(".")
            app = parts[1] if len(parts) > 2 and parts[0] == "closeloop" else parts[0]
            model.__name__ = model.__qualname__ = app.capitalize() + name
            renamed = True
    if renamed:
        for model in found:
            model.model_rebuild(force=True)
    return api
