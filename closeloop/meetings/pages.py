"""What the meeting pages show: the detail page's context, for the view of the page and the views of its
sections (no view lives here, so views share it without importing each other); and the home page (the meeting
list) carries a panel that a higher app may provide (insight: the person's own figures and their department's).
Meetings never imports it."""

from django.conf import settings

from closeloop.lib.choosers import choices_script
from closeloop.lib.hooks import Hook
from closeloop.lib.paging import section_page
from closeloop.meetings.agenda_summary import agenda_summary_for
from closeloop.meetings.choices import MeetingState, ParticipantRole, Response
from closeloop.meetings.forms import MaterialForm, ParticipantForm, SubstituteRespondForm, TopicForm
from closeloop.meetings.selectors import participant_of, person_can_edit, stands_in_for
from closeloop.meetings.services.access import agenda_locked
from closeloop.org.selectors import people_choices, policy_for

# Several forms share the detail page; distinct id prefixes keep every <label for> pointing at its own input.
ADD_TOPIC, EDIT_TOPIC = "add_topic_%s", "edit_topic_%s"
ADD_PARTICIPANT, EDIT_PARTICIPANT = "add_participant_%s", "edit_participant_%s"
MATERIAL = "material_%s"

# home_panel(request) -> HTML (safe) or "" for none.
home_panel = Hook("home_panel", default=lambda request: "")
# meeting_panel(request, meeting) -> HTML (safe) or "" for the detail page's side (retro: its retrospective).
meeting_panel = Hook("meeting_panel", default=lambda request, meeting: "")


TOPICS_PER_PAGE, PARTICIPANTS_PER_PAGE = 25, 50


def _numbered(page):
    """The page's topics, each with its number in the agenda and whether it is the agenda's first or last."""
    total = page.paginator.count
    for n, topic in enumerate(page.object_list, start=page.start_index()):
        topic.number, topic.is_first, topic.is_last = n, n == 1, n == total
    return list(page.object_list)


def _standing_in(meeting, user, open_meeting):
    """[(participant, form)] for each person this user attends for (代参会): their own answer to the invitation."""
    rows = stands_in_for(user, meeting)
    return [(p, SubstituteRespondForm(prefix=f"sub{p.pk}", initial={
        "response": p.substitute_response if p.substitute_response != Response.PENDING else None,
        "reason": p.substitute_reason}) if open_meeting else None) for p in rows]


def _meeting_page(meeting):
    """The meeting with what every section names, and its materials (few); topics and participants are read
    a page at a time."""
    from django.db.models import Prefetch

    from closeloop.meetings.models import Material, Meeting

    return (Meeting.objects.select_related("project", "series", "organisation")
            .prefetch_related(Prefetch("materials", queryset=Material.objects.select_related("topic")))
            .get(pk=meeting.pk))


def detail_context(request, meeting, **extra):
    """Everything the detail page and each of its sections need, in a fixed number of queries whatever the
    meeting's size: topics and participants are shown a page at a time (`?topics=`, `?participants=`), the agenda
    check is counted in SQL (agenda_summary.py), and the viewer's own row is one indexed lookup."""
    user = request.user
    meeting = _meeting_page(meeting)
    topics_page = section_page(request, meeting.topics.select_related("presenter"), "topics", TOPICS_PER_PAGE)
    participants_page = section_page(
        request, meeting.participants.select_related("person__department", "substitute"), "participants",
        PARTICIPANTS_PER_PAGE)
    topics, participants = _numbered(topics_page), list(participants_page.object_list)
    materials = list(meeting.materials.all())
    me = participant_of(user, meeting)
    locked = agenda_locked(meeting)
    open_meeting = meeting.state != MeetingState.CANCELLED
    can_edit = open_meeting and person_can_edit(user, meeting)
    can_upload = open_meeting and (can_edit or meeting.topics.filter(presenter=user).exists())
    check = agenda_summary_for(meeting)
    ctx = {
        "meeting": meeting, "topics": topics, "participants": participants, "materials": materials,
        "can_edit": can_edit, "can_upload": can_upload, "participant": me,
        "topics_page": topics_page, "participants_page": participants_page,
        "total_minutes": check.topic_minutes,
        "respond_form_ready": me is not None,
        "standing_in": _standing_in(meeting, user, open_meeting),
        "check": check,
        "host_roles": (ParticipantRole.HOST, ParticipantRole.RECORDER),
        "editing_topic": None, "editing_participant": None, "agenda_locked": locked,
        "can_edit_agenda": can_edit and not locked,
        "side_panel": meeting_panel(request, meeting),
    }
    if can_edit:
        people = people_choices(meeting.organisation_id)
        ctx["topic_form"] = TopicForm(meeting=meeting, people=people, auto_id=ADD_TOPIC)
        ctx["participant_form"] = ParticipantForm(meeting=meeting, people=people, auto_id=ADD_PARTICIPANT)
    if can_edit or me is not None:
        # The choosers' "participants" group needs every participant's id: one column, not a row per person.
        ctx["shared_choices"] = choices_script(
            people=people if can_edit else people_choices(meeting.organisation_id),
            participant_ids=meeting.participants.values_list("person_id", flat=True))
    if can_upload:
        own = None if can_edit else meeting.topics.filter(presenter=user)
        ctx["material_form"] = form = MaterialForm(meeting=meeting, topics=own, auto_id=MATERIAL)
        if can_edit:
            # Any topic validates; the chooser offers the topics on this page of the agenda.
            field = form.fields["topic"]
            field.widget.choices = [("", field.empty_label)] + [(t.pk, str(t)) for t in topics]
        ctx["max_upload"] = settings.MATERIAL_MAX_BYTES
        ctx["extensions"] = " ".join(settings.MATERIAL_EXTENSIONS)
        ctx["preread_max_pages"] = policy_for(meeting.organisation).preread_max_pages
    ctx.update(extra)
    return ctx
