"""Sending and answering a request through the services: deadlines, audit, story, messages, rights."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from closeloop.audit.models import AuditEntry
from closeloop.collab import services
from closeloop.collab.choices import ReceiptState, RequestState
from closeloop.collab.selectors import collab_policy_for, request_for_user, requests_visible_to
from closeloop.notify.models import OutboxMessage
from closeloop.org.selectors import policy_for

from .conftest import moment, request_data


def receipt(request, department):
    return request.receipts.get(department=department)


def test_sending_gives_each_department_a_deadline_on_the_working_calendar(sent, parties):
    assert sent.state == RequestState.AWAITING
    assert sent.initiating_department == parties["market"]
    for department in (parties["sales"], parties["product"]):
        # Friday 2026-02-13 + 1 working day = the adjusted working Saturday 2026-02-14
        assert receipt(sent, department).answer_due == dt.date(2026, 2, 14)
    assert AuditEntry.objects.filter(action="request.create", object_id=str(sent.pk)).exists()
    assert list(sent.events.values_list("kind", flat=True)) == ["sent"]


def test_each_receiving_head_is_told_in_their_own_language(sent, parties):
    to_sales = OutboxMessage.objects.get(recipient=parties["head"], channel="email")
    to_product = OutboxMessage.objects.get(recipient=parties["product_head"], channel="email")
    assert "协作请求" in to_sales.subject and "2026-02-14" in to_sales.body_text
    assert "Collaboration request" in to_product.subject and "2026-02-14" in to_product.body_text
    assert to_product.headers["Content-Language"] == "en"
    assert OutboxMessage.objects.filter(recipient=parties["head"], channel="inbox").exists()
    assert f"/requests/answer/{sent.receipts.get(department=parties['sales']).token}/" in to_sales.link


def test_a_request_names_the_field_of_each_mistake(parties):
    host = parties["host"]
    cases = [
        ({}, [], "receiving_departments"),
        ({}, [parties["market"]], "receiving_departments"),  # its own department
        ({"subject": ""}, [parties["sales"]], "subject"),
        ({"due": dt.date(2026, 2, 1)}, [parties["sales"]], "due"),
        ({"priority": "asap"}, [parties["sales"]], "priority"),
    ]
    for overrides, departments, field in cases:
        with pytest.raises(ValidationError) as error:
            services.request_create(actor=host, data=request_data(**overrides), receiving_departments=departments,
                                    now=moment(2026, 2, 13))
        assert field in error.value.message_dict, (overrides, error.value.message_dict)


def test_a_department_without_a_head_cannot_be_asked(parties):
    with pytest.raises(ValidationError) as error:
        services.request_create(actor=parties["host"], data=request_data(),
                                receiving_departments=[parties["departments"]["finance"]], now=moment(2026, 2, 13))
    assert "财务部" in error.value.message_dict["receiving_departments"][0]


def test_materials_too_close_to_the_wanted_start_warn_or_block_by_policy(parties):
    data = request_data(wanted_start=dt.date(2026, 2, 23))  # only the Saturday 02-14 before it
    request, warnings = services.request_create(actor=parties["host"], data=data,
                                                receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    assert warnings and warnings[0].field == "wanted_start"
    policy = collab_policy_for(request.organisation)
    policy.materials_mode = "block"
    policy.save()
    with pytest.raises(ValidationError) as error:
        services.request_create(actor=parties["host"], data=data, receiving_departments=[parties["sales"]],
                                now=moment(2026, 2, 13))
    assert "wanted_start" in error.value.message_dict


def test_materials_follow_the_meeting_upload_rules(parties):
    good = SimpleUploadedFile("项目计划.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    request, _ = services.request_create(actor=parties["host"], data=request_data(),
                                         receiving_departments=[parties["sales"]], materials=[good],
                                         now=moment(2026, 2, 13))
    assert request.materials.get().name == "项目计划.pdf"
    with pytest.raises(ValidationError) as error:
        services.request_create(actor=parties["host"], data=request_data(), receiving_departments=[parties["sales"]],
                                materials=[SimpleUploadedFile("x.exe", b"MZ")], now=moment(2026, 2, 13))
    assert "materials" in error.value.message_dict


def test_one_department_accepts_another_reports_a_difficulty(sent, parties):
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                            note="可以铺货", now=moment(2026, 2, 13, 15))
    sent.refresh_from_db()
    assert sent.state == RequestState.AWAITING
    with pytest.raises(ValidationError) as error:
        services.request_answer(actor=parties["product_head"], request=sent, department=parties["product"],
                                answer="difficulty", note="人手不够", now=moment(2026, 2, 13, 16))
    assert "missing" in error.value.message_dict
    services.request_answer(actor=parties["product_head"], request=sent, department=parties["product"],
                            answer="difficulty", note="人手不够", missing=["people"],
                            resource_request="2 名产品培训师, 3 月", now=moment(2026, 2, 13, 16))
    sent.refresh_from_db()
    assert sent.state == RequestState.DIFFICULTY
    product = receipt(sent, parties["product"])
    assert product.missing_list == ["people"] and product.answered_by == parties["product_head"]
    told = OutboxMessage.objects.filter(recipient=parties["host"], channel="email").order_by("pk")
    assert len(told) == 2 and "销售部" in told[0].subject
    assert AuditEntry.objects.filter(action="request.answer.difficulty").count() == 1
    # accepted is final
    with pytest.raises(ValidationError) as error:
        services.request_answer(actor=parties["head"], request=sent, department=parties["sales"],
                                answer="difficulty", now=moment(2026, 2, 13, 17))
    assert "answer" in error.value.message_dict


def test_only_the_receiving_head_or_their_delegate_answers(sent, parties):
    for person in ("outsider", "member", "host", "admin", "product_head"):
        with pytest.raises(PermissionDenied):
            services.request_answer(actor=parties[person], request=sent, department=parties["sales"],
                                    answer="accept", now=moment(2026, 2, 13, 15))
    sales = receipt(sent, parties["sales"])
    services.receipt_delegate(actor=parties["head"], receipt=sales, delegate=parties["member"])
    services.request_answer(actor=parties["member"], request=sent, department=parties["sales"], answer="accept",
                            now=moment(2026, 2, 13, 15))
    assert receipt(sent, parties["sales"]).state == ReceiptState.ACCEPTED


def test_a_question_stops_the_clock_until_the_initiator_replies(sent, parties):
    with pytest.raises(ValidationError) as error:
        services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="clarify",
                                now=moment(2026, 2, 13, 15))
    assert "note" in error.value.message_dict
    services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="clarify",
                            note="铺货量是多少?", now=moment(2026, 2, 13, 15))
    sales = receipt(sent, parties["sales"])
    assert sales.answer_due is None and sales.paused_workdays == 1
    sent.refresh_from_db()
    assert sent.state == RequestState.CLARIFYING
    with pytest.raises(PermissionDenied):
        services.request_reply(actor=parties["outsider"], request=sent, department=parties["sales"], note="x")
    # The initiator replies on the Saturday working day: one working day again, over the Spring Festival.
    services.request_reply(actor=parties["host"], request=sent, department=parties["sales"], note="首批 500 台",
                           now=moment(2026, 2, 14, 11))
    sales = receipt(sent, parties["sales"])
    assert sales.state == ReceiptState.PENDING and sales.answer_due == dt.date(2026, 2, 24)
    assert OutboxMessage.objects.filter(recipient=parties["head"], kind="notice.request_replied").exists()


def test_a_late_answer_needs_a_reason_when_the_policy_blocks(sent, parties):
    policy = policy_for(sent.organisation)
    policy.request_mode = "block"
    policy.save()
    with pytest.raises(ValidationError) as error:
        services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept",
                                now=moment(2026, 2, 24))
    assert "note" in error.value.message_dict
    _receipt, warnings = services.request_answer(actor=parties["head"], request=sent, department=parties["sales"],
                                                 answer="accept", note="春节假期", now=moment(2026, 2, 24))
    assert warnings and sent.events.filter(late=True).count() == 1


def test_leadership_support_goes_to_the_management_group_at_once(parties):
    policy = collab_policy_for(parties["admin"].organisation)
    policy.management.add(parties["market_head"])
    request, _ = services.request_create(actor=parties["host"], data=request_data(needs_leadership=True),
                                         receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    assert OutboxMessage.objects.filter(recipient=parties["market_head"], kind="notice.request_leadership").exists()
    assert not OutboxMessage.objects.filter(recipient=parties["admin"], kind="notice.request_leadership").exists()


def test_visibility_follows_departments_and_confidentiality(parties):
    open_request, _ = services.request_create(actor=parties["host"], data=request_data(),
                                              receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    secret, _ = services.request_create(actor=parties["host"], data=request_data(confidential=True),
                                        receiving_departments=[parties["sales"]], viewers=[parties["recorder"]],
                                        now=moment(2026, 2, 13))
    def visible(name):
        return set(requests_visible_to(parties[name]).values_list("pk", flat=True))
    assert visible("admin") == {open_request.pk, secret.pk}
    assert visible("host") == {open_request.pk, secret.pk}
    assert visible("recorder") == {open_request.pk, secret.pk}  # same department; named on the secret one
    assert visible("head") == {open_request.pk, secret.pk}  # receiving head, named automatically
    assert visible("member") == {open_request.pk}  # receiving department, not named
    assert visible("outsider") == set()
    assert visible("product_head") == set()
    from django.http import Http404
    with pytest.raises(Http404):
        request_for_user(parties["member"], secret.pk)


def test_escalating_by_hand_tells_the_pmo_and_the_head_above(sent, parties):
    from closeloop.org.models import Department

    org = parties["admin"].organisation
    from closeloop.conftest import make_person
    boss = make_person(org, "vp", name="副总")
    top = Department.objects.create(organisation=org, name="营销中心", head=boss)
    parties["sales"].parent = top
    parties["sales"].save()
    with pytest.raises(PermissionDenied):
        services.request_escalate(actor=parties["member"], request=sent)
    escalated = services.request_escalate(actor=parties["host"], request=sent, note="请协调",
                                          now=moment(2026, 2, 24))
    assert len(escalated) == 2
    kinds = OutboxMessage.objects.filter(kind="escalation.request")
    assert {m.recipient_id for m in kinds} == {boss.pk, parties["admin"].pk}
    assert sent.events.filter(kind="escalated").count() == 2
    assert boss in sent.viewers.all()


def test_withdrawing_keeps_the_story_and_stops_answers(sent, parties):
    with pytest.raises(ValidationError):
        services.request_withdraw(actor=parties["host"], request=sent, reason="")
    services.request_withdraw(actor=parties["host"], request=sent, reason="需求取消")
    sent.refresh_from_db()
    assert sent.state == RequestState.WITHDRAWN
    with pytest.raises(ValidationError):
        services.request_answer(actor=parties["head"], request=sent, department=parties["sales"], answer="accept")


def test_the_meeting_planned_from_a_request_invites_both_sides_and_carries_its_materials(parties):
    """Decision makers: the initiating head and each receiving head; executors: the delegate a head named and
    whoever answered for a department; the request's background material becomes the meeting's pre-read."""
    plan = SimpleUploadedFile("项目计划.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    request, _ = services.request_create(actor=parties["host"], data=request_data(),
                                         receiving_departments=[parties["sales"], parties["product"]],
                                         materials=[plan], now=moment(2026, 2, 13))
    sales = request.receipts.get(department=parties["sales"])
    services.receipt_delegate(actor=parties["head"], receipt=sales, delegate=parties["member"])
    meeting = services.request_plan_meeting(actor=parties["host"], request=request, data={
        "type": "problem_analysis", "start": moment(2026, 3, 2, 14), "end": moment(2026, 3, 2, 15)})
    roles = {p.person.username: p.role_list for p in meeting.participants.all()}
    assert roles["market_head"] == ["decision_maker"] and roles["head"] == ["decision_maker"]
    assert roles["product_head"] == ["decision_maker"] and roles["member"] == ["executor"]
    assert [m.name for m in meeting.materials.all()] == ["项目计划.pdf"]
    with meeting.materials.get().file.open("rb") as copied:
        assert copied.read() == b"%PDF-1.4 plan"
