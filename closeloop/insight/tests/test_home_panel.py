"""The home page (the meeting list) carries this month's figures: the person's own, and their department's."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from closeloop.actions.models import ActionItem


def _month_items(org, people, department):
    today = timezone.localdate()
    first = today.replace(day=1)
    ActionItem.objects.create(organisation=org, owner=people["member"], department=department, task="本月逾期",
                              due=first, status="in_progress")  # overdue unless today is the 1st
    ActionItem.objects.create(organisation=org, owner=people["head"], department=department, task="本月待办",
                              due=(first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
                              status="not_started")
    return today.day > 1


def test_a_member_sees_their_own_figures_and_their_departments(client, org, people):
    overdue = _month_items(org, people, people["departments"]["sales"])
    client.force_login(people["member"])
    body = client.get(reverse("meetings:list")).content.decode()
    assert 'id="insight-home"' in body
    panel = body.split('id="insight-home"')[1].split("</section>")[0]
    assert "销售部" in panel
    assert ("1 overdue" in panel) == overdue  # the member reads English
    assert "Department figures" not in panel  # not a head


def test_a_head_gets_the_link_to_the_department_panel(client, org, people):
    _month_items(org, people, people["departments"]["sales"])
    client.force_login(people["head"])
    body = client.get(reverse("meetings:list")).content.decode()
    panel = body.split('id="insight-home"')[1].split("</section>")[0]
    assert reverse("insight:my_department") in panel and "2 项未关闭" in panel
    assert client.get(reverse("insight:my_department")).status_code == 200


def test_someone_heading_nothing_outside_a_department_has_no_department_panel(client, org, people):
    client.force_login(people["admin"])
    assert client.get(reverse("insight:my_department")).status_code == 404
