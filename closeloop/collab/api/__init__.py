"""The requests API: requests with their answers and exports; the memos; resource and budget requests."""

from closeloop.collab.api import memos, resources, routes

ROUTERS = [("/requests", routes.router), ("/memos", memos.router), ("/resource-requests", resources.router)]
