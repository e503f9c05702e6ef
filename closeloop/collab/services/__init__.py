"""Writes for collaboration requests and their written consensus, one module per family; import from here."""

from .meetings import request_plan_meeting
from .memos import memo_amend, memo_create, memo_return, memo_save, memo_sign, memo_submit
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

__all__ = [
    "memo_amend", "memo_create", "memo_return", "memo_save", "memo_sign", "memo_submit",
    "escalation_targets", "receipt_delegate", "receipt_escalate", "request_answer", "request_create",
    "request_escalate", "request_material_add", "request_plan_meeting", "request_refresh_state", "request_reply",
    "request_update", "request_withdraw",
]
