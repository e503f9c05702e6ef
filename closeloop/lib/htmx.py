"""The one place that answers htmx: a partial or the full page, and the answer of every form that writes.

A write view reads like this (closeloop/meetings/views/sections.py)::

    form = TopicForm(request.POST, ...)
    return saved_through(
        request, form, lambda data: services.topic_add(actor=request.user, meeting=meeting, data=data),
        model=Topic, redirect_to=detail_url, ok=lambda topic: section("topics"),
        error=lambda form: section("topics", topic_form=form))
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors


def is_partial(request):
    """True for an htmx request that swaps a fragment (not a boosted navigation or a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_partial_or_page(request, *, partial, page, context, status=200, trigger=None):
    """Render `partial` for htmx, else the whole `page`; `trigger` names client events (HX-Trigger)."""
    template = partial if is_partial(request) else page
    response = render(request, template, context, status=status)
    # One URL, two bodies: caches and the browser's history must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    if trigger and is_partial(request):
        events = [trigger] if isinstance(trigger, str) else list(trigger)
        response["HX-Trigger"] = json.dumps({name: True for name in events})
    return response


def redirect_with_success(request, url, message):
    """Post/redirect/get: `message` shows as a success on the page `url` (a URL or a URL's name)."""
    messages.success(request, message)
    return redirect(url)


def partial_or_redirect(request, url, partial):
    """After a write: htmx gets the fresh fragment `partial()`, a plain browser goes to `url` (post/redirect/get)."""
    return partial() if is_partial(request) else redirect(url)


def saved_through(request, form, call, *, error, ok=None, redirect_to=None, model=None, conflict=None):
    """Validate `form`, run the service `call(cleaned_data)`, and answer.

    - Saved: `ok(result)` answers. With `redirect_to` (a URL or its name) a plain browser is sent there instead and
      `ok` answers htmx only; without `ok`, everyone is sent there.
    - Refused by the form or by the service: `error(form)` answers. A service's ValidationError lands on
      the fields it names; a field the form lacks goes on top, prefixed with `model`'s verbose name for it.
    - A stale save (`Conflict`): `conflict(exc)` answers; without it the message goes on top of the form.
    """
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except Conflict as exc:
            if conflict is not None:
                return conflict(exc)
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc, model=model)
        else:
            if redirect_to is not None and (ok is None or not is_partial(request)):
                return redirect(redirect_to)
            return ok(result)
    return error(form)
