from datetime import datetime

from ninja import Schema


class SyncIn(Schema):
    dry_run: bool = False


class ChangeOut(Schema):
    kind: str
    text: str
    data: dict


class RunOut(Schema):
    id: int
    started_at: datetime
    finished_at: datetime | None
    dry_run: bool
    ok: bool
    error: str
    people_seen: int
    changes: list[ChangeOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
