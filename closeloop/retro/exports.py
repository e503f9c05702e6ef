"""The 协作复盘报告 (seed 002 stage 5) as .docx: the request, goals vs results, the timeline, good practices,
bottlenecks, improvement measures, and who acknowledged it. Labels in the reader's language; texts are the users'."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.office import (
    add_field_table_lines,
    add_heading,
    add_lines,
    add_paragraph,
    add_table,
    add_title_block,
    new_document,
)

from .choices import GoalResult
from .facts import retrospective_facts
from .selectors import retrospective_detail


def report_title():
    return _("Collaboration retrospective report")  # 协作复盘报告


def report_filename(retrospective):
    return f"{report_title()}-{retrospective.request.subject}.docx"


def _dash(value):
    return "—" if value in (None, "") else str(value)


def _timeline(facts):
    rows = []
    for row in facts.get("answers", []):
        rows.append((row["answered"] or row["sent"], _("Answer of %(d)s") % {"d": row["department"]},
                     f"{row['state']} · " + (_("%(n)s working days") % {"n": row["workdays"]}
                                             if row["workdays"] is not None else "—")
                     + (" · " + _("late") if row["late"] else "")))
    for row in facts.get("minutes", []):
        rows.append((row["end"], _("Meeting: %(m)s") % {"m": row["meeting"]},
                     _("minutes approved %(a)s, signed off %(s)s") % {"a": _dash(row["approved"]),
                                                                       "s": _dash(row["signed_off"])}))
    for row in facts.get("items", []):
        rows.append((_dash(row["done_on"] or row["due"]), _("Item: %(t)s") % {"t": row["task"][:60]},
                     f"{row['status_label']} · " + _("due %(d)s, done %(o)s") % {
                         "d": _dash(row["original_due"]), "o": _dash(row["done_on"])}))
    for row in facts.get("changes", []):
        rows.append((_dash(row["on"]), _("Change: %(t)s") % {"t": row["what"]}, f"{row['kind']} · {row['state']} · "
                     f"{row['reason']}"))
    for row in facts.get("risks", []):
        rows.append((_dash(row["on"]), _("Risk raised by %(p)s") % {"p": row["by"]},
                     (_("early warning") if row["early"] else _("late warning")) + f" · {row['what']}"))
    return sorted(rows, key=lambda r: str(r[0]))


def report_document(retrospective, *, language="zh-hans"):
    """The report as a python-docx Document (sent: its frozen facts; before: the live ones)."""
    retrospective = retrospective_detail(retrospective)
    request = retrospective.request
    zone = organisation_tz(request.organisation)
    facts = retrospective.facts or retrospective_facts(request)
    with translation.override(language):
        document = new_document(title=report_title(), author=str(request.initiator),
                                language="zh-CN" if language.startswith("zh") else "en-US",
                                header_mark=_("Confidential") if request.confidential else "")
        add_title_block(document, report_title(), [request.subject, request.organisation.name])
        receiving = "、".join(str(r.department) for r in request.receipts.select_related("department"))
        meeting = retrospective.meeting
        add_heading(document, _("The request"))
        add_field_table_lines(document, [
            (_("Subject"), request.subject), (_("Initiating department"), _dash(request.initiating_department)),
            (_("Initiator"), str(request.initiator)), (_("Receiving departments"), receiving),
            (_("Goal"), _dash(request.goal)), (_("What is asked"), request.what),
            (_("Wanted by"), request.due.isoformat()), (_("Acceptance standard"), request.acceptance_standard),
            (_("Completed"), f"{timezone.localtime(retrospective.completed_at, zone):%Y-%m-%d}"),
            (_("Retrospective meeting"), f"{meeting.title} {timezone.localtime(meeting.start, zone):%Y-%m-%d %H:%M}"
             if meeting else "—"),
        ])
        add_heading(document, _("Goals and results"))
        add_table(document, [_("Goal"), _("Result"), _("Evidence"), _("Reason when not reached")], [
            [g.goal, str(GoalResult(g.result).label) if g.result else "—", g.evidence, g.reason]
            for g in retrospective.goals.all()])
        summary = facts.get("summary", {})
        add_heading(document, _("Facts"))
        add_paragraph(document, _(
            "%(items)s items: %(done)s done (%(on_time)s on time, %(late)s late), %(cancelled)s cancelled; "
            "%(delays)s delays; %(changes)s changes; %(early)s early warnings, %(late_w)s late warnings.") % {
            "items": summary.get("items", 0), "done": summary.get("done", 0), "on_time": summary.get("on_time", 0),
            "late": summary.get("late", 0), "cancelled": summary.get("cancelled", 0),
            "delays": summary.get("delays", 0), "changes": summary.get("changes", 0),
            "early": summary.get("early_warnings", 0), "late_w": summary.get("late_warnings", 0)})
        add_table(document, [_("Item"), _("Owner"), _("Due"), _("Done"), _("Late (working days)"), _("Delays")], [
            [i["task"], i["owner"], _dash(i["original_due"]), _dash(i["done_on"]), _dash(i["late_workdays"]),
             "\n".join(f"{d['on']}: {d['reason']}" for d in i["delays"]) or "—"] for i in facts.get("items", [])])
        add_heading(document, _("Timeline"))
        add_table(document, [_("When"), _("What"), _("Details")], [list(r) for r in _timeline(facts)])
        add_heading(document, _("Good practices"))
        add_lines(document, retrospective.went_well or "—")
        add_heading(document, _("Bottlenecks"))
        add_lines(document, retrospective.stuck or "—")
        if retrospective.next_time:
            add_heading(document, _("What to change next time"))
            add_lines(document, retrospective.next_time)
        add_heading(document, _("Improvement measures"))
        add_table(document, [_("Measure"), _("Owner"), _("Due date"), _("Deliverable"), _("Status")], [
            [m.measure, str(m.owner), m.due.isoformat(), m.deliverable,
             str(m.item.get_status_display()) if m.item else _("not sent yet")]
            for m in retrospective.improvements.all()])
        readers = list(retrospective.readers.all())
        if readers:
            add_heading(document, _("Sent to"))
            add_table(document, [_("Reader"), _("As"), _("Acknowledged")], [
                [str(r.person), str(r.as_head_of) if r.as_head_of else _("Management group"),
                 f"{timezone.localtime(r.acknowledged_at, zone):%Y-%m-%d %H:%M}" if r.acknowledged_at else "—"]
                for r in readers])
    return document
