"""Drafting the minutes from the meeting and its live record, in the seed 001 template's sections.

The drafted text is document content in the minutes' language, laid out the way the seed template
writes it ("市场部:张三、李四;销售部:王五", "1.…;2.…", "王五(销售部,出差)——由赵六代参会"). Those
patterns are document conventions per language, kept together in FORMATS rather than in the interface
translation catalogue, so a Chinese draft always reads like the template.

Works on an empty record (or none at all): then the participants' answers to the notice stand in
for the sign-in.
"""

from __future__ import annotations

from django.utils import timezone, translation

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.lib.apiutil import organisation_tz
from closeloop.meetings.choices import ParticipantRole, Response
from closeloop.minutes.choices import SECTION_KEYS
from closeloop.record.choices import Presence, ResolutionPath
from closeloop.record.models import MeetingRecord
from closeloop.record.selectors import escalations_of

ZH = {
    "list": "、", "group": "{dept}:{people}", "groups": ";", "other": "其他", "none": "无",
    "person": "{name}({detail})", "detail": "{dept} · {title}",
    "absent": "{name}({details})", "details": ",", "substitute": "——由{sub}代参会",
    "when": "{y}年{m}月{d}日{start}-{end}", "online": "线上会议", "places": "/", "link": "{label}({link})",
    "agenda": "{n}.{title}", "agendas": ";",
    "topic": "议题{n}:{title}", "note": "-{dept}:{text}", "note_plain": "-{text}",
    "dis": "-分歧:{subject}", "dis_parties": "涉及:{parties}", "dis_positions": "各方观点:{positions}",
    "escalate": "——上报{who}决定", "ruling": "——{who}裁决:{text}",
    "data": "——由{owner}于{due}前提供{data}", "resolved": "——会上已解决",
    "no_path": "——尚未确定处理方式", "by_due": "({due}前)", "consensus": "共识:{text}", "consensus_sep": ";",
    "no_consensus": "未形成共识:{reason}", "consensus_none": "共识:暂无",
    "decision": "{n}.{text}", "decided_by": "决策人:{who}", "no_objection": "无异议", "no_action": "无需行动",
    "extras": "({items})", "extra_sep": ";",
    "action": "{n}.{task}——{owner}——{due}——{deliverable}——{support}——{status}", "owner": "{name}({dept})",
    "unassigned": "未指定",
}
EN = {
    "list": ", ", "group": "{dept}: {people}", "groups": "; ", "other": "Other", "none": "None",
    "person": "{name} ({detail})", "detail": "{dept}, {title}",
    "absent": "{name} ({details})", "details": ", ", "substitute": " — {sub} attended instead",
    "when": "{y:04d}-{m:02d}-{d:02d} {start}–{end}", "online": "online meeting", "places": " / ",
    "link": "{label} ({link})",
    "agenda": "{n}. {title}", "agendas": "; ",
    "topic": "Topic {n}: {title}", "note": "- {dept}: {text}", "note_plain": "- {text}",
    "dis": "- Disagreement: {subject}", "dis_parties": "parties: {parties}", "dis_positions": "positions: {positions}",
    "escalate": " — escalated to {who}", "ruling": " — ruling by {who}: {text}",
    "data": " — {owner} brings {data} by {due}",
    "resolved": " — resolved in the meeting",
    "no_path": " — no resolution path yet", "by_due": " (by {due})", "consensus": "Consensus: {text}",
    "consensus_sep": "; ", "no_consensus": "No consensus: {reason}", "consensus_none": "Consensus: none yet",
    "decision": "{n}. {text}", "decided_by": "decided by {who}", "no_objection": "no objection",
    "no_action": "no action needed", "extras": " ({items})", "extra_sep": "; ",
    "action": "{n}. {task} — {owner} — {due} — {deliverable} — {support} — {status}", "owner": "{name} ({dept})",
    "unassigned": "unassigned",
}
FORMATS = {"zh-hans": ZH, "en": EN}


def format_for(language):
    language = (language or "zh-hans").lower()
    return FORMATS.get(language) or FORMATS.get(language.split("-")[0]) or ZH


class _Draft:
    """Holds the meeting, its record rows and the language format while the sections are written."""

    def __init__(self, meeting, language):
        self.meeting = meeting
        self.f = format_for(language)
        self.language = "en" if self.f is EN else "zh-hans"
        self.zone = organisation_tz(meeting.organisation)
        self.participants = list(meeting.participants.select_related("person__department", "substitute__department"))
        self.topics = list(meeting.topics.all())
        self.record = MeetingRecord.objects.filter(meeting=meeting).first()
        rec = self.record
        self.attendance = list(rec.attendance.select_related("person__department", "substitute__department")) \
            if rec else []
        self.notes = list(rec.notes.select_related("department")) if rec else []
        self.disagreements = list(rec.disagreements.select_related("escalate_to", "owner")) if rec else []
        self.rulings = {d.pk: d.ruling for d in escalations_of(meeting) if d.closed} if rec else {}
        self.decisions = list(rec.decisions.select_related("decided_by")) if rec else []
        self.topic_records = {t.topic_id: t for t in rec.topic_records.all()} if rec else {}

    def join(self, items, sep=None):
        return (self.f["list"] if sep is None else sep).join(str(i) for i in items if i)

    def status_label(self, status):
        with translation.override(self.language):
            return str(ItemStatus(status).label)

    def or_none(self, text):
        return text or self.f["none"]

    def dept_name(self, person):
        return person.department.name if person and person.department_id else self.f["other"]

    def person_with_detail(self, person):
        dept = person.department.name if person.department_id else ""
        if dept and person.title:
            detail = self.f["detail"].format(dept=dept, title=person.title)
        else:
            detail = dept or person.title
        return self.f["person"].format(name=person, detail=detail) if detail else str(person)

    def with_role(self, role):
        return self.or_none(self.join(
            self.person_with_detail(p.person) for p in self.participants if p.has_role(role)
        ))


def _sign_in(d):
    """[(person, presence, reason, substitute)] from the record's sign-in, else from the answers to the notice."""
    rows = {a.person_id: (a.person, a.presence, a.reason, a.substitute) for a in d.attendance}
    result = []
    for p in d.participants:
        if p.person_id in rows:  # signed in (a cc person only when the recorder signed them in)
            result.append(rows.pop(p.person_id))
        elif p.role_list == [ParticipantRole.CC]:
            continue  # cc people receive the minutes; they do not attend
        elif p.response == Response.DECLINED:
            result.append((p.person, Presence.ABSENT, p.response_reason, None))
        elif p.response == Response.SUBSTITUTE and p.substitute_id:
            result.append((p.person, Presence.SUBSTITUTE, p.response_reason, p.substitute))
        else:
            result.append((p.person, Presence.PRESENT, "", None))
    result.extend(rows.values())  # signed in without an invitation
    return result


def _attendees(d, sign_in):
    groups = {}
    for person, presence, _reason, substitute in sign_in:
        who = substitute if presence == Presence.SUBSTITUTE and substitute else person
        if presence == Presence.ABSENT:
            continue
        names = groups.setdefault(d.dept_name(who), [])
        if str(who) not in names:
            names.append(str(who))
    return d.or_none(d.f["groups"].join(
        d.f["group"].format(dept=dept, people=d.join(names)) for dept, names in groups.items()
    ))


def _absences(d, sign_in):
    lines = []
    for person, presence, reason, substitute in sign_in:
        if presence == Presence.PRESENT:
            continue
        details = d.join([d.dept_name(person), reason], sep=d.f["details"])
        line = d.f["absent"].format(name=person, details=details)
        if presence == Presence.SUBSTITUTE and substitute:
            line += d.f["substitute"].format(sub=substitute)
        lines.append(line)
    return d.or_none(d.f["groups"].join(lines))


def _when(d):
    start, end = timezone.localtime(d.meeting.start, d.zone), timezone.localtime(d.meeting.end, d.zone)
    return d.f["when"].format(y=start.year, m=start.month, d=start.day, start=f"{start:%H:%M}", end=f"{end:%H:%M}")


def _place(d):
    m = d.meeting
    online = d.f["link"].format(label=d.f["online"], link=m.online_link) if m.online_link else ""
    return d.or_none(d.join([m.place, online], sep=d.f["places"]))


def _agenda(d):
    return d.or_none(d.f["agendas"].join(
        d.f["agenda"].format(n=i, title=t.title) for i, t in enumerate(d.topics, start=1)
    ))


def _path(d, dis):
    due = dis.due.isoformat() if dis.due else ""
    if dis.path == ResolutionPath.ESCALATE:
        who = dis.escalate_to or d.f["unassigned"]
        if dis.pk in d.rulings:  # the decider has ruled: the disagreement is closed
            return d.f["ruling"].format(who=who, text=d.rulings[dis.pk] or d.f["none"])
        text = d.f["escalate"].format(who=who)
        return text + (d.f["by_due"].format(due=due) if due else "")
    if dis.path == ResolutionPath.DATA:
        return d.f["data"].format(
            owner=dis.owner or d.f["unassigned"], due=due or d.f["unassigned"], data=dis.data_needed or "")
    if dis.path == ResolutionPath.RESOLVED:
        return d.f["resolved"]
    return d.f["no_path"]


def _disagreement(d, dis):
    line = d.f["dis"].format(subject=dis.subject)
    inner = d.join([dis.parties and d.f["dis_parties"].format(parties=dis.parties),
                    dis.positions and d.f["dis_positions"].format(positions=dis.positions)], sep=d.f["extra_sep"])
    if inner:
        line += d.f["extras"].format(items=inner)
    return line + _path(d, dis)


def _consensus(d, topic):
    """The topic's 共识, its last line: the decisions taken on it, else why none was taken."""
    decisions = [x.text for x in d.decisions if x.topic_id == topic.pk]
    if decisions:
        return d.f["consensus"].format(text=d.f["consensus_sep"].join(decisions))
    reason = getattr(d.topic_records.get(topic.pk), "no_decision_reason", "")
    return d.f["no_consensus"].format(reason=reason) if reason else d.f["consensus_none"]


def _summary(d):
    blocks = []
    for n, topic in enumerate(d.topics, start=1):
        lines = [d.f["topic"].format(n=n, title=topic.title)]
        for note in (x for x in d.notes if x.topic_id == topic.pk):
            fmt = d.f["note"] if note.department_id else d.f["note_plain"]
            lines.append(fmt.format(dept=note.department.name if note.department_id else "", text=note.text))
        lines += [_disagreement(d, x) for x in d.disagreements if x.topic_id == topic.pk]
        lines.append(_consensus(d, topic))
        blocks.append("\n".join(lines))
    return d.or_none("\n\n".join(blocks))


def _decisions(d):
    order = {t.pk: t.order for t in d.topics}
    decisions = sorted(d.decisions, key=lambda x: (order.get(x.topic_id, 0), x.pk))
    lines = []
    for n, dec in enumerate(decisions, start=1):
        extras = [d.f["decided_by"].format(who=dec.decided_by) if dec.decided_by_id else "",
                  d.f["no_objection"] if dec.no_objection else "", d.f["no_action"] if dec.no_action_needed else ""]
        extra = d.join(extras, sep=d.f["extra_sep"])
        lines.append(d.f["decision"].format(n=n, text=dec.text) + (d.f["extras"].format(items=extra) if extra else ""))
    return d.or_none("\n".join(lines))


def _action_plan(d):
    items = (
        ActionItem.objects.filter(meeting=d.meeting).exclude(status=ItemStatus.CANCELLED)
        .select_related("owner", "department", "topic").order_by("topic__order", "id")
    )
    lines = []
    for n, item in enumerate(items, start=1):
        dept = item.department.name if item.department_id else d.dept_name(item.owner)
        owner = d.f["owner"].format(name=item.owner, dept=dept) if item.owner_id else d.f["unassigned"]
        lines.append(d.f["action"].format(
            n=n, task=item.task, owner=owner, due=item.due.isoformat() if item.due else d.f["unassigned"],
            deliverable=item.deliverable or d.f["unassigned"],
            support=" ".join(item.support_needed.split()) or d.f["none"],
            status=d.status_label(item.status),
        ))
    return d.or_none("\n".join(lines))


def minutes_draft_content(meeting, language):
    """{section key: text} for every section of the seed 001 template, from the meeting and its record."""
    d = _Draft(meeting, language)
    sign_in = _sign_in(d)
    content = {
        "title": d.meeting.title,
        "time": _when(d),
        "place": _place(d),
        "host": d.with_role(ParticipantRole.HOST),
        "recorder": d.with_role(ParticipantRole.RECORDER),
        "attendees": _attendees(d, sign_in),
        "absences": _absences(d, sign_in),
        "agenda": _agenda(d),
        "summary": _summary(d),
        "decisions": _decisions(d),
        "action_plan": _action_plan(d),
    }
    return {key: content[key] for key in SECTION_KEYS}
