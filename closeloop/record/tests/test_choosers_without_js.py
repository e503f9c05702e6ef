"""Without JavaScript the choosers' shared list fills nothing: the page offers a link to itself with every option
written into every chooser, remembered in a cookie, and the forms then work without a script."""

import re

import pytest
from django.urls import reverse

from closeloop.actions.models import ActionItem
from closeloop.lib.choosers import FULL_COOKIE

pytestmark = pytest.mark.django_db


def live_url(meeting):
    return reverse("record:live", args=[meeting.pk])


def owner_select(html, topic):
    return re.search(rf'<select name="owner"[^>]*id="t{topic.pk}-item-owner".*?</select>', html, re.S).group(0)


def test_the_shared_page_says_how_to_work_without_javascript(client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    html = client.get(live_url(meeting)).content.decode()
    assert '<template id="shared-choices">' in html and 'href="?choices=full"' in html
    assert people["outsider"].display_name not in owner_select(html, topics[2])  # filled by app.js only


def test_full_choices_write_every_option_and_the_item_form_works_without_a_script(
        client, people, meeting, topics, record):
    client.force_login(people["recorder"])
    response = client.get(live_url(meeting) + "?choices=full")
    html = response.content.decode()
    assert response.cookies[FULL_COOKIE].value == "full"
    assert '<template id="shared-choices">' not in html and "?choices=full" not in html
    select = owner_select(html, topics[2])
    # Everyone in the organisation, grouped by department, as app.js would have built it.
    for key in ("member", "outsider", "host", "head"):
        assert f'<option value="{people[key].pk}">{people[key].display_name}</option>' in select
    assert f'<optgroup label="{people["departments"]["finance"].name}">' in select
    # The participants' chooser (sign-in's substitute) holds participants only.
    assert f'value="{people["outsider"].pk}"' not in re.search(
        r'<select name="person".*?</select>', html, re.S).group(0)

    # The cookie keeps it on the next pages; a plain form post (no htmx) saves the item.
    html = client.get(live_url(meeting)).content.decode()
    assert f'value="{people["outsider"].pk}"' in owner_select(html, topics[2])
    owner = re.search(r'<option value="(\d+)">' + people["member"].display_name, owner_select(html, topics[2]))
    response = client.post(reverse("record:item_add", args=[meeting.pk, topics[2].pk]), {
        "task": "提交推广方案明细", "owner": owner.group(1), "deliverable": "方案经财务部审批", "due": "2026-06-18",
        "owner_confirmed": "on"})
    assert response.status_code == 302
    assert ActionItem.objects.get().owner == people["member"]

    # ?choices=shared goes back to the light page and forgets the cookie.
    response = client.get(live_url(meeting) + "?choices=shared")
    assert '<template id="shared-choices">' in response.content.decode()
    assert response.cookies[FULL_COOKIE].value == ""


def test_full_choices_on_the_meeting_page_fill_the_substitute_chooser(client, people, meeting):
    client.force_login(people["member"])
    html = client.get(reverse("meetings:detail", args=[meeting.pk]) + "?choices=full").content.decode()
    select = re.search(r'<select name="substitute".*?</select>', html, re.S).group(0)
    assert f'<option value="{people["outsider"].pk}">{people["outsider"].display_name}' in select
