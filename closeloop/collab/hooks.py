"""Panels a higher app adds to the request page (retro: completion, progress sync, the retrospective)."""

from closeloop.lib.hooks import Hook

# request_panel(http_request, request) -> HTML (safe) or "" for none.
request_panel = Hook("request_panel", default=lambda http_request, found: "")
