"""The requests API: requests with their answers and exports; the memos."""

from closeloop.collab.api import memos, routes

ROUTERS = [("/requests", routes.router), ("/memos", memos.router)]
