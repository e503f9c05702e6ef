from datetime import datetime

from ninja import Field, Schema

from closeloop.lib.pagination import EMBEDDED


class SyncIn(Schema):
    dry_run: bool = False


class ChangeOut(Schema):
    kind: str
    text: str = Field(..., description="The change in a sentence, in your language.")
    data: dict = Field(..., description="The change as the run recorded it (its kind, whom and what it names).")

    @staticmethod
    def resolve_data(obj):
        return obj


class RunOut(Schema):
    id: int
    started_at: datetime
    finished_at: datetime | None
    dry_run: bool
    ok: bool
    error: str
    people_seen: int
    changes: list[ChangeOut] = Field(..., description=(
        f"The first {EMBEDDED} changes, in the order the run made them; "
        "all of them: GET /directory/runs/{id}/changes."))
    changes_count: int = Field(..., description="How many changes the run made (or, for a dry run, would make).")
    changes_more: bool = Field(..., description="true when the run made more changes than those in `changes`.")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
