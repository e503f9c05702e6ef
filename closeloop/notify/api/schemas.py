"""API shapes for the inbox, preferences and department robots. Robot URLs and secrets are write-only."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class InboxItemOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    read: bool

    @staticmethod
    def resolve_read(obj):
        return obj.read_at is not None


class InboxFilter(Schema):
    unread: bool | None = None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class PreferencesOut(Schema):
    channels: dict[str, list[str]]
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    time_zone: str


class PreferencesIn(Schema):
    channels: dict[str, list[str]] = Field(default_factory=dict, description="{kind: [channel, …]}")
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None


class RobotOut(Schema):
    id: int
    department_id: int
    platform: str
    name: str
    url_display: str = Field(description="The webhook URL with its token masked")
    has_secret: bool
    kinds: list[str]
    language: str
    enabled: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_has_secret(obj):
        return bool(obj.secret)


class RobotIn(Schema):
    department_id: int
    platform: str
    name: str
    url: str = Field(description="Write-only")
    secret: str = Field("", description="Write-only")
    kinds: list[str]
    language: str = "zh-hans"
    enabled: bool = True


class RobotPatch(Schema):
    department_id: int | None = None
    platform: str | None = None
    name: str | None = None
    url: str | None = Field(None, description="Write-only; left out keeps the stored URL")
    secret: str | None = Field(None, description="Write-only; left out keeps the stored secret")
    kinds: list[str] | None = None
    language: str | None = None
    enabled: bool | None = None


OutboxStateFilter = Literal["failed", "pending", "sent", "undelivered", "all"]
ChannelName = Literal["email", "inbox", "dingtalk", "wecom", "feishu", "webhook"]


class OutboxFilter(Schema):
    state: OutboxStateFilter | None = None
    channel: ChannelName | None = None
    recipient: str | None = Field(None, max_length=100, description="Part of a name, username or address.")


class OutboxMessageOut(Schema):
    id: int
    kind: str
    channel: str
    recipient_id: int | None
    recipient_name: str | None
    address: str
    subject: str
    state: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None

    @staticmethod
    def resolve_recipient_name(obj):
        return str(obj.recipient) if obj.recipient_id else None


class OutboxSummaryOut(Schema):
    failed: int
    pending: int
    due: int
    oldest_pending_age_seconds: float | None


class RetryFailedIn(Schema):
    channel: ChannelName | None = None
    recipient: str | None = Field(None, max_length=100)


class RetriedOut(Schema):
    queued: int
