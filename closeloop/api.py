"""The REST API under /api/v1/: personal tokens or the browser session, errors that name the field."""

import datetime as dt
from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from closeloop.lib.api_errors import ErrorDocumentingAPI, disambiguate_schema_names, install_error_handlers
from closeloop.lib.api_inputs import bound_inputs
from closeloop.lib.api_messages import pydantic_message
from closeloop.lib.errors import Conflict
from closeloop.org.models import ApiToken

TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)


def _person_for_token(request, secret):
    if not secret:
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(digest=ApiToken.hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        # At most one write a minute per token: reading with a token must not cost a write each time.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    request.user = token.person
    if token.person.language:  # the session middleware could not know who this is; answer in their language
        translation.activate(token.person.language)
    return token.person


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return _person_for_token(request, token)


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request, key):
        return _person_for_token(request, key)


class SignedInSession(SessionAuth):
    """The browser session. Unsafe methods need the CSRF token, checked only when someone is signed in,
    so a request with a wrong or revoked API token answers 401, not a CSRF error."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = ErrorDocumentingAPI(
    title="Closeloop API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), HeaderToken(), SignedInSession()],
    docs_url="/docs",
)
install_error_handlers(api)


def _field_errors_from_ninja(exc):
    errors = {}
    for err in exc.errors:
        loc = list(err.get("loc", []))
        if len(loc) > 1 and loc[0] == "file":  # uploads come as ("file", <field>)
            loc = loc[1:]
        loc = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form")]
        field = ".".join(loc) or "__all__"
        errors.setdefault(field, []).append(pydantic_message(err))
    return errors


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    return api.create_response(
        request, {"detail": _("Invalid input."), "errors": _field_errors_from_ninja(exc)}, status=422
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        errors = {f: [str(m) for e in errs for m in e.messages] for f, errs in exc.error_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(request, {"detail": _("Invalid input."), "errors": errors}, status=422)


@api.exception_handler(Conflict)
def on_conflict(request, exc):
    return api.create_response(
        request, {"detail": exc.message, "current_version": exc.current_version}, status=409
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not allowed.")}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


# Each app's API package lists its routers with their prefixes; the order is the order of the URL patterns.
API_APPS = ("org", "workcal", "directory", "meetings", "actions", "followup", "minutes", "notify", "record", "archive",
            "insight", "collab", "search", "retro")
API_APPS += ("outputs",)  # the scenario outputs, under /minutes/{id}/outputs/


def _register_routers():
    for app in API_APPS:
        for prefix, router in import_module(f"closeloop.{app}.api").ROUTERS:
            api.add_router(prefix, router)


_register_routers()
bound_inputs(api)
disambiguate_schema_names(api)
