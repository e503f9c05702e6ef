"""The in-app inbox: delivery by the worker, the unread badge, reading and marking, and who may touch what."""

import pytest
from django.urls import reverse

from closeloop.notify.models import InboxItem, OutboxMessage, OutboxState
from closeloop.notify.services import outbox_enqueue
from closeloop.notify.worker import drain_outbox

pytestmark = pytest.mark.django_db


def to_inbox(person, key="reminder:1", subject="明天到期：提交预算明细表", link="/actions/1/"):
    return outbox_enqueue(key=key, recipient=person, address=str(person.pk), channel="inbox", kind="reminder",
                          subject=subject, body_text="请在明天之前完成。", link=link)


def item_for(person, title="提醒", read=False, key=None):
    from django.utils import timezone

    return InboxItem.objects.create(recipient=person, key=key or f"k:{person.pk}:{title}", kind="reminder",
                                    title=title, body="正文", link="http://127.0.0.1:8000/actions/1/",
                                    read_at=timezone.now() if read else None)


def test_the_worker_puts_a_message_in_the_recipients_inbox_with_a_link_back(people, settings):
    settings.SITE_URL = "https://closeloop.example.cn"
    message = to_inbox(people["member"])
    assert drain_outbox() == 1
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    item = InboxItem.objects.get()
    assert item.recipient == people["member"] and item.read_at is None
    assert item.title == "明天到期：提交预算明细表"
    assert item.link == "https://closeloop.example.cn/actions/1/"


def test_delivering_the_same_message_twice_leaves_one_item(people):
    from closeloop.notify.transports.inbox import InboxTransport

    message = to_inbox(people["member"])
    InboxTransport().send(message)
    InboxTransport().send(message)  # a worker died after the insert and before recording it
    assert InboxItem.objects.count() == 1


def test_a_message_for_a_deactivated_person_fails_for_good(people):
    person = people["member"]
    to_inbox(person)
    person.is_active = False
    person.save()
    drain_outbox()
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.FAILED and "no active recipient" in message.last_error


def test_the_navigation_shows_my_unread_count_in_one_query(client, people, django_assert_num_queries):
    me = people["member"]
    for i in range(3):
        item_for(me, title=f"提醒{i}")
    item_for(me, title="已读", read=True)
    item_for(people["host"], title="别人的")
    client.force_login(me)
    response = client.get(reverse("notify:preferences"))
    assert '<span class="nav-count" title="Unread">3</span>' in response.content.decode()
    from closeloop.notify.context_processors import inbox

    request = response.wsgi_request
    with django_assert_num_queries(1):
        assert str(inbox(request)["inbox_unread"]) == "3"


def test_no_badge_when_everything_is_read(client, people):
    item_for(people["member"], read=True)
    client.force_login(people["member"])
    assert "nav-count" not in client.get(reverse("notify:inbox")).content.decode()


def test_the_inbox_page_lists_only_my_items(client, people):
    item_for(people["member"], title="我的提醒")
    item_for(people["host"], title="主持人的提醒")
    client.force_login(people["member"])
    page = client.get(reverse("notify:inbox")).content.decode()
    assert "我的提醒" in page and "主持人的提醒" not in page


def test_marking_read_and_reading_all(client, people):
    me = people["member"]
    first, second = item_for(me, title="一"), item_for(me, title="二")
    client.force_login(me)
    assert client.post(reverse("notify:inbox_read", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    other = item_for(people["host"], title="别人的")
    client.post(reverse("notify:inbox_read_all"))
    second.refresh_from_db()
    other.refresh_from_db()
    assert second.read_at is not None and other.read_at is None


def test_marking_read_with_htmx_returns_the_row(client, people):
    item = item_for(people["member"])
    client.force_login(people["member"])
    response = client.post(reverse("notify:inbox_read", args=[item.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="inbox-item-{item.pk}"' in response.content.decode() and "unread" not in response.content.decode()


def test_opening_an_item_marks_it_read_and_follows_its_link_inside_the_site(client, people, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    item = item_for(people["member"])
    client.force_login(people["member"])
    response = client.post(reverse("notify:inbox_open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/actions/1/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_opening_never_redirects_off_site(client, people):
    item = item_for(people["member"])
    InboxItem.objects.filter(pk=item.pk).update(link="https://evil.example.com/phish")
    client.force_login(people["member"])
    response = client.post(reverse("notify:inbox_open", args=[item.pk]))
    assert response["Location"] == reverse("notify:inbox")


@pytest.mark.parametrize("name", ["notify:inbox_read", "notify:inbox_open"])
def test_nobody_reads_or_marks_another_persons_inbox(client, people, name):
    theirs = item_for(people["host"], title="主持人的提醒")
    client.force_login(people["member"])
    assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_is_a_post_not_a_get(client, people):
    item = item_for(people["member"])
    client.force_login(people["member"])
    assert client.get(reverse("notify:inbox_read", args=[item.pk])).status_code == 405
    assert client.get(reverse("notify:inbox_read_all")).status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(reverse("notify:inbox")).status_code == 302


# --- API ------------------------------------------------------------------------------------------------

def test_the_api_lists_my_inbox_and_counts_unread(client, people):
    me = people["member"]
    item_for(me, title="一")
    item_for(me, title="二", read=True)
    item_for(people["host"], title="别人的")
    client.force_login(me)
    data = client.get("/api/v1/notify/inbox").json()
    assert data["count"] == 2 and {i["title"] for i in data["items"]} == {"一", "二"}
    assert [i["title"] for i in client.get("/api/v1/notify/inbox?unread=true").json()["items"]] == ["一"]
    assert client.get("/api/v1/notify/inbox/unread").json() == {"unread": 1}


def test_the_api_marks_one_or_all_read(client, people):
    me = people["member"]
    one, two = item_for(me, title="一"), item_for(me, title="二")
    client.force_login(me)
    answer = client.post(f"/api/v1/notify/inbox/{one.pk}/read")
    assert answer.status_code == 200 and answer.json()["read"] is True
    assert client.post("/api/v1/notify/inbox/read-all").json() == {"marked": 1}
    two.refresh_from_db()
    assert two.read_at is not None


def test_the_api_answers_404_for_another_persons_item(client, people):
    theirs = item_for(people["host"])
    client.force_login(people["member"])
    assert client.get(f"/api/v1/notify/inbox/{theirs.pk}").status_code == 404
    assert client.post(f"/api/v1/notify/inbox/{theirs.pk}/read").status_code == 404
    client.post("/api/v1/notify/inbox/read-all")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_needs_a_signed_in_person(client):
    assert client.get("/api/v1/notify/inbox").status_code == 401


def test_the_open_button_is_a_verb_not_a_status(client, people):
    item_for(people["host"], title="提醒")  # the host reads Chinese
    client.force_login(people["host"])
    page = client.get(reverse("notify:inbox")).content.decode()
    assert '<button type="submit" class="primary">查看<span class="sr-only">' in page
    assert "进行中" not in page  # "Open" the button is not "Open" the record state
