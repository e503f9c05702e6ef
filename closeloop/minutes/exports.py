"""The minutes as .docx (laid out like the seed 001 template) and as Markdown.

Section labels come out in the language the minutes are written in, whoever reads them (one document for
everyone, as filed in the archive); when the text says nothing of its language, in the reader's. The section
texts are the minutes' own words.
"""

import re

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.office import (
    add_field_table_lines,
    add_heading,
    add_lines,
    add_paragraph,
    add_table,
    add_title_block,
    document_bytes,
    file_name,
    new_document,
)
from closeloop.minutes.choices import SECTIONS
from closeloop.minutes.rules import document_language
from closeloop.minutes.selectors import signoffs_of

# The first sections form the information table; the rest follow as headed sections.
INFO_KEYS = ["title", "time", "place", "host", "recorder", "attendees", "absences", "agenda"]
_ITEM_SEPARATOR = re.compile(r"——| — ")
_NUMBER = re.compile(r"^\s*\d+\s*[.、)]\s*")


def _stamp(value, minutes):
    return f"{timezone.localtime(value, organisation_tz(minutes.meeting.organisation)):%Y-%m-%d %H:%M}"


def filename(minutes, extension):
    title = re.sub(r"[\s_]+", "_", file_name(minutes.meeting.title)).strip("_") or "minutes"
    return f"{title}-{_('Minutes')}-v{minutes.number}.{extension}"


def status_line(minutes):
    """'Version 2 · Approved by X on …' — which text this is, for readers of a file."""
    parts = [_("Version %(n)s") % {"n": minutes.number}, str(minutes.get_state_display())]
    if minutes.approved_at:
        parts.append(_("approved by %(who)s on %(when)s") % {
            "who": minutes.approved_by or "—", "when": _stamp(minutes.approved_at, minutes)})
    return " · ".join(parts)


def action_rows(text):
    """The action plan's lines as [task, owner, due, deliverable, support, status] rows when every line has
    those six parts (or the four of earlier drafts, without support and status)."""
    rows = []
    for line in (text or "").split("\n"):
        if not line.strip():
            continue
        parts = [p.strip() for p in _ITEM_SEPARATOR.split(_NUMBER.sub("", line, count=1))]
        if len(parts) not in (4, 6) or (rows and len(parts) != len(rows[0])):
            return None
        rows.append(parts)
    return rows or None


def action_headers(rows):
    headers = [_("No."), _("Task"), _("Owner (department)"), _("Due"), _("Deliverable")]
    return headers + [_("Support needed"), _("Status")] if len(rows[0]) == 6 else headers


def _sections(minutes):
    content = minutes.content or {}
    return [(key, str(label), content.get(key, "")) for key, label in SECTIONS]


def minutes_docx(minutes):
    """A python-docx Document: title, version line, information table, then the sections and sign-offs."""
    meeting = minutes.meeting
    document = new_document(title=f"{meeting.title} — {_('Minutes')}", author=str(minutes.created_by or ""),
                            language="zh-CN" if translation.get_language().startswith("zh") else "en-US",
                            header_mark=pgettext("document mark", "Confidential") if meeting.confidential else "")
    add_title_block(document, _("Cross-department meeting minutes"), [status_line(minutes)])
    if minutes.correction_reason:
        add_paragraph(document, _("Correction of version %(n)s: %(reason)s") % {
            "n": minutes.previous.number if minutes.previous_id else "?", "reason": minutes.correction_reason})
    sections = _sections(minutes)
    add_field_table_lines(document, [(label, text) for key, label, text in sections if key in INFO_KEYS])
    for key, label, text in sections:
        if key in INFO_KEYS:
            continue
        add_heading(document, label, level=1)
        rows = action_rows(text) if key == "action_plan" else None
        if rows:
            add_table(document, action_headers(rows), [[i, *row] for i, row in enumerate(rows, start=1)])
        else:
            add_lines(document, text)
    signoffs = signoffs_of(minutes)
    if signoffs:
        add_heading(document, _("Sign-off by the department heads"), level=1)
        add_table(document, [_("Department"), _("Head"), _("Signed"), _("Comment")], [
            [s.department, s.head or "—", _stamp(s.signed_at, minutes) if s.signed_at else _("Not yet"), s.comment]
            for s in signoffs
        ])
    return document


def minutes_docx_bytes(minutes):
    """The .docx's bytes, labelled in the document's language (like the Markdown export)."""
    with translation.override(document_language(minutes.content) or translation.get_language()):
        return document_bytes(minutes_docx(minutes))


def docx_filename(minutes):
    with translation.override(document_language(minutes.content) or translation.get_language()):
        return filename(minutes, "docx")


def _cell(text):
    return (text or "").replace("|", "\\|").replace("\n", "<br>")


_BULLET = re.compile(r"^\s*[-•·*]\s*(\S.*)$")
_ORDERED = re.compile(r"^\s*(\d+)\s*(?:[、)）]|\.(?!\d))\s*(\S.*)$")


def _markdown_block(line):
    """('bullet' | 'ordered' | 'text' | 'blank', the line as Markdown)."""
    if not line.strip():
        return "blank", ""
    if match := _BULLET.match(line):
        return "bullet", f"- {match[1]}"
    if match := _ORDERED.match(line):
        return "ordered", f"{match[1]}. {match[2]}"
    # A paragraph line that Markdown would read as a heading, a quote or a list stays text.
    line = line.strip()  # leading spaces would make a code block
    return "text", ("\\" + line if line[:1] in "#>+=" else line)


def markdown_text(text):
    """A section's lines as Markdown: "-市场部:…" and "1.同意…" become real list items, the other lines stay
    the template's paragraphs (two trailing spaces keep their line breaks), with a blank line wherever a list
    starts or ends so that no line is swallowed by the list above it."""
    lines, previous = [], "blank"
    for kind, line in (_markdown_block(raw) for raw in (text or "").split("\n")):
        if kind == "blank":
            if lines and lines[-1].endswith("  "):
                lines[-1] = lines[-1][:-2]
            lines.append("")
        else:
            if previous not in ("blank", kind):
                if lines[-1].endswith("  "):
                    lines[-1] = lines[-1][:-2]
                lines.append("")
            lines.append(line + "  " if kind == "text" else line)
        previous = kind
    if lines and lines[-1].endswith("  "):
        lines[-1] = lines[-1][:-2]
    return lines


def minutes_markdown(minutes):
    """The minutes as Markdown: title, version line, the information table, then the sections.

    Labels are in the document's language (the language its text is written in), whatever the reader's."""
    with translation.override(document_language(minutes.content) or translation.get_language()):
        return _minutes_markdown(minutes)


def markdown_filename(minutes):
    with translation.override(document_language(minutes.content) or translation.get_language()):
        return filename(minutes, "md")


def _minutes_markdown(minutes):
    lines = [f"# {_('Cross-department meeting minutes')}", "", f"*{status_line(minutes)}*", ""]
    if minutes.correction_reason:
        lines += [_("Correction of version %(n)s: %(reason)s") % {
            "n": minutes.previous.number if minutes.previous_id else "?", "reason": minutes.correction_reason}, ""]
    sections = _sections(minutes)
    lines += [f"| {_('Item')} | {_('Content')} |", "| --- | --- |"]
    lines += [f"| {label} | {_cell(text)} |" for key, label, text in sections if key in INFO_KEYS]
    for key, label, text in sections:
        if key in INFO_KEYS:
            continue
        lines += ["", f"## {label}", ""]
        rows = action_rows(text) if key == "action_plan" else None
        if rows:
            headers = action_headers(rows)
            lines += ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
            lines += [f"| {i} | " + " | ".join(_cell(c) for c in row) + " |" for i, row in enumerate(rows, start=1)]
        else:
            lines += markdown_text(text)
    signoffs = signoffs_of(minutes)
    if signoffs:
        lines += ["", f"## {_('Sign-off by the department heads')}", ""]
        lines += [f"- {s.department}: {s.head or '—'} — "
                  + (_stamp(s.signed_at, minutes) if s.signed_at else _("Not yet")) for s in signoffs]
    return "\n".join(lines).rstrip() + "\n"
