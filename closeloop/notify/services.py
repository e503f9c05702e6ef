"""Writes for the outbox: enqueue a message inside the transaction that causes it; administrators retry
failed messages and hear (in their inbox) when a channel starts failing."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record
from closeloop.notify.allowlist import host_problem, url_problem
from closeloop.notify.models import (
    ROBOT_PLATFORMS,
    AllowedWebhookHost,
    Channel,
    InboxItem,
    Kind,
    NotifyPreference,
    OutboxMessage,
    OutboxState,
    Robot,
)
from closeloop.notify.preferences import CHOOSABLE
from closeloop.notify.rules import alert_period
from closeloop.notify.selectors import departments_managed_by
from closeloop.org.choices import Language, Role
from closeloop.org.models import Person

LINK_HEADER = "X-Closeloop-Link"
ALERT_KIND = "outbox.failing"


def outbox_enqueue(
    *, key, recipient=None, address, kind, subject, body_text, body_html="", attachments=None, headers=None,
    channel=Channel.EMAIL, link="", not_before=None,
):
    """Queue one message for the worker; a key already queued is a no-op that returns the existing row.

    Call it inside the causing transaction: if that rolls back, nothing is sent. `link` leads back to
    the item (SITE_URL + path; an X-Closeloop-Link header is read too). Without `not_before`, a message
    to a recipient waits for the end of their quiet hours, except in the inbox, which is silent.
    """
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    if not_before is None and recipient is not None and channel != Channel.INBOX:
        from closeloop.notify.preferences import next_allowed_time

        not_before = next_allowed_time(recipient, now)
    link = link or (headers or {}).get(LINK_HEADER, "")
    message = OutboxMessage(
        idempotency_key=key, channel=channel, recipient=recipient, address=address, kind=kind,
        subject=subject[:300], body_text=body_text, body_html=body_html or "",
        attachments=list(attachments or []), headers=dict(headers or {}), next_attempt_at=not_before or now,
        link=absolute_link(link)[:500],
    )
    try:
        # A savepoint, so a concurrent insert of the same key does not break the caller's transaction.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=key)
    return message


def absolute_link(path_or_url):
    """SITE_URL + path for a path; a full URL as it is."""
    if not path_or_url or "://" in path_or_url:
        return path_or_url or ""
    return settings.SITE_URL + ("" if path_or_url.startswith("/") else "/") + path_or_url


@transaction.atomic
def outbox_retry(*, actor, message, now=None):
    """Queue a failed (or waiting) message again now, with a fresh count of attempts."""
    if message.state == OutboxState.SENT:
        raise ValidationError({"state": _("This message was delivered; there is nothing to try again.")})
    before = {"state": message.state, "attempts": message.attempts}
    message.state, message.attempts = OutboxState.PENDING, 0
    message.next_attempt_at = now or timezone.now()
    message.save(update_fields=["state", "attempts", "next_attempt_at"])
    audit_record(actor=actor, action="outbox.retry", obj=message, before=before,
                 after={"state": message.state, "attempts": 0})
    return message


@transaction.atomic
def outbox_retry_failed(*, actor, messages, now=None):
    """Queue every failed message of `messages` again now; returns how many."""
    ids = list(messages.filter(state=OutboxState.FAILED).values_list("pk", flat=True))
    if ids:
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now or timezone.now())
        audit_record(actor=actor, action="outbox.retry_failed", object_type="notify.outboxmessage",
                     object_id=f"{len(ids)} failed", after={"ids": ids[:1000]})
    return len(ids)


def organisation_id_of(message):
    """The organisation a message belongs to: its recipient's, or its robot's; None when neither says."""
    if message.recipient_id is not None:
        return message.recipient.organisation_id
    if message.address.startswith("robot:"):
        pk = message.address.removeprefix("robot:")
        return Robot.objects.filter(pk=int(pk) if pk.isdigit() else None).values_list(
            "organisation_id", flat=True).first()
    return None


def outbox_alert_failing(*, message, now):
    """Tell the organisation's administrators, in their inbox and language, that messages are failing on
    `message`'s channel; at most once per channel and period (`rules.alert_period`). Returns the new items.

    The alert is written straight into the inbox, in the transaction that records the failure: it needs no
    delivery of its own (the failing channel may be the one an outbox message would take)."""
    organisation_id = organisation_id_of(message)
    if organisation_id is None:
        return []
    admins = Person.objects.filter(organisation_id=organisation_id, role=Role.ADMIN, is_active=True)
    link = absolute_link(f"{reverse('notify:outbox')}?channel={message.channel}")
    error = message.last_error.splitlines()[0][:300] if message.last_error else "-"
    created = []
    for admin in admins:
        with translation.override(admin.language or settings.LANGUAGE_CODE):
            channel = Channel(message.channel).label if message.channel in Channel.values else message.channel
            title = _("Messages are failing on %(channel)s") % {"channel": channel}
            body = _("Closeloop could not deliver messages on %(channel)s. The last error: %(error)s. "
                     "The outbox page lists what is waiting and what failed, and can try again.") % {
                "channel": channel, "error": error}
        item, new = InboxItem.objects.get_or_create(
            key=f"{ALERT_KIND}:{organisation_id}:{message.channel}:{alert_period(now)}:{admin.pk}",
            defaults={"recipient": admin, "kind": ALERT_KIND, "title": title[:300], "body": body, "link": link})
        if new:
            created.append(item)
    return created


SECRET_REQUIRED = {"dingtalk", "feishu", "webhook"}
PLATFORMS = [value for value, _label in ROBOT_PLATFORMS]


def robot_snapshot(robot):
    """What the audit trail and the API may show: never the URL's token nor the secret."""
    return {"department": robot.department_id, "platform": robot.platform, "name": robot.name,
            "url": robot.url_display, "has_secret": bool(robot.secret), "kinds": list(robot.kinds or []),
            "language": robot.language, "enabled": robot.enabled}


def _url_errors(url, platform, organisation):
    if not url:
        return _("Enter the robot's webhook URL.")
    problem = url_problem(url, organisation)
    if problem:
        return problem
    query = parse_qs(urlsplit(url).query)
    if platform == "dingtalk" and not query.get("access_token"):
        return _("A DingTalk robot's URL ends with ?access_token=…; copy it whole from the robot's settings.")
    if platform == "wecom" and not query.get("key"):
        return _("A WeCom robot's URL ends with ?key=…; copy it whole from the robot's settings.")
    return None


def _apply(robot, data, actor, creating):
    errors = {}
    managed = {d.pk: d for d in departments_managed_by(actor)}
    if "department" in data or creating:
        department = data.get("department")
        if department is None or department.pk not in managed:
            errors["department"] = _("Choose a department whose robots you manage.")
        else:
            robot.department, robot.organisation_id = department, department.organisation_id
    for name in ("platform", "name", "language", "enabled"):
        if name in data:
            setattr(robot, name, data[name])
    if robot.platform not in PLATFORMS:
        errors["platform"] = _("Choose DingTalk, WeCom, Feishu or a signed webhook.")
    robot.name = (robot.name or "").strip()
    if not robot.name:
        errors["name"] = _("Give the robot a name, such as the group it posts to.")
    if robot.language not in Language.values:
        errors["language"] = _("Choose a language the robot writes in.")
    if "kinds" in data or creating:
        kinds = list(dict.fromkeys(data.get("kinds") or []))
        if not kinds or any(k not in Kind.values for k in kinds):
            errors["kinds"] = _("Choose at least one kind of message this robot carries.")
        robot.kinds = kinds
    new_url = (data.get("url") or "").strip()
    if new_url or creating:
        robot.url = new_url
    if new_url or creating or "platform" in data:
        problem = _url_errors(robot.url, robot.platform, actor.organisation)
        if problem:
            errors["url"] = problem
    if data.get("secret"):
        robot.secret = data["secret"].strip()
    if robot.platform in SECRET_REQUIRED and not robot.secret and "platform" not in errors:
        errors["secret"] = _("This platform signs every message: enter the robot's signing secret.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def robot_create(*, actor, data):
    """Set up a department robot; administrators for any department, heads for the ones they lead."""
    if not departments_managed_by(actor):
        raise PermissionDenied(_("Only administrators and department heads set up robots."))
    robot = Robot(organisation=actor.organisation)
    _apply(robot, data, actor, creating=True)
    robot.save()
    audit_record(actor=actor, action="robot.create", obj=robot, after=robot_snapshot(robot))
    return robot


@transaction.atomic
def robot_update(*, actor, robot, data):
    """Change a robot; an empty URL or secret keeps the stored one."""
    before = robot_snapshot(robot)
    _apply(robot, data, actor, creating=False)
    robot.save()
    audit_record(actor=actor, action="robot.update", obj=robot, before=before, after=robot_snapshot(robot))
    return robot


@transaction.atomic
def robot_delete(*, actor, robot):
    audit_record(actor=actor, action="robot.delete", obj=robot, before=robot_snapshot(robot))
    robot.delete()


@transaction.atomic
def robot_send_test(*, actor, robot):
    """Queue a short test post to the robot, in its language, so its settings can be checked end to end."""
    from django.urls import reverse
    from django.utils import translation


    if robot.department_id not in {d.pk for d in departments_managed_by(actor)}:
        raise PermissionDenied
    with translation.override(robot.language):
        subject = _("Test message from Closeloop")
        body = _("%(person)s checks that “%(robot)s” can post to this group.") % {
            "person": actor, "robot": robot.name}
    return outbox_enqueue(
        key=f"robot-test:{robot.pk}:{timezone.now().timestamp()}", channel=robot.platform, address=robot.address,
        kind="notice.test", subject=subject, body_text=body, link=reverse("notify:robots"),
        headers={"Content-Language": robot.language},
    )


@transaction.atomic
def allowed_host_add(*, actor, host, note=""):
    """Allow robots and webhooks to reach `host` although it is inside the network (administrators)."""
    if not actor.is_org_admin:
        raise PermissionDenied(_("Only administrators change the allow-list."))
    host = (host or "").strip().lower().strip("[]")
    problem = host_problem(host)
    if problem:
        raise ValidationError({"host": problem})
    entry, created = AllowedWebhookHost.objects.get_or_create(
        organisation=actor.organisation, host=host, defaults={"note": (note or "").strip()[:200]})
    if created:
        audit_record(actor=actor, action="allowlist.add", obj=entry, after={"host": host, "note": entry.note})
    return entry


@transaction.atomic
def allowed_host_remove(*, actor, entry):
    if not actor.is_org_admin or entry.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("Only administrators change the allow-list."))
    audit_record(actor=actor, action="allowlist.remove", obj=entry, before={"host": entry.host})
    entry.delete()


@transaction.atomic
def preferences_update(*, actor, person, channels=None, quiet_start=None, quiet_end=None):
    """Save one's own channels per kind ({kind: [channel]}, kinds left out keep theirs) and quiet hours."""
    if actor.pk != person.pk:
        raise PermissionDenied(_("Only you change your notification preferences."))
    errors = {}
    preference, _created = NotifyPreference.objects.get_or_create(person=person)
    merged = dict(preference.channels or {})
    for kind, chosen in (channels or {}).items():
        if kind not in Kind.values:
            errors["channels"] = _("Unknown kind of message: %(kind)s.") % {"kind": kind}
            continue
        chosen = list(dict.fromkeys(chosen or []))
        if not chosen:
            errors[f"channels.{kind}"] = _("Choose at least one channel; messages are never dropped.")
        elif any(c not in CHOOSABLE for c in chosen):
            errors[f"channels.{kind}"] = _("Choose among email, inbox, DingTalk, WeCom, Feishu and webhook.")
        merged[kind] = chosen
    if (quiet_start is None) != (quiet_end is None):
        errors["quiet_start" if quiet_start is None else "quiet_end"] = _(
            "Give both ends of the quiet hours, or neither.")
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = _("Quiet hours must end at another time than they start.")
    if errors:
        raise ValidationError(errors)
    preference.channels, preference.quiet_start, preference.quiet_end = merged, quiet_start, quiet_end
    preference.save()
    person._notify_preference_cache = preference
    return preference


@transaction.atomic
def inbox_mark_read(*, actor, item):
    """Mark one of one's own inbox items read (again is a no-op)."""
    if item.recipient_id != actor.pk:
        raise PermissionDenied
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


@transaction.atomic
def inbox_mark_all_read(*, actor):
    """Mark every unread item of one's own inbox read; returns how many."""
    return InboxItem.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def inbox_forget(*, person, paths):
    """Delete the person's inbox items that link to any of these paths (pages they may no longer open)."""
    query = Q()
    for path in paths:
        query |= Q(link__contains=path)
    if not paths:
        return 0
    deleted, _per_model = InboxItem.objects.filter(query, recipient=person).delete()
    return deleted
