"""A leaver's head is told, in their language, what to hand over; nobody is told when nothing is open."""

import pytest

from closeloop.actions.models import ActionItem
from closeloop.directory.services import person_deactivate
from closeloop.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_head_gets_the_hand_over_list_by_mail_and_in_the_inbox(people, django_capture_on_commit_callbacks):
    member, head = people["member"], people["head"]
    head.language = "en"
    head.save()
    item = ActionItem.objects.create(organisation=member.organisation, task="Send the Q3 customer list", owner=member,
                                     department=member.department)
    with django_capture_on_commit_callbacks(execute=True):
        person_deactivate(person=member)
    messages = OutboxMessage.objects.filter(kind="directory.leaver", recipient=head)
    assert sorted(m.channel for m in messages) == ["email", "inbox"]
    mail = messages.get(channel="email")
    assert "王销售 has left" in mail.subject
    assert "Send the Q3 customer list" in mail.body_text and f"/actions/{item.pk}/" in mail.body_text


def test_nobody_is_told_about_a_leaver_with_nothing_open(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person_deactivate(person=people["member"])
    assert not OutboxMessage.objects.filter(kind="directory.leaver").exists()
