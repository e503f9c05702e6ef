"""Every page where a date is typed takes 2026/01/01 and 2026年1月1日, and says what is wrong next to the field."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from closeloop.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_the_calendar_page_takes_a_date_typed_with_slashes(client, people, org):
    client.force_login(people["admin"])
    answer = client.post(reverse("workcal:calendar_day"), {"date": "2026/01/01", "kind": "holiday", "name": "元旦"})
    assert answer.status_code == 302
    assert CalendarDay.objects.get(organisation=org).date == dt.date(2026, 1, 1)
    client.post(reverse("workcal:calendar_day"), {"date": "2026年10月10日", "kind": "holiday", "name": "厂庆"})
    assert CalendarDay.objects.filter(organisation=org, date=dt.date(2026, 10, 10)).exists()


def _after_field(html, name):
    """What the page shows right after the input named `name`: where its error belongs."""
    at = html.find(f'name="{name}"')
    return html[at:at + 400] if at >= 0 else ""


@pytest.mark.parametrize(("url", "field"), [
    ("meetings:list", "start_from"), ("actions:mine", "due_from"), ("audit:list", "since"),
])
def test_a_filter_date_that_names_no_day_is_refused_next_to_its_field(client, people, url, field):
    people["admin"].language = "en"
    people["admin"].save(update_fields=["language"])
    client.force_login(people["admin"])
    html = client.get(reverse(url), {field: "2026/02/30"}).content.decode()
    assert "Enter a date such as 2026-01-01" in _after_field(html, field)


@pytest.mark.parametrize(("url", "field"), [
    ("meetings:list", "start_from"), ("actions:mine", "due_from"), ("audit:list", "since"),
])
def test_a_filter_date_typed_the_chinese_way_is_kept(client, people, url, field):
    client.force_login(people["admin"])
    html = client.get(reverse(url), {field: "2026年1月1日"}).content.decode()
    assert "2026-01-01 (" not in html  # no error
    assert re.search(rf'name="{field}" value="2026-01-01"', html)  # the picker shows it
