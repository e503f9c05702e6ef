"""资源申请表 / 预算审批单: the policy's chain, each step approving or returning with a reason, resubmission."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from closeloop.collab import exports, rules, services
from closeloop.collab.selectors import collab_policy_for, requests_visible_to
from closeloop.conftest import make_person
from closeloop.notify.models import OutboxMessage
from closeloop.org.choices import Role

AMOUNTS = st.decimals(min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(AMOUNTS, st.booleans(), st.lists(st.sampled_from(["approve", "return", "resubmit"]), max_size=12))
def test_the_chain_follows_the_amounts_and_every_step_is_decided_in_order(amount, head_asks, actions):
    chain = rules.approval_chain(amount, Decimal(10000), Decimal(50000), requester_is_head=head_asks)
    assert ("head" in chain) != head_asks
    assert ("finance" in chain) == (amount > 10000) and ("management" in chain) == (amount > 50000)
    assert chain == sorted(chain, key=["head", "finance", "management"].index)
    state, step = rules.resource_transition("returned", 0, chain, "resubmit")
    approvals = 0
    for action in actions:
        try:
            new_state, new_step = rules.resource_transition(state, step, chain, action)
        except rules.RuleError:
            assert (action == "resubmit") == (state != "returned") or state != "in_approval"
            continue
        if action == "approve":
            approvals += 1
            assert new_step == step + 1
        if action == "resubmit":
            approvals = 0
        state, step = new_state, new_step
        if state == "approved":
            assert approvals == len(chain)


@pytest.fixture
def finance_set(parties):
    org = parties["admin"].organisation
    finance = parties["departments"]["finance"]
    finance.head = make_person(org, "finance_head", finance, role=Role.HEAD, name="钱经理")
    finance.save()
    vp = make_person(org, "vp", name="副总")
    policy = collab_policy_for(org)
    policy.finance_department = finance
    policy.save()
    policy.management.add(vp)
    return {**parties, "finance_head": finance.head, "vp": vp}


def ask(finance_set, sent, amount, actor="member"):
    return services.resource_request_create(actor=finance_set[actor], request=sent, data={
        "title": "Q3铺货促销人员", "reason": "铺货人手不足",
        "people": [{"role": "促销员", "count": 2, "period": "7月"}], "budget_amount": amount,
        "budget_category": "personnel"})


def test_a_small_budget_needs_only_the_department_head(finance_set, sent):
    resource = ask(finance_set, sent, 5000)
    assert resource.chain == ["head"] and resource.state == "in_approval"
    assert OutboxMessage.objects.filter(recipient=finance_set["head"], kind="notice.resource_step").exists()
    with pytest.raises(PermissionDenied):
        services.resource_approve(actor=finance_set["finance_head"], resource_request=resource)
    resource = services.resource_approve(actor=finance_set["head"], resource_request=resource)
    assert resource.state == "approved" and resource.approvals.get().decision == "approve"
    assert OutboxMessage.objects.filter(recipient=finance_set["member"], kind="notice.resource_approved").exists()


def test_a_large_budget_goes_to_finance_then_management_who_can_then_see_the_request(finance_set, sent):
    resource = ask(finance_set, sent, 80000)
    assert resource.chain == ["head", "finance", "management"]
    assert sent.pk not in requests_visible_to(finance_set["finance_head"]).values_list("pk", flat=True)
    resource = services.resource_approve(actor=finance_set["head"], resource_request=resource, reason="同意")
    assert resource.current_role == "finance"
    assert sent.pk in requests_visible_to(finance_set["finance_head"]).values_list("pk", flat=True)
    resource = services.resource_approve(actor=finance_set["finance_head"], resource_request=resource)
    with pytest.raises(PermissionDenied):
        services.resource_approve(actor=finance_set["head"], resource_request=resource)
    resource = services.resource_approve(actor=finance_set["vp"], resource_request=resource)
    assert resource.state == "approved"
    assert [a.role for a in resource.approvals.all()] == ["head", "finance", "management"]


def test_a_return_needs_a_reason_and_a_resubmission_starts_over(finance_set, sent):
    resource = ask(finance_set, sent, 20000)
    resource = services.resource_approve(actor=finance_set["head"], resource_request=resource)
    with pytest.raises(ValidationError) as error:
        services.resource_return(actor=finance_set["finance_head"], resource_request=resource, reason=" ")
    assert "reason" in error.value.message_dict
    resource = services.resource_return(actor=finance_set["finance_head"], resource_request=resource,
                                        reason="预算请拆分到两个月")
    assert resource.state == "returned"
    assert OutboxMessage.objects.filter(recipient=finance_set["member"], kind="notice.resource_returned").exists()
    with pytest.raises(ValidationError):
        services.resource_approve(actor=finance_set["head"], resource_request=resource)
    resource = services.resource_resubmit(actor=finance_set["member"], resource_request=resource,
                                          data={"budget_amount": Decimal(9000)}, version=resource.version)
    assert resource.round == 2 and resource.chain == ["head"] and resource.state == "in_approval"


def test_the_head_asking_skips_their_own_step_and_bad_input_names_the_field(finance_set, sent):
    resource = ask(finance_set, sent, 3000, actor="head")
    assert resource.chain == [] and resource.state == "approved"
    cases = [({"people": [], "budget_amount": 0}, "people"), ({"budget_amount": -1}, "budget_amount"),
             ({"budget_category": ""}, "budget_category"), ({"title": ""}, "title"),
             ({"people": [{"role": "x", "count": 0}]}, "people")]
    for overrides, field in cases:
        data = {"title": "t", "reason": "r", "people": [{"role": "促销员", "count": 1}], "budget_amount": 100,
                "budget_category": "personnel", **overrides}
        with pytest.raises(ValidationError) as error:
            services.resource_request_create(actor=finance_set["member"], request=sent, data=data)
        assert field in error.value.message_dict, (overrides, error.value.message_dict)
    with pytest.raises(PermissionDenied):
        ask(finance_set, sent, 100, actor="outsider")


def test_without_a_finance_department_a_large_budget_is_refused_naming_the_field(parties, sent):
    with pytest.raises(ValidationError) as error:
        ask(parties, sent, 20000)
    assert "budget_amount" in error.value.message_dict


def test_the_form_exports_hold_the_request_and_its_approvals(finance_set, sent):
    resource = ask(finance_set, sent, 20000)
    resource = services.resource_approve(actor=finance_set["head"], resource_request=resource, reason="同意")
    from django.utils import translation
    with translation.override("zh-hans"):
        document = Document(io.BytesIO(exports.resource_docx(resource)))
        workbook = load_workbook(io.BytesIO(exports.resource_xlsx(resource)))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["预算（元）"] == "20,000.00" and "促销员 × 2" in cells["人员（岗位 × 人数，期间）"]
    assert document.tables[1].rows[1].cells[2].text == "已批准"
    values = [row for row in workbook.active.iter_rows(values_only=True) if row and row[0]]
    assert ("标题", "Q3铺货促销人员") in [(r[0], r[1]) for r in values]
