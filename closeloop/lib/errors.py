"""Errors that services raise and pages/API translate: both name the field."""

from django.core.exceptions import ValidationError  # noqa: F401  (re-exported for services)


class Conflict(Exception):
    """The object changed since the caller read it; their save is refused, nothing is lost."""

    def __init__(self, message, current_version=None):
        super().__init__(message)
        self.message = message
        self.current_version = current_version
