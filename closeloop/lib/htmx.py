"""The one place that decides between an htmx partial and the full page."""

import json

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


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
