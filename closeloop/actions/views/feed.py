"""The personal calendar feed: the secret URL itself (no sign-in: calendar apps cannot), and the buttons on
"my items" that create, regenerate or revoke it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.feed import feed_calendar
from closeloop.actions.services.feed import feed_for_token, feed_items, feed_token_regenerate, feed_token_revoke


@require_GET
def feed(request, token):
    """The .ics of the token's owner; an unknown or revoked token is 404 like any missing page."""
    person = feed_for_token(token).person
    response = HttpResponse(feed_calendar(person, feed_items(person)), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def manage(request):
    if request.POST.get("what") == "revoke":
        feed_token_revoke(actor=request.user)
        messages.success(request, _("The calendar feed is revoked; its URL no longer works."))
    else:
        feed_token_regenerate(actor=request.user)
        messages.success(request, _("A new calendar feed URL is ready; the previous one no longer works."))
    return redirect("actions:mine")
