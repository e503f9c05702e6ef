"""The review section of a series meeting: the series' open items, each updated in place (progress, status,
delay with reason and new date) through the item services, and the button that (re)generates the
meeting's first topic "review open action items".

The section shows on the meeting's action-item list and, loaded by htmx, on the meeting page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from closeloop.actions.forms import ProgressForm, ReviewStatusForm
from closeloop.actions.models import ActionItem
from closeloop.actions.pages import list_context, review_context
from closeloop.actions.selectors.items import items_visible_to, open_items_for_review
from closeloop.actions.selectors.lists import scope_for
from closeloop.actions.services import items as services
from closeloop.actions.services.review import series_review_topic_ensure
from closeloop.lib.htmx import is_partial, saved_through
from closeloop.meetings.selectors import meeting_for_user

SECTION = "actions/partials/review.html"


def _section(request, meeting, bound=None, notice=""):
    if is_partial(request):
        return render(request, SECTION, {**review_context(request, meeting, bound), "notice": notice})
    if bound is not None:
        context = list_context(request, scope_for(request.user, "meeting", meeting.pk))
        context["review"] = review_context(request, meeting, bound)
        return render(request, "actions/list.html", context)
    return redirect(reverse("actions:meeting", args=[meeting.pk]) + "#series-review")


@login_required
@require_GET
def review(request, pk):
    meeting = meeting_for_user(request.user, pk)
    if meeting.series_id is None:
        return render(request, SECTION, {"meeting": meeting, "no_series": True})
    return _section(request, meeting)


@login_required
@require_POST
def generate(request, pk):
    meeting = meeting_for_user(request.user, pk)
    try:
        topic = series_review_topic_ensure(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        notice, level = " ".join(exc.messages), messages.ERROR
    else:
        notice = _("The first topic “%(title)s” now lists the open items.") % {"title": topic.title}
        level = messages.SUCCESS
    if is_partial(request):
        return _section(request, meeting, notice=notice)
    messages.add_message(request, level, notice)
    # Back to the page the button was on (the meeting, or its action items), if it is one of ours.
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("actions:meeting", args=[meeting.pk])
    return redirect(back.split("#")[0] + "#series-review")


@login_required
@require_POST
def update(request, pk, item_pk):
    """Record the progress or new status of one reviewed item; it changes the item itself."""
    meeting = meeting_for_user(request.user, pk)
    item = get_object_or_404(open_items_for_review(meeting).filter(pk__in=items_visible_to(request.user)
                                                                   .values("pk")), pk=item_pk)
    if request.POST.get("what") == "progress":
        name, form = "progress_form", ProgressForm(request.POST, prefix=f"p{item.pk}")

        def call(d):
            return services.action_item_progress(actor=request.user, item=item, percent=d["percent"], note=d["note"])
    else:
        name, form = "status_form", ReviewStatusForm(request.POST, item=item, prefix=f"s{item.pk}")

        def call(d):
            return services.action_item_set_status(actor=request.user, item=item, status=d["status"],
                                                   reason=d["reason"], new_due=d["new_due"], note=d["note"])
    return saved_through(request, form, call, model=ActionItem, ok=lambda _result: _section(request, meeting),
                         error=lambda form: _section(request, meeting, bound=(item.pk, name, form)))
