"""Pages: one's inbox (read, mark read, mark all read) and one's notification preferences.

Every change is a POST calling a service; an item of someone else's inbox is not found (404).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.forms import error_summary
from closeloop.lib.htmx import is_partial, redirect_with_success, saved_through
from closeloop.notify import services
from closeloop.notify.forms import PreferencesForm, channel_field_name
from closeloop.notify.models import Kind
from closeloop.notify.preferences import chosen_channels, person_zone, preference_of
from closeloop.notify.selectors import inbox_for, inbox_item_for, undelivered_for, unread_count

PER_PAGE = 30


@login_required
@require_GET
def inbox(request):
    """One's inbox, newest first; `?show=unread` keeps the unread ones."""
    show_unread = request.GET.get("show") == "unread"
    items = inbox_for(request.user)
    if show_unread:
        items = items.filter(read_at__isnull=True)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {
        "page": page, "show_unread": show_unread, "unread": unread_count(request.user),
        "query": "show=unread" if show_unread else "",
    })


def _safe_link(request, link):
    """Follow an item's link only into this site (SITE_URL or a path), never elsewhere."""
    if link.startswith(settings.SITE_URL + "/"):
        link = link[len(settings.SITE_URL):]
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return None


@login_required
@require_POST
def inbox_open(request, pk):
    """Mark the item read and go to what it is about."""
    item = inbox_item_for(request.user, pk)
    services.inbox_mark_read(actor=request.user, item=item)
    return redirect(_safe_link(request, item.link) or "notify:inbox")


@login_required
@require_POST
def inbox_read(request, pk):
    item = inbox_item_for(request.user, pk)
    services.inbox_mark_read(actor=request.user, item=item)
    if is_partial(request):
        response = render(request, "notify/partials/inbox_item.html", {"item": item})
        response["HX-Trigger"] = "inbox-changed"
        return response
    return redirect("notify:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    count = services.inbox_mark_all_read(actor=request.user)
    messages.success(request, ngettext("%(n)d message marked read.", "%(n)d messages marked read.", count)
                     % {"n": count})
    return redirect("notify:inbox")


def _preferences_initial(person):
    initial = {channel_field_name(kind): chosen_channels(person, kind) for kind in Kind.values}
    preference = preference_of(person)
    if preference is not None:
        initial.update(quiet_start=preference.quiet_start, quiet_end=preference.quiet_end)
    return initial


@login_required
def preferences(request):
    """Which channels carry which kind of message to me, and my quiet hours."""
    person = request.user
    if request.method != "POST":
        return _preferences_page(request, PreferencesForm(initial=_preferences_initial(person)))
    form = PreferencesForm(request.POST)

    def write(data):
        try:
            services.preferences_update(actor=person, person=person, channels=form.channels(),
                                        quiet_start=data["quiet_start"], quiet_end=data["quiet_end"])
        except ValidationError as exc:  # its keys ('channels.reminder') named as this form's fields
            raise ValidationError({form.field_for_error(key): errors
                                   for key, errors in exc.message_dict.items()}) from exc

    return saved_through(request, form, write, error=lambda form: _preferences_page(request, form), ok=lambda _r: (
        redirect_with_success(request, "notify:preferences", _("Notification preferences saved."))))


def _preferences_page(request, form):
    person = request.user
    return render(request, "notify/preferences.html", {
        "form": form, "errors": error_summary(form), "zone": person_zone(person),
        "undelivered": undelivered_for(person)[:20],
    })
