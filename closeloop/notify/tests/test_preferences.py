"""Preferences: which channels carry which kind of message, robots up the department tree, quiet hours."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from closeloop.notify.models import NotifyPreference, OutboxMessage, Robot
from closeloop.notify.preferences import channels_for, next_allowed_time
from closeloop.notify.rules import category_of, quiet_until
from closeloop.notify.services import outbox_enqueue, preferences_update
from closeloop.org.models import Department

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def local(y, m, d, h, mi=0, zone=SHANGHAI):
    return dt.datetime(y, m, d, h, mi, tzinfo=zone)


# --- pure rules -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, category", [
    ("reminder", "reminder"), ("minutes.distributed", "minutes"), ("cancel", "notice"),
    ("escalation", "escalation"), ("digest", "digest"), ("something-new", "notice"),
])
def test_a_message_kind_maps_to_a_preference_kind(kind, category):
    assert category_of(kind) == category


def test_overnight_quiet_hours_end_next_morning_or_this_morning():
    start, end = dt.time(22), dt.time(7, 30)
    assert quiet_until(local(2026, 6, 15, 23), start, end) == local(2026, 6, 16, 7, 30)
    assert quiet_until(local(2026, 6, 16, 3), start, end) == local(2026, 6, 16, 7, 30)
    assert quiet_until(local(2026, 6, 16, 7, 30), start, end) is None
    assert quiet_until(local(2026, 6, 15, 21, 59), start, end) is None


def test_daytime_quiet_hours_and_none():
    assert quiet_until(local(2026, 6, 15, 12, 30), dt.time(12), dt.time(13, 30)) == local(2026, 6, 15, 13, 30)
    assert quiet_until(local(2026, 6, 15, 14), dt.time(12), dt.time(13, 30)) is None
    assert quiet_until(local(2026, 6, 15, 14), dt.time(9), dt.time(9)) is None
    assert quiet_until(local(2026, 6, 15, 14), None, None) is None


# --- channels_for ------------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def robot(department, platform="dingtalk", kinds=("reminder",), **extra):
    return Robot.objects.create(organisation=department.organisation, department=department, platform=platform,
                                name=f"{department.name}群", url="https://oapi.dingtalk.com/robot/send?access_token=x",
                                secret="SECx", kinds=list(kinds), **extra)


def test_by_default_a_person_gets_email_and_inbox(people):
    member = people["member"]
    assert channels_for(member, "reminder", None) == [("email", "member@example.com"), ("inbox", str(member.pk))]


def test_a_chosen_robot_channel_finds_the_nearest_robot_up_the_department_tree(people, org):
    member, sales = people["member"], people["departments"]["sales"]
    east = Department.objects.create(organisation=org, name="华东销售", parent=sales)
    member.department = east
    member.save()
    parent_robot = robot(sales, kinds=["reminder", "escalation"])
    preferences_update(actor=member, person=member, channels={"reminder": ["dingtalk", "inbox"],
                                                              "escalation": ["dingtalk"]})
    assert channels_for(member, "reminder", None) == [("dingtalk", f"robot:{parent_robot.pk}"),
                                                      ("inbox", str(member.pk))]
    own = robot(east, kinds=["reminder"])
    member = type(member).objects.get(pk=member.pk)  # preferences are read once per person object
    assert channels_for(member, "reminder", None)[0] == ("dingtalk", f"robot:{own.pk}")
    assert channels_for(member, "escalation", None) == [("dingtalk", f"robot:{parent_robot.pk}")]


def test_a_robot_that_is_off_or_does_not_carry_the_kind_is_skipped_and_the_inbox_takes_over(people):
    member, sales = people["member"], people["departments"]["sales"]
    robot(sales, kinds=["digest"])
    robot(sales, kinds=["reminder"], enabled=False)
    preferences_update(actor=member, person=member, channels={"reminder": ["dingtalk"]})
    assert channels_for(member, "reminder", None) == [("inbox", str(member.pk))]


def test_someone_without_an_email_address_is_not_mailed(people):
    member = people["member"]
    member.email = ""
    member.save()
    assert channels_for(member, "notice", None) == [("inbox", str(member.pk))]


# --- quiet hours ------------------------------------------------------------------------------------------

def test_quiet_hours_count_in_the_persons_own_time_zone(people):
    member = people["member"]
    member.time_zone = "Europe/Berlin"
    member.save()
    preferences_update(actor=member, person=member, quiet_start=dt.time(22), quiet_end=dt.time(7))
    # 05:00 in Shanghai is 23:00 in Berlin the evening before (summer time): quiet until 07:00 Berlin.
    now = local(2026, 6, 16, 5)
    assert next_allowed_time(member, now) == local(2026, 6, 16, 7, zone=BERLIN)
    # 14:00 Shanghai is 08:00 Berlin: not quiet.
    assert next_allowed_time(member, local(2026, 6, 16, 14)) == local(2026, 6, 16, 14)


def test_a_message_queued_in_quiet_hours_waits_for_their_end_but_the_inbox_does_not(people, monkeypatch):
    from django.utils import timezone

    member = people["member"]
    preferences_update(actor=member, person=member, quiet_start=dt.time(22), quiet_end=dt.time(7))
    night = local(2026, 6, 15, 23, 30)
    monkeypatch.setattr(timezone, "now", lambda: night)
    mail = outbox_enqueue(key="r:1:email", recipient=member, address=member.email, kind="reminder",
                          subject="提醒", body_text="正文")
    inbox = outbox_enqueue(key="r:1:inbox", recipient=member, address=str(member.pk), kind="reminder",
                           channel="inbox", subject="提醒", body_text="正文")
    assert mail.next_attempt_at == local(2026, 6, 16, 7)
    assert inbox.next_attempt_at == night
    assert OutboxMessage.objects.count() == 2  # delayed, not dropped


# --- the service, the page and the API ------------------------------------------------------------------------

def test_preferences_refuse_an_empty_kind_and_half_quiet_hours_naming_the_field(people):
    member = people["member"]
    with pytest.raises(ValidationError) as caught:
        preferences_update(actor=member, person=member, channels={"reminder": []}, quiet_start=dt.time(22))
    assert set(caught.value.message_dict) == {"channels.reminder", "quiet_end"}
    with pytest.raises(ValidationError) as caught:
        preferences_update(actor=member, person=member, channels={"risk": ["pigeon"]})
    assert "channels.risk" in caught.value.message_dict
    assert not NotifyPreference.objects.filter(person=member, channels__has_key="risk").exists()


def test_nobody_changes_another_persons_preferences(people):
    with pytest.raises(PermissionDenied):
        preferences_update(actor=people["head"], person=people["member"], channels={"reminder": ["inbox"]})


def test_the_page_saves_channels_and_quiet_hours(client, people):
    member = people["member"]
    client.force_login(member)
    page = client.get(reverse("notify:preferences"))
    assert page.status_code == 200 and 'name="channels_reminder"' in page.content.decode()
    data = {f"channels_{k}": ["email", "inbox"] for k in ("risk", "escalation", "digest", "notice", "minutes")}
    data.update({"channels_reminder": ["inbox"], "quiet_start": "22:00", "quiet_end": "07:00"})
    assert client.post(reverse("notify:preferences"), data).status_code == 302
    preference = NotifyPreference.objects.get(person=member)
    assert preference.channels["reminder"] == ["inbox"] and preference.quiet_start == dt.time(22)


def test_the_page_names_the_field_of_a_bad_choice(client, people):
    client.force_login(people["member"])
    response = client.post(reverse("notify:preferences"), {"channels_reminder": [], "quiet_start": "22:00"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "channels_reminder" in form.errors and "quiet_end" in form.errors
    assert not NotifyPreference.objects.filter(quiet_start__isnull=False).exists()


def test_the_api_reads_and_replaces_my_preferences(client, people):
    member = people["member"]
    client.force_login(member)
    data = client.get("/api/v1/notify/preferences").json()
    assert data["channels"]["reminder"] == ["email", "inbox"] and data["quiet_start"] is None
    answer = client.put("/api/v1/notify/preferences", {"channels": {"digest": ["inbox"]}, "quiet_start": "21:30",
                                                       "quiet_end": "08:00"}, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["channels"]["digest"] == ["inbox"] and answer.json()["quiet_end"] == "08:00:00"
    bad = client.put("/api/v1/notify/preferences", {"channels": {"digest": []}}, content_type="application/json")
    assert bad.status_code == 422 and "channels.digest" in bad.json()["errors"]


def test_address_for_without_a_kind_finds_the_departments_robot_of_that_platform(people):
    from closeloop.notify.preferences import address_for

    member, sales = people["member"], people["departments"]["sales"]
    dingtalk = robot(sales, kinds=["digest"])
    assert address_for(member, "dingtalk") == f"robot:{dingtalk.pk}"
    assert address_for(member, "dingtalk", "reminder") == ""
    assert address_for(member, "wecom") == ""
    assert address_for(member, "inbox") == str(member.pk)
