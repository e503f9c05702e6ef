"""Activate the signed-in person's language and time zone for each request."""

import zoneinfo

from django.utils import timezone, translation


class PersonPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
            tz = user.time_zone or (user.organisation.time_zone if user.organisation_id else "")
            if tz:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(tz))
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
