"""Findings on timing and pre-reads: the notice lead time, an estimated working calendar, the materials; and the
pre-read due date."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .data import WARN, Finding, severity_for


def _assumed_note(plan):
    if not plan.notice_assumed:
        return ""
    years = ", ".join(str(y) for y in plan.unknown_years) or "?"
    return " " + _("Counted as Monday to Friday: the working calendar does not know %(years)s yet; "
                   "an administrator can import that year.") % {"years": years}


def notice_findings(plan, policy):
    days = plan.notice_workdays
    if days is None:
        return
    shown = max(days, 0)
    need = policy.notice_lead_workdays
    urgent_need = min(policy.notice_lead_urgent_workdays, need)
    if days >= need:
        return
    numbers = {"workdays": shown, "limit": need, "urgent_limit": urgent_need, "assumed": plan.notice_assumed}
    note = _assumed_note(plan)
    if plan.urgent and days >= urgent_need:
        yield Finding(
            "notice_lead", WARN,
            _("The notice goes out %(days)s working days before this urgent meeting; normally %(limit)s.")
            % {"days": shown, "limit": need} + note,
            _("Accepted because the meeting is urgent; send the notice now and say why it is short."), numbers,
        )
        return
    if plan.urgent:
        message = _("The notice goes out %(days)s working days before this urgent meeting; "
                    "even urgent meetings need %(limit)s.") % {"days": shown, "limit": urgent_need}
        fix = _("Move the meeting at least %(limit)s working days after the notice.") % {"limit": urgent_need}
    else:
        message = _("The notice goes out %(days)s working days before the meeting; it should be %(limit)s.") % {
            "days": shown, "limit": need}
        fix = _("Move the meeting at least %(limit)s working days after the notice, "
                "or mark it urgent if it cannot wait.") % {"limit": need}
    yield Finding("notice_lead", severity_for(policy, "notice_lead"), message + note, fix, numbers)


def calendar_findings(plan):
    """Working days counted in a year no calendar source knows are estimates: say so, whatever the count."""
    if not plan.notice_assumed:
        return
    years = ", ".join(str(y) for y in plan.unknown_years) or "?"
    yield Finding(
        "calendar_unknown", WARN,
        _("Working days in %(years)s are estimated as Monday to Friday: the working calendar does not know "
          "that year yet.") % {"years": years},
        _("Ask an administrator to import %(years)s into the working calendar.") % {"years": years},
        {"years": list(plan.unknown_years)},
    )


def material_findings(m, policy):
    limit = policy.preread_max_pages
    if m.pages and m.pages > limit:
        yield Finding(
            "preread_pages", severity_for(policy, "preread_pages"),
            _("The pre-read “%(name)s” has %(pages)s pages; at most %(limit)s are advised.")
            % {"name": m.name, "pages": m.pages, "limit": limit},
            _("Send a summary of at most %(limit)s pages and keep the rest as an appendix.") % {"limit": limit},
            {"pages": m.pages, "limit": limit},
        )


def preread_lead_findings(plan, policy, *, has_materials):
    """Materials reach the participants too late (`plan`'s notice lead time)."""
    days = plan.notice_workdays
    need = policy.preread_lead_workdays
    if has_materials and days is not None and days < need:
        yield Finding(
            "preread_lead", severity_for(policy, "preread_lead"),
            _("Pre-read materials reach participants %(days)s working days before the meeting; "
              "they need %(limit)s.") % {"days": max(days, 0), "limit": need} + _assumed_note(plan),
            _("Send the materials now, or move the meeting later."),
            {"workdays": max(days, 0), "limit": need},
        )


def preread_due(meeting_date, preread_lead_workdays, calendar):
    """The last date to send pre-read materials: N working days before the meeting's date."""
    return calendar.add_working_days(meeting_date, -preread_lead_workdays)
