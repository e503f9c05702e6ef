"""The SMART check of an action item: pure rules on plain data (no ORM), fast enough to run on every keystroke.

`smart_check(draft, ctx)` returns findings, each naming its rule, the field to fix and a message that says
how to fix it. Which findings block (rather than warn) is the organisation's policy, passed in `ctx.modes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from closeloop.smartminutes.rules.due import DueContext, due_in_text, next_working_day

WARN = "warn"
BLOCK = "block"

# Rule name -> the Policy field holding its mode (warn/block).
RULE_MODES = {
    "vague": "smart_vague_mode",
    "task_missing": "smart_missing_mode",
    "owner_missing": "smart_missing_mode",
    "due_missing": "smart_missing_mode",
    "deliverable_missing": "smart_missing_mode",
    "due_before_meeting": "smart_due_mode",
    "due_not_working_day": "smart_due_mode",
    "owner_not_present": "smart_owner_mode",
}
# next_working_day, imported above, is the smart-minutes parser's: one search for the next working day.


@dataclass(frozen=True)
class ItemDraft:
    """What the person typed so far: any of it may still be empty."""

    task: str = ""
    owner_id: int | None = None
    due: dt.date | None = None
    deliverable: str = ""


@dataclass(frozen=True)
class SmartContext:
    """What the check needs to know besides the draft. None means "unknown here": that rule is skipped."""

    meeting_date: dt.date | None = None
    vague_words: list[str] | tuple[str, ...] = ()
    is_working_day: Callable[[dt.date], bool] | None = None
    present_or_informed_ids: set[int] | frozenset[int] | None = None
    modes: dict = field(default_factory=dict)
    # With both, a due phrase typed in the task ("明天提交方案") is read by the smart-minutes parser and offered
    # as the due date when the date field is empty.
    calendar: object | None = None
    meeting_start: dt.datetime | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # WARN or BLOCK
    message: str
    field: str  # the draft's field to fix: task, owner, due or deliverable
    params: dict = field(default_factory=dict)  # e.g. {"word": "尽快"} or {"suggested_due": "2026-06-22"}

    @property
    def blocking(self):
        return self.severity == BLOCK

    def as_dict(self):
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "field": self.field,
                "params": dict(self.params)}


def modes_from_policy(policy) -> dict:
    """rule -> 'warn'|'block' read from a Policy row (or any object with its *_mode attributes)."""
    return {rule: getattr(policy, attr, WARN) for rule, attr in RULE_MODES.items()}


def vague_words_from_text(text: str) -> list[str]:
    """The policy keeps one word per line; blank lines and surrounding spaces do not count."""
    return [w.strip() for w in (text or "").splitlines() if w.strip()]


def find_vague_words(text: str, words) -> list[str]:
    """The listed words found in `text` (case-insensitive substrings), in order of appearance.

    A word found only inside a longer listed word that also matched (看看 inside 再看看) is not
    reported twice.
    """
    haystack = (text or "").casefold()
    if not haystack:
        return []
    taken = [False] * len(haystack)
    found = []
    for word in sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True):
        needle = word.casefold()
        start, first = 0, None
        while (at := haystack.find(needle, start)) >= 0:
            end = at + len(needle)
            if not all(taken[at:end]):
                first = at if first is None else first
                taken[at:end] = [True] * (end - at)
            start = at + 1
        if first is not None:
            found.append((first, word))
    return [w for _at, w in sorted(found)]


def due_from_task(draft, ctx):
    """The date a due phrase in the task names, read on the organisation's calendar; None without one."""
    if ctx.calendar is None or ctx.meeting_start is None or not (draft.task or "").strip():
        return None
    return due_in_text(draft.task, DueContext(ctx.meeting_start, ctx.calendar))


def _finding(ctx, rule, message, field_name, **params):
    return Finding(rule, ctx.modes.get(rule, WARN), message, field_name, params)


def _vague(draft, ctx):
    reported = set()
    for field_name in ("task", "deliverable"):
        for word in find_vague_words(getattr(draft, field_name), ctx.vague_words):
            if word.casefold() in reported:
                continue
            reported.add(word.casefold())
            if field_name == "task":
                message = _("“%(word)s” is vague: say what will be done, by which date, and what is handed over "
                            "(e.g. “submit the Q3 cost report to Finance by 2026-06-20”).") % {"word": word}
            else:
                message = _("“%(word)s” is vague: name something that can be checked "
                            "(a document, a number, a sign-off).") % {"word": word}
            yield _finding(ctx, "vague", message, field_name, word=word)


def _missing(draft, ctx):
    if not (draft.task or "").strip():
        yield _finding(ctx, "task_missing", _("Say what has to be done."), "task")
    if draft.owner_id is None:
        yield _finding(ctx, "owner_missing", _("Name one owner who answers for this item."), "owner")
    if draft.due is None:
        read = due_from_task(draft, ctx)
        if read is None:
            yield _finding(ctx, "due_missing", _("Give a due date."), "due")
        else:
            message = _("Give a due date: “%(phrase)s” in the task reads as %(due)s.") % {
                "phrase": read.phrase, "due": read.date.isoformat()}
            yield _finding(ctx, "due_missing", message, "due", suggested_due=read.date.isoformat(),
                           due_phrase=read.phrase)
    if not (draft.deliverable or "").strip():
        yield _finding(
            ctx, "deliverable_missing",
            _("Say what is delivered and how it is accepted (e.g. “cost report approved by Finance”)."),
            "deliverable")


def _due(draft, ctx):
    if draft.due is None:
        return
    if ctx.meeting_date is not None and draft.due < ctx.meeting_date:
        yield _finding(
            ctx, "due_before_meeting",
            _("The due date %(due)s is before the meeting (%(meeting)s): choose a later date.")
            % {"due": draft.due.isoformat(), "meeting": ctx.meeting_date.isoformat()},
            "due", meeting_date=ctx.meeting_date.isoformat())
    if ctx.is_working_day is not None and not ctx.is_working_day(draft.due):
        suggestion = next_working_day(draft.due, ctx.is_working_day)
        if suggestion is not None:
            message = _("%(due)s is not a working day: the next working day is %(next)s.") % {
                "due": draft.due.isoformat(), "next": suggestion.isoformat()}
        else:
            message = _("%(due)s is not a working day: choose a working day.") % {"due": draft.due.isoformat()}
        yield _finding(ctx, "due_not_working_day", message, "due",
                       suggested_due=suggestion.isoformat() if suggestion else None)


def _owner(draft, ctx):
    if draft.owner_id is None or ctx.present_or_informed_ids is None:
        return
    if draft.owner_id not in ctx.present_or_informed_ids:
        yield _finding(
            ctx, "owner_not_present",
            _("The owner is neither present nor informed: confirm the item with them, or invite them "
              "as informed so they receive the minutes."),
            "owner")


def smart_check(draft: ItemDraft, ctx: SmartContext) -> list[Finding]:
    """Every finding for this draft: vague words, missing parts, a bad due date, an owner who does not know."""
    findings = []
    for rule in (_vague, _missing, _due, _owner):
        findings.extend(rule(draft, ctx))
    return findings


def blocking_errors(findings, fields=None) -> dict:
    """{field: [messages]} of the blocking findings (only for `fields` when given), for a ValidationError."""
    errors = {}
    for f in findings:
        if f.blocking and (fields is None or f.field in fields):
            errors.setdefault(f.field, []).append(f.message)
    return errors


# The state machine of an item. Done and cancelled are final; a delayed item may be delayed again
# (a further revised date, with its own reason).
TRANSITIONS = {
    "not_started": frozenset({"in_progress", "done", "delayed", "cancelled"}),
    "in_progress": frozenset({"done", "delayed", "cancelled"}),
    "delayed": frozenset({"in_progress", "done", "delayed", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
FINAL_STATUSES = frozenset({"done", "cancelled"})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, ())


# The follow-up meeting's review topic: about two minutes per open item, within the policy's bounds.
REVIEW_MINUTES_PER_ITEM = 2


def review_topic_minutes(open_items: int, minimum: int, maximum: int) -> int:
    """Minutes for "review open action items": 2 per item, at least `minimum`, at most `maximum`."""
    low, high = min(minimum, maximum), max(minimum, maximum)
    return max(low, min(high, open_items * REVIEW_MINUTES_PER_ITEM)) or 1
