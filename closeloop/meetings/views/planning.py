"""Pages for planning a meeting: the list, create/edit and the detail page with its htmx sections."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Sum, Value, When
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.history import fields_changed_since
from closeloop.lib.errors import Conflict
from closeloop.lib.forms import add_service_errors, error_summary
from closeloop.meetings.choices import MeetingState, ParticipantRole
from closeloop.meetings.forms import (
    MaterialForm,
    MeetingCreateForm,
    MeetingFilterForm,
    MeetingForm,
    ParticipantForm,
    TopicForm,
    org_people,
)
from closeloop.meetings.models import Meeting, Participant
from closeloop.meetings.pages import home_panel
from closeloop.meetings.selectors import (
    filter_held_between,
    meeting_detail,
    meeting_for_user,
    meetings_visible_to,
    person_can_edit,
)
from closeloop.meetings.services import planning as services
from closeloop.org.selectors import policy_for

PER_PAGE = 30
# Several forms share the detail page; distinct id prefixes keep every <label for> pointing at its own input.
ADD_TOPIC, EDIT_TOPIC = "add_topic_%s", "edit_topic_%s"
ADD_PARTICIPANT, EDIT_PARTICIPANT = "add_participant_%s", "edit_participant_%s"
MATERIAL = "material_%s"
RESPOND_FORM = "meetings/partials/respond_form.html"


def _agenda_check(meeting):
    # The agenda check lives in its own module; the page works (without the panel) if it is absent.
    try:
        from closeloop.meetings.agenda import agenda_check_for
    except ImportError:
        return None
    return agenda_check_for(meeting)


def _template_exists(name):
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _order_upcoming_first(qs):
    now = timezone.now()
    qs = qs.annotate(is_past=Case(When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()))
    upcoming_start = Case(When(end__gte=now, then=F("start")))
    return qs.order_by("is_past", upcoming_start.asc(nulls_last=True), F("start").desc(), "pk")


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
        qs = filter_held_between(qs, data["start_from"], data["start_to"], user.organisation)
        if data["host_department"]:
            qs = qs.filter(Exists(Participant.objects.filter(
                meeting=OuterRef("pk"), roles__startswith=ParticipantRole.HOST,
                person__department=data["host_department"])))
    qs = (
        _order_upcoming_first(qs)
        .select_related("project")
        .annotate(topic_count=Count("topics"), topic_minutes=Sum("topics__minutes"))
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.filter(person=user),
                                   to_attr="my_participation"))
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
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
    if form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=user, data=form.meeting_data(), host=form.cleaned_data["host"],
                recorder=form.cleaned_data.get("recorder"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, model=Meeting)
        else:
            messages.success(request, _("Meeting created. Now add its topics and participants."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _render_form(request, form, None)


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
    conflict = None
    if form.is_valid():
        loaded = form.cleaned_data.get("version")
        try:
            services.meeting_update(actor=user, meeting=meeting, data=form.meeting_data(), version=loaded)
        except Conflict as exc:
            meeting.refresh_from_db()
            conflict = {"message": exc.message, "changes": _changes_by_others(meeting, loaded or 0),
                        "current": meeting}
            # Keep everything typed; the new version lets the person save deliberately after comparing.
            data = request.POST.copy()
            data["version"] = meeting.version
            form = MeetingForm(data, **kwargs)
            form.is_valid()
        except ValidationError as exc:
            add_service_errors(form, exc, model=Meeting)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _render_form(request, form, meeting, conflict=conflict, status=409 if conflict else 200)


def _render_form(request, form, meeting, conflict=None, status=200):
    return render(request, "meetings/meeting_form.html", {
        "form": form, "meeting": meeting, "conflict": conflict, "errors": error_summary(form),
        "time_zone": timezone.get_current_timezone_name(),
    }, status=status)


def detail_context(request, meeting, **extra):
    """Everything the detail page and each of its sections need (a fixed number of queries)."""
    user = request.user
    meeting = meeting_detail(meeting)
    topics = list(meeting.topics.all())
    participants = list(meeting.participants.all())
    materials = list(meeting.materials.all())
    me = next((p for p in participants if p.person_id == user.pk), None)
    open_meeting = meeting.state != MeetingState.CANCELLED
    can_edit = open_meeting and person_can_edit(user, meeting)
    my_topics = [t for t in topics if t.presenter_id == user.pk]
    can_upload = open_meeting and (can_edit or bool(my_topics))
    ctx = {
        "meeting": meeting, "topics": topics, "participants": participants, "materials": materials,
        "can_edit": can_edit, "can_upload": can_upload, "participant": me,
        "total_minutes": sum(t.minutes for t in topics),
        "respond_form_ready": me is not None and _template_exists(RESPOND_FORM),
        "check": _agenda_check(meeting),
        "host_roles": (ParticipantRole.HOST, ParticipantRole.RECORDER),
        "editing_topic": None, "editing_participant": None,
    }
    if can_edit:
        people = org_people(meeting.organisation_id)
        invited = {p.person_id for p in participants}
        ctx["topic_form"] = TopicForm(meeting=meeting, people=people, participant_ids=invited, auto_id=ADD_TOPIC)
        ctx["participant_form"] = ParticipantForm(meeting=meeting, people=people, auto_id=ADD_PARTICIPANT)
    if can_upload:
        own = None if can_edit else meeting.topics.filter(presenter=user)
        ctx["material_form"] = MaterialForm(meeting=meeting, topics=own, auto_id=MATERIAL)
        ctx["max_upload"] = settings.MATERIAL_MAX_BYTES
        ctx["extensions"] = " ".join(settings.MATERIAL_EXTENSIONS)
        ctx["preread_max_pages"] = policy_for(meeting.organisation).preread_max_pages
    ctx.update(extra)
    return ctx


@login_required
def meeting_detail_page(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return render(request, "meetings/meeting_detail.html", detail_context(request, meeting))
