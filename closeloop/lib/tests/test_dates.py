"""Dates as people type them: one parser and one pair of form fields, used by every form of the project."""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import timezone, translation

import closeloop
from closeloop.lib.dates import parse_typed_date, parse_typed_datetime
from closeloop.lib.forms import DateField, DateTimeField

NEW_YEAR = dt.date(2026, 1, 1)


@pytest.mark.parametrize("typed", [
    "2026-01-01", "2026-1-1", "2026/01/01", "2026/1/1", "2026.1.1", "2026年1月1日", "2026年01月01日",
    "2026 年 1 月 1 日", "2026年1月1号", "２０２６／０１／０１", "２０２６年１月１日", "20260101", " 2026-01-01 ",
])
def test_the_forms_a_chinese_office_types_are_read(typed):
    assert parse_typed_date(typed) == NEW_YEAR


@pytest.mark.parametrize("typed", ["", "   ", "2026-02-30", "2026/13/01", "明天", "1/1", "2026-01", "abc", None])
def test_what_names_no_date_gives_none(typed):
    assert parse_typed_date(typed) is None


def test_the_language_s_own_order_is_read_too():
    with translation.override("en"):
        assert parse_typed_date("01/15/2026") == dt.date(2026, 1, 15)


@pytest.mark.parametrize("typed", [
    "2026-01-01T14:30", "2026-01-01 14:30", "2026/1/1 14:30", "2026年1月1日 14:30", "2026年1月1日14:30",
    "2026年1月1日 14时30分", "2026-01-01T14:30:00", "２０２６/１/１ １４：３０",
])
def test_a_date_and_time_is_read_in_the_same_forms(typed):
    assert parse_typed_datetime(typed) == dt.datetime(2026, 1, 1, 14, 30)


@pytest.mark.parametrize("typed", ["2026-01-01", "2026-01-01 25:00", "14:30", "2026-02-30 10:00", ""])
def test_a_date_and_time_without_either_part_gives_none(typed):
    assert parse_typed_datetime(typed) is None


class _Form(forms.Form):
    day = DateField(label="Day")
    start = DateTimeField(label="Start", required=False)


def test_the_field_takes_the_typed_forms_and_names_the_field_when_wrong():
    form = _Form({"day": "2026/01/01", "start": "2026年1月1日 9:05"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == NEW_YEAR
    start = form.cleaned_data["start"]
    assert timezone.is_aware(start) and timezone.localtime(start).replace(tzinfo=None) == dt.datetime(2026, 1, 1, 9, 5)
    with translation.override("zh-hans"):
        wrong = _Form({"day": "2026/02/30", "start": "tomorrow"})
        assert not wrong.is_valid()
        assert set(wrong.errors) == {"day", "start"}
        assert "2026年1月1日" in wrong.errors["day"][0]
    # The browser's date picker shows the stored value in ISO.
    assert 'type="date"' in str(_Form(initial={"day": NEW_YEAR})["day"])
    assert 'value="2026-01-01"' in str(_Form(initial={"day": NEW_YEAR})["day"])


def _form_classes():
    for module_info in pkgutil.walk_packages(closeloop.__path__, "closeloop."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_date_typed_in_any_form_goes_through_the_one_parser():
    classes = list(_form_classes())
    assert len(classes) > 20  # the walk found the apps' forms
    stray = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in classes
             for name, field in getattr(cls, "base_fields", {}).items()
             if isinstance(field, forms.DateField | forms.DateTimeField)
             and not isinstance(field, DateField | DateTimeField)]
    assert stray == []
