"""The agenda (议程表) as plain rows, shared by the printable page and the .docx file.

Texts come out in the active language: the page runs in the viewer's language already, the
.docx is built under `translation.override(viewer.language)`.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from closeloop.lib.office import (
    add_field_table,
    add_heading,
    add_paragraph,
    add_table,
    add_title_block,
    file_name,
    new_document,
)
from closeloop.meetings.agenda import org_zone
from closeloop.meetings.choices import ParticipantRole, TopicKind
from closeloop.meetings.selectors import meeting_detail
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

DASH = "—"


@dataclass
class AgendaSheet:
    title: str
    heading: str
    info: list = field(default_factory=list)  # [(label, value)]
    topic_headers: list = field(default_factory=list)
    topics: list = field(default_factory=list)  # [[cells]]
    participant_headers: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    materials: list = field(default_factory=list)  # [text]
    preread_note: str = ""
    totals: str = ""
    subtitle: str = ""  # the line under the title: meeting type and day
    filename: str = ""


def _viewer_zone(viewer, meeting):
    if getattr(viewer, "time_zone", ""):
        try:
            return zoneinfo.ZoneInfo(viewer.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return org_zone(meeting.organisation)


def _join(items):
    return pgettext("list separator", ", ").join(str(i) for i in items if i) or DASH


def _when(meeting, zone):
    start, end = timezone.localtime(meeting.start, zone), timezone.localtime(meeting.end, zone)
    day = f"{start:%Y-%m-%d} {date_format(start, 'l')}"
    if start.date() == end.date():
        return f"{day} {start:%H:%M}–{end:%H:%M} ({zone.key})"
    return f"{day} {start:%H:%M} – {end:%Y-%m-%d %H:%M} ({zone.key})"


def _info(meeting, participants, zone):
    def with_role(role):
        return _join(p.person for p in participants if p.has_role(role))

    place = meeting.place or DASH
    rows = [
        (_("Meeting type"), meeting.get_type_display()),
        (_("Time"), _when(meeting, zone)),
        (_("Place"), place),
        (_("Online link"), meeting.online_link or DASH),
        (_("Host"), with_role(ParticipantRole.HOST)),
        (_("Recorder"), with_role(ParticipantRole.RECORDER)),
        (_("Objective"), meeting.objective or DASH),
        (_("Scope"), meeting.scope or DASH),
    ]
    if meeting.project_id:
        rows.insert(1, (_("Project"), str(meeting.project)))
    if meeting.urgent:
        rows.append((_("Priority"), _("Urgent")))
    return rows


def _topic_rows(meeting, topics, materials, zone):
    by_topic = {}
    for m in materials:
        if m.topic_id:
            by_topic.setdefault(m.topic_id, []).append(m.name)
    rows = []
    clock = timezone.localtime(meeting.start, zone)
    for n, t in enumerate(topics, start=1):
        until = clock + dt.timedelta(minutes=t.minutes)
        slot = _("%(start)s–%(end)s (%(minutes)s min)") % {
            "start": f"{clock:%H:%M}", "end": f"{until:%H:%M}", "minutes": t.minutes}
        if t.presentation_minutes:
            slot += " " + _("incl. %(minutes)s min presentation") % {"minutes": t.presentation_minutes}
        kind = TopicKind(t.kind).label + (" · " + _("Urgent") if t.urgent else "")
        mats = _join([t.materials_note.strip(), *by_topic.get(t.pk, [])])
        rows.append([n, t.title, str(t.presenter) if t.presenter_id else DASH, slot, kind,
                     t.required_outcome or DASH, mats])
        clock = until
    return rows


def _participant_rows(participants):
    rows = []
    for p in participants:
        person = p.person
        dept = person.department.name if person.department_id else DASH
        rows.append([str(person), dept, person.title or DASH, _join(p.role_labels()),
                     _("Required") if p.required else _("Optional")])
    return rows


def _material_lines(materials):
    lines = []
    for m in materials:
        text = m.name
        if m.pages:
            text += " " + _("(%(pages)s pages)") % {"pages": m.pages}
        if m.topic_id:
            text += " · " + _("for “%(topic)s”") % {"topic": m.topic.title}
        lines.append(text)
    return lines


def _preread_note(meeting, materials, topics):
    """When pre-read material goes out: N working days before the meeting, counted on the org's calendar."""
    if not materials and not any(t.materials_note.strip() for t in topics):
        return ""
    organisation = meeting.organisation
    lead = policy_for(organisation).preread_lead_workdays
    meeting_day = timezone.localtime(meeting.start, org_zone(organisation)).date()
    due = calendar_for(organisation).add_working_days(meeting_day, -lead)
    note = _("Materials are sent by %(date)s, %(lead)s working days before the meeting; "
             "please read them before the meeting and bring your feedback.") % {
        "date": f"{due.date:%Y-%m-%d} {date_format(due.date, 'l')}", "lead": lead}
    if due.assumed:
        note += " " + _("(Date counted as Monday to Friday: the working calendar does not know that year yet.)")
    return note


def agenda_sheet(meeting, *, viewer):
    """The agenda's content in the active language, in the viewer's time zone."""
    meeting = meeting_detail(meeting)
    topics = list(meeting.topics.all())
    participants = list(meeting.participants.all())
    materials = list(meeting.materials.all())
    zone = _viewer_zone(viewer, meeting)
    total = sum(t.minutes for t in topics)
    start = timezone.localtime(meeting.start, zone)
    return AgendaSheet(
        title=meeting.title,
        heading=_("Agenda: %(title)s") % {"title": meeting.title},
        info=_info(meeting, participants, zone),
        subtitle=f"{meeting.get_type_display()} · {start:%Y-%m-%d} {date_format(start, 'l')}",
        topic_headers=[_("No."), _("Topic"), _("Presenter"), _("Time"), _("Kind"), _("Required outcome"),
                       _("Materials")],
        topics=_topic_rows(meeting, topics, materials, zone),
        participant_headers=[_("Name"), _("Department"), _("Title"), _("Roles"), _("Attendance")],
        participants=_participant_rows(participants),
        materials=_material_lines(materials),
        preread_note=_preread_note(meeting, materials, topics),
        totals=_("Topics take %(total)s of %(length)s min; %(buffer)s min are left as buffer.") % {
            "total": total, "length": meeting.duration_minutes, "buffer": meeting.duration_minutes - total},
        filename=file_name(f"{_('Agenda')}-{meeting.title.replace('/', '-')}-{start:%Y%m%d}.docx"),
    )


def agenda_document(meeting, *, viewer):
    """The agenda as a Word document in the viewer's language. Returns (document, filename)."""
    with translation.override(viewer.language or None):
        sheet = agenda_sheet(meeting, viewer=viewer)
        lang = "zh-CN" if (viewer.language or "").startswith("zh") else "en-US"
        mark = pgettext("document mark", "Confidential") if meeting.confidential else ""
        document = new_document(title=sheet.heading, author=str(viewer), language=lang, header_mark=mark)
        add_title_block(document, sheet.heading, [sheet.subtitle])
        add_heading(document, _("Meeting information"), level=1)
        add_field_table(document, sheet.info)
        add_heading(document, _("Topics"), level=1)
        add_table(document, sheet.topic_headers, sheet.topics)
        add_paragraph(document, sheet.totals)
        add_heading(document, _("Participants"), level=1)
        add_table(document, sheet.participant_headers, sheet.participants)
        add_heading(document, _("Pre-read materials"), level=1)
        if sheet.preread_note:
            add_paragraph(document, sheet.preread_note)
        for line in sheet.materials:
            add_paragraph(document, line, style="List Bullet")
        if not sheet.materials and not sheet.preread_note:
            add_paragraph(document, _("No pre-read materials."))
    return document, sheet.filename
