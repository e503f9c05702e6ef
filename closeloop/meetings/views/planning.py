"""Pages for planning a meeting: the list, create/edit and the detail page with its htmx sections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.history import fields_changed_since
from closeloop.lib.forms import error_summary, retyped
from closeloop.lib.htmx import redirect_with_success, saved_through
from closeloop.meetings.agenda import org_zone
from closeloop.meetings.choices import ParticipantRole
from closeloop.meetings.forms import (
    MeetingCreateForm,
    MeetingFilterForm,
    MeetingForm,
    org_people,
)
from closeloop.meetings.models import Meeting, Participant
from closeloop.meetings.pages import detail_context, home_panel
from closeloop.meetings.selectors import (
    UpcomingFirst,
    filter_held_between,
    meeting_for_user,
    meetings_matching,
    meetings_visible_to,
    meetings_where_role,
    person_can_edit,
    topic_count,
    topic_minutes,
)
from closeloop.meetings.services import planning as services
from closeloop.workcal.selectors import calendar_for

PER_PAGE = 30


@login_required
def meeting_list(request):
    """Meetings I may see, upcoming first (soonest on top), then past ones (latest on top)."""
    user = request.user
    form = MeetingFilterForm(request.GET or None, organisation_id=user.organisation_id)
    qs = meetings_visible_to(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            qs = qs.filter(state=data["state"])
        if data["type"]:
            qs = qs.filter(type=data["type"])
        if data["project"]:
            qs = qs.filter(project=data["project"])
        if data["mine"]:
            qs = qs.filter(Exists(Participant.objects.filter(meeting=OuterRef("pk"), person=user)))
        if data["my_role"]:
            qs = meetings_where_role(qs, user, data["my_role"])
        qs = meetings_matching(qs, data["q"])
        qs = filter_held_between(qs, data["start_from"], data["start_to"], user.organisation)
        if data["host_department"]:
            qs = qs.filter(Exists(Participant.objects.filter(
                meeting=OuterRef("pk"), roles__startswith=ParticipantRole.HOST,
                person__department=data["host_department"])))
    qs = (
        qs.select_related("project")
        .annotate(topic_count=topic_count(), topic_minutes=topic_minutes())
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.filter(person=user),
                                   to_attr="my_participation"))
    )
    page = Paginator(UpcomingFirst(qs, timezone.now()), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "meetings/meeting_list.html", {
        "filter_form": form, "page": page, "meetings": page.object_list, "query": query.urlencode(),
        "home_panel": home_panel(request) if not query else "",
    })


@login_required
def meeting_create(request):
    user = request.user
    if not user.organisation_id:
        raise PermissionDenied(_("Your account belongs to no organisation."))
    people = org_people(user.organisation_id)
    kwargs = {"organisation_id": user.organisation_id, "people": people}
    if request.method != "POST":
        form = MeetingCreateForm(initial={"host": user.pk, "type": "decision"}, **kwargs)
        return _render_form(request, form, None)
    form = MeetingCreateForm(request.POST, **kwargs)

    def created(meeting):
        response = redirect_with_success(request, reverse("meetings:detail", args=[meeting.pk]),
                                         _("Meeting created. Now add its topics and participants."))
        _warn_unknown_year(request, meeting)
        return response

    return saved_through(request, form, lambda data: services.meeting_create(
        actor=user, data=form.meeting_data(), host=data["host"], recorder=data.get("recorder")), model=Meeting,
        ok=created, error=lambda form: _render_form(request, form, None))


def _warn_unknown_year(request, meeting):
    """Working days in a year the calendar does not know are estimates: say so where the date is chosen."""
    zone = org_zone(meeting.organisation)
    years = calendar_for(meeting.organisation).unknown_years(
        timezone.localtime(meeting.start, zone).date(), timezone.localtime(meeting.end, zone).date())
    if years:
        messages.warning(request, _("Working days in %(years)s are estimated as Monday to Friday: the working "
                                    "calendar does not know that year yet.") % {
                                        "years": ", ".join(str(y) for y in years)})


def _display(meeting, field):
    value = getattr(meeting, field)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field in ("start", "end"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if field == "type":
        return meeting.get_type_display()
    return str(value)


def _changes_by_others(meeting, since_version):
    """Fields saved by someone else after the version the editor loaded: who, when, and the value now."""
    changed = fields_changed_since(obj=meeting, action="meeting.update", version=since_version,
                                   fields=services.MEETING_FIELDS)
    return [
        {"field": field, "label": Meeting._meta.get_field(field).verbose_name, "who": changed[field].actor,
         "at": changed[field].at, "current": _display(meeting, field)}
        for field in services.MEETING_FIELDS if field in changed
    ]


@login_required
def meeting_edit(request, pk):
    user = request.user
    meeting = meeting_for_user(user, pk)
    if not person_can_edit(user, meeting):
        raise PermissionDenied(_("Only the host, the recorder and administrators can change this meeting."))
    kwargs = {"organisation_id": meeting.organisation_id}
    if request.method != "POST":
        initial = {f: getattr(meeting, f) for f in services.MEETING_FIELDS}
        initial["version"] = meeting.version
        return _render_form(request, MeetingForm(initial=initial, **kwargs), meeting)
    form = MeetingForm(request.POST, **kwargs)

    def stale(exc):
        loaded = form.cleaned_data.get("version")
        meeting.refresh_from_db()
        conflict = {"message": exc.message, "changes": _changes_by_others(meeting, loaded or 0), "current": meeting}
        return _render_form(request, retyped(request, MeetingForm, meeting.version, **kwargs), meeting,
                            conflict=conflict, status=409)

    def saved(_result):
        response = redirect_with_success(request, reverse("meetings:detail", args=[meeting.pk]), _("Meeting saved."))
        _warn_unknown_year(request, meeting)
        return response

    return saved_through(request, form, lambda data: services.meeting_update(
        actor=user, meeting=meeting, data=form.meeting_data(), version=data.get("version")), model=Meeting,
        ok=saved, conflict=stale, error=lambda form: _render_form(request, form, meeting))


def _render_form(request, form, meeting, conflict=None, status=200):
    return render(request, "meetings/meeting_form.html", {
        "form": form, "meeting": meeting, "conflict": conflict, "errors": error_summary(form),
        "time_zone": timezone.get_current_timezone_name(),
    }, status=status)


@login_required
def meeting_detail_page(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return render(request, "meetings/meeting_detail.html", detail_context(request, meeting))
