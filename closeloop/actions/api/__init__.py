"""The action-item API: items, their lists, imports and exports, and change requests."""

from closeloop.actions.api import changes, items, lists

ROUTERS = [("/actions", items.router), ("/actions", lists.router), ("/actions", changes.router)]
