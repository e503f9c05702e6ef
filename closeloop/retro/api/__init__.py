"""The retrospectives API (/retrospectives) and the progress sync of requests (/retrospectives/progress)."""

from closeloop.retro.api import progress, routes

ROUTERS = [("/retrospectives", routes.router), ("/retrospectives/progress", progress.router)]
