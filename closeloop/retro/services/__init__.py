"""Writes for retrospectives and progress sync; import from here."""

from .progress import progress_post, request_change_answer, request_change_ask, request_change_withdraw
from .retros import (
    improvement_add,
    improvement_remove,
    report_acknowledge,
    request_complete,
    retro_policy_update,
    retrospective_plan_meeting,
    retrospective_send,
    retrospective_update,
)

__all__ = [
    "improvement_add", "improvement_remove", "progress_post", "report_acknowledge", "request_change_answer",
    "request_change_ask", "request_change_withdraw", "request_complete", "retro_policy_update",
    "retrospective_plan_meeting", "retrospective_send", "retrospective_update",
]
