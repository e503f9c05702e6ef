"""Each approver decides a resource request's step from the link in their message, without signing in (the
minutes sign-off pattern); the link stops working once its step is decided, and a forged one is 404."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from closeloop.collab.models import ResourceRequest
from closeloop.notify.models import OutboxMessage
from closeloop.notify.services import LINK_HEADER

from .test_resources import ask, finance_set  # noqa: F401  (fixture)


def _link(person, resource, step):
    message = OutboxMessage.objects.filter(recipient=person, kind="notice.resource_step",
                                           idempotency_key__contains=f":{resource.pk}:1:{step}:").first()
    assert message is not None, "the step's approver is told"
    return urlsplit(message.headers[LINK_HEADER]).path


def test_the_head_then_the_finance_head_decide_from_their_messages(finance_set, sent):  # noqa: F811
    resource = ask(finance_set, sent, 20000)  # head, then finance
    anonymous = Client()
    head_link = _link(finance_set["head"], resource, 0)
    page = anonymous.get(head_link)
    assert page.status_code == 200 and "Q3铺货促销人员" in page.text and 'id="decide"' in page.text
    answer = anonymous.post(head_link, {"decision": "approve", "reason": "同意"})
    assert answer.status_code == 302
    resource.refresh_from_db()
    assert resource.current_role == "finance"
    assert resource.approvals.get().approver == finance_set["head"]
    used = anonymous.get(head_link)
    assert 'id="decide"' not in used.text and "该链接已完成使命" in used.text
    assert anonymous.post(head_link, {"decision": "approve"}).status_code == 409  # a second click changes nothing
    assert resource.approvals.count() == 1

    finance_link = _link(finance_set["finance_head"], resource, 1)
    refused = anonymous.post(finance_link, {"decision": "return", "reason": ""})
    assert refused.status_code == 422 and resource.approvals.count() == 1
    anonymous.post(finance_link, {"decision": "return", "reason": "预算超出本季度额度"})
    resource.refresh_from_db()
    assert resource.state == "returned"


def test_a_link_is_for_its_approver_and_its_step_only(finance_set, sent):  # noqa: F811
    resource = ask(finance_set, sent, 20000)
    head_link = _link(finance_set["head"], resource, 0)
    token = head_link.rstrip("/").rsplit("/", 1)[1]
    assert Client().get(head_link.replace(token, token[:-2] + "xx")).status_code == 404
    assert Client().get("/requests/resources/decide/nonsense/").status_code == 404
    finance_set["head"].is_active = False
    finance_set["head"].save()
    assert Client().get(head_link).status_code == 404
    assert ResourceRequest.objects.get(pk=resource.pk).approvals.count() == 0


@pytest.mark.parametrize("language, text", [("en", "Approve"), ("zh-hans", "批准")])
def test_the_page_speaks_the_approvers_language(finance_set, sent, language, text):  # noqa: F811
    finance_set["head"].language = language
    finance_set["head"].save()
    resource = ask(finance_set, sent, 5000)
    assert text in Client().get(_link(finance_set["head"], resource, 0)).text
