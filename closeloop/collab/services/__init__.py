"""Writes for collaboration requests and their written consensus, one module per family; import from here."""

from .meetings import request_link_meeting, request_plan_meeting
from .memos import memo_amend, memo_create, memo_return, memo_save, memo_sign, memo_submit
from .policy import collab_policy_update
from .requests import (
    escalation_targets,
    receipt_delegate,
    receipt_escalate,
    request_answer,
    request_create,
    request_escalate,
    request_material_add,
    request_refresh_state,
    request_reply,
    request_update,
    request_withdraw,
)
from .resources import (
    approvers_for,
    resource_approve,
    resource_request_create,
    resource_resubmit,
    resource_return,
)

__all__ = [
    "collab_policy_update",
    "approvers_for", "resource_approve", "resource_request_create", "resource_resubmit", "resource_return",
    "memo_amend", "memo_create", "memo_return", "memo_save", "memo_sign", "memo_submit",
    "escalation_targets", "request_link_meeting", "receipt_delegate", "receipt_escalate", "request_answer",
    "request_create",
    "request_escalate", "request_material_add", "request_plan_meeting", "request_refresh_state", "request_reply",
    "request_update", "request_withdraw",
]
