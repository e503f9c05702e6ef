"""The 跨部门沟通协作记录表 of seed 002 for a request, as .docx and .xlsx.

`record_rows` gathers the table's fields from the request and its meetings (time, place, participants
from the meeting; discussion points and consensus from its minutes and the departments' answers). Labels
come out in the reader's language (call under `translation.override`); the texts are the users' own.
"""

import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.office import add_field_table_lines, document_bytes, new_document

from .choices import ApprovalRole, ReceiptState

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The seed's rows, in its order; the request's own what/why/by-when/standard follow them.
_NUMBER = re.compile(r"^\s*\d+\s*[.、)]\s*")
RECORD_KEYS = ["subject", "initiating", "receiving", "time", "place", "participants", "background", "goal",
               "discussion", "consensus"]


def record_labels():
    return {
        "subject": pgettext("collaboration record", "Subject"),  # 沟通主题
        "initiating": pgettext("collaboration record", "Initiating department"),  # 发起部门
        "receiving": pgettext("collaboration record", "Receiving departments"),  # 接收部门
        "time": pgettext("collaboration record", "Time"),  # 沟通时间
        "place": pgettext("collaboration record", "Place / form"),  # 沟通地点/形式
        "participants": pgettext("collaboration record", "Participants"),  # 参与人员
        "background": pgettext("collaboration record", "Background"),  # 沟通背景
        "goal": pgettext("collaboration record", "Goal"),  # 沟通目标
        "discussion": pgettext("collaboration record", "Discussion points"),  # 讨论要点
        "consensus": pgettext("collaboration record", "Consensus"),  # 共识事项
        "what": pgettext("collaboration record", "What is asked"),
        "why": pgettext("collaboration record", "Why"),
        "due": pgettext("collaboration record", "Wanted by"),
        "acceptance_standard": pgettext("collaboration record", "Acceptance standard"),
        "answers": pgettext("collaboration record", "Answers of the receiving departments"),
    }


def _local(value, zone):
    return f"{timezone.localtime(value, zone):%Y-%m-%d %H:%M}"


def _numbered(lines):
    lines = [line for line in lines if line and line.strip()]
    if len(lines) == 1:
        return lines[0]
    return "\n".join(f"{n}. {_NUMBER.sub('', line, count=1)}" for n, line in enumerate(lines, start=1))


def _latest_minutes(meeting):
    versions = sorted(meeting.minutes_versions.all(), key=lambda m: m.number, reverse=True)
    approved = [m for m in versions if m.approved_at is not None]
    return (approved or versions or [None])[0]


def _participants(meeting):
    rows = []
    for participant in meeting.participants.all():
        person = participant.person
        department = f"{person.department}" if person.department_id else ""
        rows.append(f"{department}{' ' if department else ''}{person}{f'({person.title})' if person.title else ''}")
    return "、".join(rows)


def record_rows(request, meetings):
    """[(key, label, text)] of the record table for the request and the meetings the reader may see."""
    zone = organisation_tz(request.organisation)
    labels = record_labels()
    receipts = list(request.receipts.all())
    times, places, participants, discussion, consensus = [], [], [], [], []
    for meeting in meetings:
        times.append(f"{_local(meeting.start, zone)}–{timezone.localtime(meeting.end, zone):%H:%M}")
        form = _("online") if meeting.online_link else ""
        places.append(" / ".join(p for p in (meeting.place, form and f"{form} {meeting.online_link}") if p))
        participants.append(_participants(meeting))
        minutes = _latest_minutes(meeting)
        if minutes is not None:
            content = minutes.content or {}
            discussion += (content.get("summary") or "").split("\n")
            consensus += (content.get("decisions") or "").split("\n")
    answers = []
    for receipt in receipts:
        line = f"{receipt.department}: {receipt.get_state_display()}"
        if receipt.note:
            line += f" — {receipt.note}"
        if receipt.state == ReceiptState.DIFFICULTY:
            extra = [s for s in (receipt.proposed_date and _("proposed date %(d)s") % {"d": receipt.proposed_date},
                                 receipt.resource_request) if s]
            if extra:
                line += f" ({'; '.join(str(e) for e in extra)})"
        answers.append(line)
        if receipt.state == ReceiptState.ACCEPTED:
            consensus.append(_("%(d)s accepts the request.") % {"d": receipt.department})
    if not participants:
        people = [request.initiator] + [r.department.head for r in receipts if r.department.head_id]
        participants.append("、".join(f"{p.department or ''} {p}".strip() for p in people))
    initiating = f"{request.initiating_department or ''} {request.initiator}".strip()
    values = {
        "subject": request.subject,
        "initiating": initiating,
        "receiving": "、".join(str(r.department) for r in receipts),
        "time": "\n".join(times) or _local(request.sent_at, zone),
        "place": "\n".join(p for p in places if p) or "—",
        "participants": "\n".join(participants),
        "background": request.background,
        "goal": request.goal,
        "discussion": _numbered(discussion) or "—",
        "consensus": _numbered(consensus) or "—",
        "what": request.what,
        "why": request.why,
        "due": request.due.isoformat(),
        "acceptance_standard": request.acceptance_standard,
        "answers": "\n".join(answers),
    }
    return [(key, str(labels[key]), values[key]) for key in values]


def filename(request, extension):
    subject = re.sub(r'[\\/:*?"<>|\s]+', "_", request.subject).strip("_") or "request"
    return f"{subject}-{_('Collaboration record')}.{extension}"


def record_docx(request, meetings):
    """The record table as a Word document (bytes)."""
    document = new_document(title=request.subject, author=str(request.initiator))
    document.add_heading(_("Cross-department collaboration record"), level=1)
    add_field_table_lines(document, [(label, text) for _key, label, text in record_rows(request, meetings)])
    return document_bytes(document)


def record_xlsx(request, meetings):
    """The record table as a workbook (bytes): one label/content row per field, like the seed's table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Collaboration record")[:31]
    sheet.append([_("Item"), _("Content")])
    thin = Side(style="thin", color="999999")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="3B5B92")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for _key, label, text in record_rows(request, meetings):
        sheet.append([label, text])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    workbook.properties.title = request.subject[:200]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def party_labels():
    return [_("Party A"), _("Party B"), _("Party C"), _("Party D"), _("Party E"), _("Party F")]


def memo_docx(memo, parties, signatures):
    """The memo laid out like an agreement: title, parties, numbered clauses, signature block (bytes)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from closeloop.lib.office import add_lines, add_table

    request = memo.request
    zone = organisation_tz(request.organisation)
    content = memo.content or {}
    labels = party_labels()
    document = new_document(title=str(_("Cross-department collaboration memo")), author=str(request.initiator))
    heading = document.add_heading(str(_("Cross-department collaboration memo")), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(_("Version %(n)s · %(subject)s") % {"n": memo.number, "subject": request.subject})
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if memo.amendment_reason:
        document.add_paragraph(_("Amends version %(n)s: %(reason)s") % {
            "n": memo.previous.number if memo.previous_id else memo.number - 1, "reason": memo.amendment_reason})
    for index, department in enumerate(parties):
        label = labels[index] if index < len(labels) else f"#{index + 1}"
        role = _("initiating department") if department.pk == request.initiating_department_id \
            else _("receiving department")
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_("%(d)s (%(role)s), represented by its head %(head)s") % {
            "d": department, "role": role, "head": department.head or "—"})
    preamble = document.add_paragraph()
    preamble.add_run(_("Whereas %(d)s asked for: %(what)s (wanted by %(due)s), the parties agree as follows.") % {
        "d": request.initiating_department or request.initiator, "what": request.what, "due": request.due})
    article = 0

    def clause(title, text):
        nonlocal article
        article += 1
        document.add_heading(_("Article %(n)s %(title)s") % {"n": article, "title": title}, level=2)
        add_lines(document, text or "—")

    from .choices import MEMO_CLAUSES

    clauses = dict(MEMO_CLAUSES)
    clause(clauses["goal"], content.get("goal"))
    article += 1
    document.add_heading(_("Article %(n)s %(title)s") % {"n": article, "title": _("Rights and duties of each party")},
                         level=2)
    for index, department in enumerate(parties):
        entry = (content.get("parties") or {}).get(str(department.pk), {})
        label = labels[index] if index < len(labels) else f"#{index + 1}"
        document.add_paragraph().add_run(f"{label} {department}").bold = True
        add_lines(document, _("Rights: %(t)s") % {"t": entry.get("rights") or "—"})
        add_lines(document, _("Duties: %(t)s") % {"t": entry.get("duties") or "—"})
    for key in ("deliverables", "consensus", "disagreements", "dispute", "validity"):
        clause(clauses[key], content.get(key))
    clause(_("Signature"), _("This memo takes effect once the head of every party has signed it in Closeloop, "
                             "signed in or from the signing link sent to them; each signature is recorded with "
                             "its date and method. A change is made as a new version, signed again."))
    document.add_heading(str(_("Signatures")), level=2)
    rows = []
    for index, signature in enumerate(signatures):
        label = labels[index] if index < len(labels) else f"#{index + 1}"
        rows.append([label, str(signature.department), str(signature.head or "—"),
                     _local(signature.signed_at, zone) if signature.signed_at else _("not signed yet"),
                     signature.get_method_display() if signature.method else "—"])
    add_table(document, [_("Party"), _("Department"), _("Head"), _("Signed on"), _("Sign-off method")], rows)
    return document_bytes(document)


def memo_filename(memo):
    subject = re.sub(r'[\\/:*?"<>|\s]+', "_", memo.request.subject).strip("_") or "memo"
    return f"{subject}-{_('Collaboration memo')}-v{memo.number}.docx"


def resource_rows(resource):
    """[(label, text)] of the 资源申请表 / 预算审批单."""
    people = "\n".join(f"{p['role']} × {p['count']}" + (f" ({p['period']})" if p.get("period") else "")
                       for p in resource.people) or "—"
    period = " – ".join(str(d) for d in (resource.period_start, resource.period_end) if d) or "—"
    return [
        (pgettext("resource request", "Title"), resource.title),
        (_("Collaboration request"), resource.request.subject),
        (_("Requesting department"), str(resource.department)),
        (_("Requested by"), str(resource.requested_by)),
        (_("Reason"), resource.reason),
        (_("People (role × count, period)"), people),
        (_("Equipment"), resource.equipment or "—"),
        (_("Budget (CNY)"), f"{resource.budget_amount:,.2f}"),
        (_("Budget category"), resource.get_budget_category_display() or "—"),
        (_("Period"), period),
        (_("State"), str(resource.get_state_display())),
    ]


def approval_rows(resource, zone):
    return [[str(a.get_role_display()), str(a.approver or "—"), str(a.get_decision_display()), a.reason or "",
             _local(a.at, zone), str(a.round)] for a in resource.approvals.select_related("approver")]


def approval_headers():
    return [_("Step"), _("Approver"), pgettext("resource request", "Decision"), _("Reason"), _("At"), _("Round")]


def resource_docx(resource):
    from closeloop.lib.office import add_table

    zone = organisation_tz(resource.request.organisation)
    document = new_document(title=resource.title, author=str(resource.requested_by))
    document.add_heading(str(_("Resource request / budget approval")), level=1)
    add_field_table_lines(document, resource_rows(resource))
    document.add_heading(str(_("Approval chain")), level=2)
    document.add_paragraph(" → ".join(str(ApprovalRole(r).label) for r in resource.chain) or _("no approval needed"))
    add_table(document, approval_headers(), approval_rows(resource, zone))
    return document_bytes(document)


def resource_xlsx(resource):
    zone = organisation_tz(resource.request.organisation)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Resource request")[:31]
    for label, text in resource_rows(resource):
        sheet.append([str(label), text])
    sheet.append([])
    sheet.append([str(h) for h in approval_headers()])
    for row in approval_rows(resource, zone):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    for row in sheet.iter_rows():
        row[0].font = Font(bold=True)
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def resource_filename(resource, extension):
    title = re.sub(r'[\\/:*?"<>|\s]+', "_", resource.title).strip("_") or "resources"
    return f"{title}-{_('Resource request')}.{extension}"
