"""The pages: my items, one item with its forms and history, and the SMART-check fragment."""

import pytest
from django.test import Client
from django.urls import reverse

from closeloop.actions.choices import ItemStatus
from closeloop.actions.models import ActionItem
from closeloop.actions.services.items import action_item_create, action_item_update
from closeloop.actions.tests.conftest import item_data, later
from closeloop.meetings.services.planning import meeting_update

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


# --- My items -----------------------------------------------------------------------------

def test_my_items_lists_what_i_own_and_collaborate_on(people, meeting, item):
    other = action_item_create(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                               data=item_data(people, task="准备渠道报价", owner=people["host"],
                                              collaborators=[people["member"]]))
    action_item_create(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                       data=item_data(people, task="别人的任务", owner=people["recorder"]))
    page = client_for(people["member"]).get(reverse("actions:mine")).content.decode()
    assert item.task in page and other.task in page and "别人的任务" not in page
    assert "Overdue" in page or "逾期" in page or 'class="overdue"' in page


def test_my_items_hides_closed_ones_unless_asked(people, item):
    client_for(people["member"]).post(reverse("actions:status", args=[item.pk]),
                                      {"status": "done", "note": "已交付", "version": 1})
    c = client_for(people["member"])
    assert item.task not in c.get(reverse("actions:mine")).content.decode()
    assert item.task in c.get(reverse("actions:mine") + "?status=all").content.decode()


def test_my_items_costs_the_same_queries_for_one_item_or_many(people, meeting, item, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(people["member"])
    c.get(reverse("actions:mine"))
    with CaptureQueriesContext(connection) as one:
        c.get(reverse("actions:mine"))
    for i in range(10):
        action_item_create(actor=people["host"], organisation=meeting.organisation, meeting=meeting,
                           data=item_data(people, task=f"任务{i}", collaborators=[people["head"]]))
    with django_assert_max_num_queries(len(one)):
        assert c.get(reverse("actions:mine")).status_code == 200


# --- One item -----------------------------------------------------------------------------

def test_the_owner_sees_the_item_with_forms_and_history(people, item):
    page = client_for(people["member"]).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert item.task in page and item.deliverable in page
    for name in ("actions:status", "actions:delay", "actions:progress", "actions:confirm"):
        assert reverse(name, args=[item.pk]) in page
    assert 'data-kind="created"' in page


def test_a_viewer_who_may_not_change_sees_no_forms(people, item):
    page = client_for(people["head"]).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert item.task in page
    assert reverse("actions:status", args=[item.pk]) not in page
    assert reverse("actions:confirm", args=[item.pk]) not in page


@pytest.mark.parametrize("name, data", [
    ("actions:detail", None), ("actions:status", {"status": "in_progress"}),
    ("actions:delay", {"reason": "x", "new_due": "2030-01-07"}), ("actions:progress", {"percent": 5}),
    ("actions:confirm", {}),
])
def test_an_outsider_gets_404_from_every_item_page(people, item, name, data):
    c = client_for(people["outsider"])
    url = reverse(name, args=[item.pk])
    res = c.get(url) if data is None else c.post(url, data)
    assert res.status_code == 404
    assert ActionItem.objects.get(pk=item.pk).version == 1


@pytest.mark.parametrize("name, data", [
    ("actions:status", {"status": "in_progress"}), ("actions:delay", {"reason": "x", "new_due": "2030-01-07"}),
    ("actions:progress", {"percent": 5}), ("actions:confirm", {}),
])
def test_a_viewer_who_may_not_change_gets_403(people, item, name, data):
    assert client_for(people["head"]).post(reverse(name, args=[item.pk]), data).status_code == 403
    assert ActionItem.objects.get(pk=item.pk).version == 1


def test_item_pages_refuse_get_for_writes(people, item):
    for name in ("actions:status", "actions:delay", "actions:progress", "actions:confirm"):
        assert client_for(people["member"]).get(reverse(name, args=[item.pk])).status_code == 405


def test_a_status_change_redirects_a_plain_browser(people, item):
    res = client_for(people["member"]).post(reverse("actions:status", args=[item.pk]),
                                            {"status": "in_progress", "version": 1})
    assert res.status_code == 302 and res.url == reverse("actions:detail", args=[item.pk])
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.IN_PROGRESS


def test_htmx_gets_the_panel_back_after_a_delay(people, item, today):
    new_due = later(today, 6)
    res = client_for(people["member"]).post(reverse("actions:delay", args=[item.pk]),
                                            {"reason": "供应商报价延迟", "new_due": new_due.isoformat(), "version": 1},
                                            headers=HTMX)
    page = res.content.decode()
    assert res.status_code == 200 and "<html" not in page
    assert 'data-kind="delay"' in page and "供应商报价延迟" in page and new_due.isoformat() in page
    assert ActionItem.objects.get(pk=item.pk).due == new_due


def test_a_delay_without_reason_shows_the_error_at_the_field(people, item):
    res = client_for(people["member"]).post(reverse("actions:delay", args=[item.pk]),
                                            {"reason": "", "new_due": "", "version": 1}, headers=HTMX)
    page = res.content.decode()
    assert res.status_code == 200
    assert page.count('class="field invalid"') == 2 and 'class="errorsummary"' in page
    assert ActionItem.objects.get(pk=item.pk).version == 1


def test_done_without_a_note_names_the_note_field(people, item):
    res = client_for(people["member"]).post(reverse("actions:status", args=[item.pk]),
                                            {"status": "done", "version": 1}, headers=HTMX)
    assert 'name="note"' in res.content.decode() and "field invalid" in res.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.NOT_STARTED


def test_a_stale_save_is_refused_and_keeps_what_was_typed(people, item):
    action_item_update(actor=people["host"], item=item, data={"support_needed": "无"})
    res = client_for(people["member"]).post(reverse("actions:progress", args=[item.pk]),
                                            {"percent": 35, "note": "初稿完成一半", "version": 1}, headers=HTMX)
    page = res.content.decode()
    assert 'class="conflict"' in page
    assert 'value="35"' in page and "初稿完成一半" in page and 'name="version" value="2"' in page
    assert ActionItem.objects.get(pk=item.pk).progress == 0
    res = client_for(people["member"]).post(reverse("actions:progress", args=[item.pk]),
                                            {"percent": 35, "note": "初稿完成一半", "version": 2}, headers=HTMX)
    assert ActionItem.objects.get(pk=item.pk).progress == 35


def test_the_owner_confirms_from_the_page(people, item):
    res = client_for(people["member"]).post(reverse("actions:confirm", args=[item.pk]), headers=HTMX)
    assert res.status_code == 200 and 'data-kind="confirmed"' in res.content.decode()
    assert ActionItem.objects.get(pk=item.pk).owner_confirmed


def test_the_recorder_records_the_confirmation_and_the_page_says_so(people, item):
    c = client_for(people["recorder"])
    page = c.get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert reverse("actions:confirm", args=[item.pk]) in page
    c.post(reverse("actions:confirm", args=[item.pk]))
    events = ActionItem.objects.get(pk=item.pk).events.filter(kind="confirmed")
    assert [e.actor for e in events] == [people["recorder"]]


def test_the_meeting_title_is_hidden_from_a_head_when_the_meeting_is_confidential(people, meeting, item):
    meeting_update(actor=people["host"], meeting=meeting, data={"confidential": True})
    page = client_for(people["head"]).get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert item.task in page and meeting.title not in page


# --- The SMART-check fragment ----------------------------------------------------------------

def smart(person, **fields):
    return client_for(person).post(reverse("actions:smart_check"), fields, headers=HTMX)


def test_the_fragment_shows_each_finding_with_its_rule_and_field(people, meeting):
    res = smart(people["recorder"], task="市场部尽快出方案", owner=people["outsider"].pk, due="2026-06-20",
                deliverable="", meeting=meeting.pk)
    page = res.content.decode()
    assert res.status_code == 200 and "<html" not in page
    for rule, field in [("vague", "task"), ("deliverable_missing", "deliverable"),
                        ("due_not_working_day", "due"), ("owner_not_present", "owner")]:
        assert f'data-rule="{rule}" data-field="{field}"' in page
    assert "“尽快”" in page and "2026-06-22" in page
    assert 'data-blocking="true"' in page


def test_the_fragment_in_english(people, meeting):
    people["recorder"].language = "en"
    people["recorder"].save()
    page = client_for(people["recorder"]).post(reverse("actions:smart_check"), {"task": "look into it"},
                                               headers={**HTMX, "Accept-Language": "en"}).content.decode()
    assert "“look into”" in page


def test_a_specific_item_gets_the_all_clear(people, meeting):
    page = smart(people["recorder"], task="提交Q3推广预算明细表", owner=people["member"].pk, due="2026-06-18",
                 deliverable="预算明细表经财务部签字确认", meeting=meeting.pk).content.decode()
    assert "finding ok" in page and "data-rule" not in page


def test_nothing_typed_shows_nothing(people, meeting):
    assert smart(people["recorder"], meeting=meeting.pk).content.decode().strip() == ""


def test_a_bad_date_is_named_and_not_also_called_missing(people, meeting):
    page = smart(people["recorder"], task="提交", due="2026-02-30", meeting=meeting.pk).content.decode()
    assert 'data-rule="due_missing"' not in page and "finding block" in page


def test_the_fragment_for_a_hidden_meeting_is_404(people, meeting):
    assert smart(people["outsider"], task="尽快", meeting=meeting.pk).status_code == 404
    assert smart(people["outsider"], task="尽快", meeting="abc").status_code == 404


def test_the_fragment_changes_nothing_and_refuses_get(people, meeting):
    smart(people["recorder"], task="尽快", owner=people["member"].pk, meeting=meeting.pk)
    assert not ActionItem.objects.exists()
    assert client_for(people["recorder"]).get(reverse("actions:smart_check")).status_code == 405


def test_the_admin_shows_an_item_with_its_history_read_only(people, item):
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    c = client_for(people["admin"])
    assert c.get(reverse("admin:actions_actionitem_changelist")).status_code == 200
    page = c.get(reverse("admin:actions_actionitem_change", args=[item.pk])).content.decode()
    assert item.task in page and 'name="status"' not in page
    assert c.post(reverse("admin:actions_actionitem_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
    assert ActionItem.objects.filter(pk=item.pk).exists()
