"""A leaver's open item is handed over by their head: the new owner is told, the history keeps it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.actions.models import ActionItem
from closeloop.actions.services.handover import action_item_hand_over
from closeloop.directory.services import person_deactivate
from closeloop.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def left_item(people):
    member = people["member"]
    item = ActionItem.objects.create(organisation=member.organisation, task="整理Q3客户名单", owner=member,
                                     department=member.department, deliverable="客户名单")
    person_deactivate(person=member)
    return item


def test_the_head_hands_a_leavers_item_over_on_its_page(client, people, left_item):
    client.force_login(people["head"])
    page = client.get(f"/actions/{left_item.pk}/")
    assert 'id="hand-over"' in page.text
    response = client.post(f"/actions/{left_item.pk}/hand-over/", {"new_owner": people["outsider"].pk,
                                                                   "version": left_item.version})
    assert response.status_code == 302
    left_item.refresh_from_db()
    assert left_item.owner == people["outsider"] and not left_item.owner_confirmed
    assert left_item.department == people["departments"]["finance"]
    event = left_item.events.latest("pk")
    assert "王销售" in event.note and "钱财务" in event.note and event.actor == people["head"]
    mail = OutboxMessage.objects.get(kind="action_item.handed_over", channel="email")
    assert mail.recipient == people["outsider"] and "整理Q3客户名单" in mail.subject


def test_someone_else_cannot_hand_it_over_and_sees_no_form(client, people, left_item):
    client.force_login(people["outsider"])
    assert client.get(f"/actions/{left_item.pk}/").status_code == 404  # not theirs to see at all
    assert client.post(f"/actions/{left_item.pk}/hand-over/", {"new_owner": people["outsider"].pk}).status_code == 404
    with pytest.raises(PermissionDenied):
        action_item_hand_over(actor=people["recorder"], item=left_item, new_owner=people["recorder"])


def test_an_item_whose_owner_is_still_here_is_not_handed_over_this_way(people):
    item = ActionItem.objects.create(organisation=people["member"].organisation, task="x", owner=people["member"])
    with pytest.raises(ValidationError) as exc:
        action_item_hand_over(actor=people["admin"], item=item, new_owner=people["outsider"])
    assert "new_owner" in exc.value.message_dict


def test_the_new_owner_must_be_active(client, people, left_item):
    people["outsider"].is_active = False
    people["outsider"].save()
    client.force_login(people["head"])
    response = client.post(f"/actions/{left_item.pk}/hand-over/", {"new_owner": people["outsider"].pk})
    assert response.status_code in (200, 422)
    left_item.refresh_from_db()
    assert left_item.owner == people["member"]
