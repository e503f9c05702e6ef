"""The monthly management report: on the organisation's first working day of a month, last month's report
goes to the management group by mail, as .docx, in each reader's language; once per month and person."""

import base64
import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from closeloop.insight import dashboard, rules, selectors
from closeloop.lib.apiutil import organisation_tz
from closeloop.lib.emails import render_email
from closeloop.notify.fanout import mail_rows, notify_everywhere
from closeloop.notify.preferences import person_zone
from closeloop.notify.services import absolute_link
from closeloop.org.models import Organisation
from closeloop.workcal.selectors import calendar_for


def first_working_day(calendar, year, month):
    day = dt.date(year, month, 1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def report_send(*, organisation, period, now=None, recipients=None, on_demand=False):
    """Queue the report of `period` to each recipient (the management group by default); returns the messages.
    The monthly one goes once per period and person; one sent on demand goes each time it is asked for."""
    from closeloop.insight import exports  # python-docx and openpyxl: loaded when a report is built

    recipients = selectors.report_recipients(organisation) if recipients is None else recipients
    now = now or timezone.now()
    documents, queued = {}, []
    board = None
    for person in recipients:
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            if language not in documents:
                board = board or dashboard.build(None, period, now=now, organisation=organisation)
                documents[language] = {
                    "filename": exports.report_filename(board), "content_type": exports.DOCX_CONTENT_TYPE,
                    "content_b64": base64.b64encode(exports.report_docx(board, organisation)).decode("ascii")}
            subject = _("Management report %(start)s to %(end)s") % {
                "start": period.start.isoformat(), "end": period.end.isoformat()}
            body = _("The management report of %(org)s for %(start)s to %(end)s is attached. The figures, with "
                     "the lists behind them, are on the insight page.") % {
                "org": organisation.name, "start": period.start.isoformat(), "end": period.end.isoformat()}
        # The mail carries the report (a plain-text and an HTML part, like every mail); the inbox (and a robot,
        # if chosen) says where to read it.
        mail = render_email("notify/email/message", {"person": person, "title": subject, "lines": [body],
                                                     "link": absolute_link("/insight/")},
                            language=language, zone=person_zone(person))
        queued += mail_rows(notify_everywhere(
            person=person, kind="insight.report",
            key=f"insight.report:{organisation.pk}:{period.start.isoformat()}:{period.end.isoformat()}:{person.pk}"
                + (f":{now.timestamp()}" if on_demand else ""),
            subject=subject, body_text=mail.text, body_html=mail.html, attachments=[documents[language]],
            language=language, link="/insight/"))
    return queued


def monthly_report_scan(*, now):
    """The worker's scan: on each organisation's first working day of the month, last month's report."""
    count = 0
    for organisation in Organisation.objects.order_by("pk"):
        today = timezone.localtime(now, organisation_tz(organisation)).date()
        if today != first_working_day(calendar_for(organisation), today.year, today.month):
            continue
        count += len(report_send(organisation=organisation, period=rules.previous_month(today), now=now))
    return count
