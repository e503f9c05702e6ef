"""The insight API: the page's figures as JSON."""

from closeloop.insight.api.routes import router

ROUTERS = [("/insight", router)]
