"""Issue 12 points 6 and 7, issue 14 point 7: the notice goes through every channel a person prefers (the inbox
always), robots post in the recipient's language with links on SITE_URL, and quiet hours hold the pushes back.
Robots are a local HTTP receiver that checks each platform's documented signature itself."""

import datetime as dt

import pytest
from django.utils import timezone

from closeloop.meetings.services.notice import notice_send
from closeloop.notify.models import InboxItem, NotifyPreference, OutboxMessage, Robot
from closeloop.notify.preferences import person_zone
from closeloop.notify.testing.robots import robot_receiver  # noqa: F401
from closeloop.notify.testing.smtp import smtp_server  # noqa: F401
from closeloop.notify.tests.conftest import SECRETS
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


def robot_for(department, receiver, kinds=("notice", "minutes")):
    return Robot.objects.create(
        organisation=department.organisation, department=department, platform=receiver.platform,
        name=f"{department.name}群", url=receiver.url, secret=SECRETS[receiver.platform], kinds=list(kinds),
        language="zh-hans")


def prefer(person, **channels):
    NotifyPreference.objects.update_or_create(person=person, defaults={"channels": channels})


def test_the_notice_reaches_each_persons_robot_in_their_language_with_a_site_link(
        robot_receiver, smtp_server, people, meeting, settings):  # noqa: F811
    settings.SITE_URL = "https://closeloop.example.cn:8443"
    dingtalk = robot_receiver("dingtalk", secret=SECRETS["dingtalk"])
    feishu = robot_receiver("feishu", secret=SECRETS["feishu"])
    robot_for(people["departments"]["market"], dingtalk)
    robot_for(people["departments"]["sales"], feishu)
    prefer(people["host"], notice=["email", "dingtalk"])  # no inbox chosen: it is added anyway
    prefer(people["member"], notice=["feishu"])  # reads English
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()

    [ding] = [r for r in dingtalk.requests if r["verified"]]
    text = ding["json"]["markdown"]["text"]
    assert "项目Q3推广跨部门协作会" in ding["json"]["markdown"]["title"]
    assert "[在 Closeloop 中打开](https://closeloop.example.cn:8443/meetings/" in text
    assert "Open in Closeloop" not in text
    [fei] = [r for r in feishu.requests if r["verified"]]
    card = str(fei["json"])
    assert "Open in Closeloop" in card and "https://closeloop.example.cn:8443/" in card

    assert InboxItem.objects.filter(recipient=people["host"], kind="meeting.notice").exists()
    assert InboxItem.objects.filter(recipient=people["member"], kind="meeting.notice").exists()
    # The member chose only the robot: no mail; the host chose mail too.
    to = {m["To"] for m in smtp_server.messages()}
    assert "host@example.com" in to and "member@example.com" not in to


def test_quiet_hours_hold_back_mail_and_robots_but_not_the_inbox(smtp_server, people, meeting):  # noqa: F811
    local = timezone.now().astimezone(person_zone(people["host"]))
    start, end = (local - dt.timedelta(hours=1)).time(), (local + dt.timedelta(hours=2)).time()
    NotifyPreference.objects.create(person=people["host"], quiet_start=start, quiet_end=end)
    notice_send(actor=people["host"], meeting=meeting)
    mail = OutboxMessage.objects.get(recipient=people["host"], channel="email")
    assert mail.next_attempt_at > timezone.now() + dt.timedelta(hours=1)
    drain_outbox()
    assert InboxItem.objects.filter(recipient=people["host"], kind="meeting.notice").exists()
    assert "host@example.com" not in {m["To"] for m in smtp_server.messages()}
    assert "recorder@example.com" in {m["To"] for m in smtp_server.messages()}


def test_the_inbox_entry_carries_what_the_mail_says_and_the_link_to_answer(people, meeting):
    notice_send(actor=people["host"], meeting=meeting)
    drain_outbox()
    member = meeting.participants.get(person=people["member"])
    item = InboxItem.objects.get(recipient=people["member"], kind="meeting.notice")
    mail = OutboxMessage.objects.get(recipient=people["member"], channel="email")
    assert item.body == mail.body_text and item.title == mail.subject
    assert item.link.endswith(f"/meetings/respond/{member.token}/") or member.token in item.link
