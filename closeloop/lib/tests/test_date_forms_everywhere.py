"""Issue 14 point 10, for every form of the project: each date field takes what the browser's picker sends (ISO),
ISO typed by hand, 2026/01/01 and 2026年1月1日; its widget is the browser's picker showing the value in ISO; a date
that names no day is refused with an example; and on the pages the error stands right after its field."""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

import closeloop
from closeloop.actions.services.items import action_item_create

NEW_YEAR = dt.date(2026, 1, 1)
DATES = ["2026-01-01", "2026/01/01", "2026/1/1", "2026年1月1日"]  # the picker sends the first
MOMENTS = ["2026-01-01T14:30", "2026-01-01 14:30", "2026/01/01 14:30", "2026年1月1日 14:30"]


def _date_fields():
    """(form.field, field) for every date or date-and-time field declared on a form anywhere in the project."""
    found = []
    for info in pkgutil.walk_packages(closeloop.__path__, "closeloop."):
        if any(part in info.name for part in (".tests", ".migrations", "closeloop.tests_", ".testing")):
            continue  # tests and their helpers (a test provider reads its own environment) declare no forms
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional integration without its library
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not (issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__):
                continue
            for name, field in getattr(cls, "base_fields", {}).items():
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    found.append((f"{cls.__module__}.{cls.__name__}.{name}", field))
    return found


FIELDS = _date_fields()


def test_the_walk_finds_the_forms_with_dates():
    assert len(FIELDS) >= 30  # meetings, items, requests, retrospectives, the calendar, the filters…


@pytest.mark.parametrize(("where", "field"), FIELDS, ids=[where for where, _field in FIELDS])
def test_every_date_field_takes_the_browsers_format_iso_and_the_ways_people_type(where, field):
    with timezone.override("Asia/Shanghai"):
        if isinstance(field, forms.DateTimeField):
            assert field.widget.input_type == "datetime-local", where
            for typed in MOMENTS:
                moment = timezone.localtime(field.clean(typed)).replace(tzinfo=None)
                assert moment == dt.datetime(2026, 1, 1, 14, 30), (where, typed)
            shown = field.widget.format_value(dt.datetime(2026, 1, 1, 14, 30))
            assert shown == "2026-01-01T14:30", where  # what the picker reads
        else:
            assert field.widget.input_type == "date", where
            for typed in DATES:
                assert field.clean(typed) == NEW_YEAR, (where, typed)
            assert field.widget.format_value(NEW_YEAR) == "2026-01-01", where
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        field.clean("2026/02/30 10:00" if isinstance(field, forms.DateTimeField) else "2026/02/30")
    message = refused.value.messages[0]
    assert "2026-01-01" in message and "2026/1/1" in message, where  # examples of what is understood


def _after_field(html, name):
    """What the page shows right after each input named `name` (a page may hold several: the calendar's days)."""
    starts = [i for i in range(len(html)) if html.startswith(f'name="{name}"', i)]
    assert starts, name
    return "\n".join(html[at:at + 600] for at in starts)


@pytest.mark.django_db
def test_posted_forms_put_a_wrong_date_next_to_its_field(client, people, meeting):
    admin, host = people["admin"], people["host"]
    for person in (admin, host, people["member"]):
        person.language = "en"
        person.save(update_fields=["language"])
    wrong, example = "2026/02/30", "Enter a date such as 2026-01-01"
    wrong_moment, moment_example = "2026/02/30 14:00", "Enter a date and time such as 2026-01-01 14:30"
    client.force_login(admin)
    calendar = client.post(reverse("workcal:calendar_day"), {"date": wrong, "kind": "holiday", "name": "厂庆"})
    assert example in _after_field(calendar.content.decode(), "date")
    client.force_login(host)
    created = client.post(reverse("meetings:create"), {
        "type": "decision", "title": "周会", "start": wrong_moment, "end": "2026-06-15T15:00", "host": host.pk})
    assert moment_example in _after_field(created.content.decode(), "start")
    edited = client.post(reverse("meetings:edit", args=[meeting.pk]), {
        "type": "decision", "title": meeting.title, "start": "2026-06-15T14:00", "end": wrong_moment,
        "version": meeting.version})
    assert moment_example in _after_field(edited.content.decode(), "end")
    item = action_item_create(actor=host, organisation=meeting.organisation, meeting=meeting, data={
        "task": "提交成本报告", "owner": people["member"], "due": dt.date(2027, 1, 8), "deliverable": "成本报告"})
    client.force_login(people["member"])
    delayed = client.post(reverse("actions:delay", args=[item.pk]), {
        "reason": "数据未到", "new_due": wrong, "version": item.version})
    assert example in _after_field(delayed.content.decode(), "new_due")
    # And the ways people type are kept: the same forms take 2026/01/01 and 2026年1月1日.
    client.force_login(admin)
    assert client.post(reverse("workcal:calendar_day"), {"date": "2027/01/01", "kind": "holiday",
                                                          "name": "元旦"}).status_code == 302
    client.force_login(people["member"])
    kept = client.post(reverse("actions:delay", args=[item.pk]), {
        "reason": "数据未到", "new_due": "2027年1月15日", "version": item.version})
    item.refresh_from_db()
    assert kept.status_code in (200, 302) and item.due == dt.date(2027, 1, 15)
