from datetime import datetime

from ninja import Schema


class ColumnOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    item_id: int
    status: str
    cells: dict[str, str]


class SectionOut(Schema):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class DecisionOut(Schema):
    text: str
    decided_by: str


class SummaryOut(Schema):
    total: int
    closed: int
    open: int
    all_closed: bool


class OutputOut(Schema):
    kind: str
    title: str
    meeting_id: int
    minutes_id: int
    generated_at: datetime | None
    sent_at: datetime | None
    summary: SummaryOut
    sections: list[SectionOut]
    decisions: list[DecisionOut]


class ColumnsIn(Schema):
    """The columns to change (only those the output asks for) and the version they were read at (0 at first)."""

    version: int
    problem: str | None = None
    root_cause: str | None = None
    verification: str | None = None
    milestone: str | None = None
    requested_by: int | None = None
    need: str | None = None
    value: str | None = None
    resources: str | None = None
    priority: int | None = None
    allocation: str | None = None
    goal: str | None = None
    adjustment: str | None = None


class ColumnsOut(Schema):
    item_id: int
    version: int
    problem: str
    root_cause: str
    verification: str
    milestone: str
    requested_by: int | None
    need: str
    value: str
    resources: str
    priority: int | None
    allocation: str
    goal: str
    adjustment: str
    confirmed_by: int | None
    confirmed_at: datetime | None


def output_out(view):
    def rows(section):
        return [{"item_id": r["item"].pk, "status": r["item"].status,
                 "cells": {k: v for k, v in r["values"]}} for r in section.rows]

    return {
        "kind": view.kind, "title": view.title, "meeting_id": view.meeting.pk, "minutes_id": view.minutes.pk,
        "generated_at": view.issued.generated_at if view.issued else None,
        "sent_at": view.issued.sent_at if view.issued else None, "summary": view.summary,
        "sections": [{"key": s.key, "title": s.title, "columns": [{"key": k, "label": lb} for k, lb in s.columns],
                      "rows": rows(s)} for s in view.sections],
        "decisions": [{"text": r["cells"]["decision"], "decided_by": r["cells"]["decided_by"]}
                      for r in view.decisions.rows],
    }


def columns_out(columns):
    return {
        "item_id": columns.item_id, "version": columns.version, "problem": columns.problem,
        "root_cause": columns.root_cause, "verification": columns.verification, "milestone": columns.milestone,
        "requested_by": columns.requested_by_id, "need": columns.need, "value": columns.value,
        "resources": columns.resources, "priority": columns.priority, "allocation": columns.allocation,
        "goal": columns.goal, "adjustment": columns.adjustment, "confirmed_by": columns.confirmed_by_id,
        "confirmed_at": columns.confirmed_at,
    }
