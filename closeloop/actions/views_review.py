"""The review section of a series meeting: the series' open items, each updated in place (progress, status,
delay with reason and new date) through the item services, and the button that (re)generates the
meeting's first topic "review open action items".

The section shows on the meeting's action-item list and, loaded by htmx, on the meeting page.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors
from closeloop.lib.htmx import is_partial
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.models import Participant
from closeloop.meetings.selectors import meeting_for_user, person_can_edit

from . import services
from .choices import ItemStatus
from .forms import DATE, ProgressForm
from .models import ActionItem, ReviewTopic
from .rules import TRANSITIONS
from .selectors import items_visible_to, open_items_for_review
from .services_review import series_review_topic_ensure

SECTION = "actions/partials/review.html"


class ReviewStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"))
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000,
                             help_text=gettext_lazy("Needed to delay or cancel."))
    new_due = forms.DateField(label=gettext_lazy("New due date"), required=False, widget=DATE,
                              help_text=gettext_lazy("Needed to delay."))
    note = forms.CharField(label=gettext_lazy("What was delivered / note"), required=False, max_length=2000)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in ItemStatus.choices
                                         if v in TRANSITIONS.get(item.status, ())]


def editable_ids(items, viewer):
    """Which of these items the viewer may update: owner, host or recorder of the item's meeting, admins."""
    if viewer.is_org_admin:
        return {i.pk for i in items}
    own_meetings = set(Participant.objects.filter(
        person=viewer, meeting_id__in={i.meeting_id for i in items},
        roles__regex=rf"(^|,)({ParticipantRole.HOST}|{ParticipantRole.RECORDER})(,|$)",
    ).values_list("meeting_id", flat=True)) if items else set()
    return {i.pk for i in items if i.owner_id == viewer.pk or i.meeting_id in own_meetings}


def review_context(request, meeting, bound=None):
    """Rows of the series' open items visible to the viewer, with forms where they may update;
    `bound` = (item id, form name, bound form) keeps a refused update's input and errors."""
    viewer = request.user
    items = list(open_items_for_review(meeting).filter(pk__in=items_visible_to(viewer).values("pk")))
    editable = editable_ids(items, viewer)
    rows = []
    for item in items:
        row = {"item": item, "editable": item.pk in editable}
        if row["editable"]:
            row["progress_form"] = ProgressForm(initial={"percent": item.progress}, prefix=f"p{item.pk}")
            row["status_form"] = ReviewStatusForm(item=item, prefix=f"s{item.pk}")
            if bound and bound[0] == item.pk:
                row[bound[1]] = bound[2]
        rows.append(row)
    link = ReviewTopic.objects.filter(meeting=meeting).select_related("topic").first()
    return {"meeting": meeting, "rows": rows, "review_topic": link.topic if link else None,
            "review_link": link, "can_generate": person_can_edit(viewer, meeting) and meeting.state != "cancelled"}


def _section(request, meeting, bound=None, notice=""):
    if is_partial(request):
        return render(request, SECTION, {**review_context(request, meeting, bound), "notice": notice})
    if bound is not None:
        from .views_lists import list_context, scope_for

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
    else:
        name, form = "status_form", ReviewStatusForm(request.POST, item=item, prefix=f"s{item.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            if name == "progress_form":
                services.action_item_progress(actor=request.user, item=item, percent=d["percent"], note=d["note"])
            else:
                services.action_item_set_status(actor=request.user, item=item, status=d["status"],
                                                reason=d["reason"], new_due=d["new_due"], note=d["note"])
        except (ValidationError, Conflict) as exc:
            if isinstance(exc, Conflict):
                form.add_error(None, exc.message)
            else:
                add_service_errors(form, exc, model=ActionItem)
        else:
            return _section(request, meeting)
    return _section(request, meeting, bound=(item.pk, name, form))
