"""Reads for the inbox and the robot settings, with permissions applied: what is not yours is not found."""

from django.db.models import Count, Min, Q
from django.http import Http404

from closeloop.notify.models import AllowedWebhookHost, InboxItem, OutboxMessage, OutboxState, Robot
from closeloop.org.models import Department


def inbox_for(person):
    """The person's own inbox, newest first."""
    return InboxItem.objects.filter(recipient=person).order_by("-created_at", "-id")


def inbox_item_for(person, pk):
    """One item of the person's own inbox; anyone else's answers 404."""
    item = inbox_for(person).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def unread_count(person):
    return InboxItem.objects.filter(recipient=person, read_at__isnull=True).count()


def departments_managed_by(person):
    """Departments whose robots the person may set up: all of them for an administrator, the departments a
    head leads and their sub-departments for a head, none otherwise."""
    if not person.is_authenticated or person.organisation_id is None:
        return []
    departments = list(Department.objects.filter(organisation_id=person.organisation_id).order_by("name"))
    if person.is_org_admin:
        return departments
    children = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    managed, stack = {}, [d for d in departments if d.head_id == person.pk]
    while stack:
        department = stack.pop()
        if department.pk not in managed:
            managed[department.pk] = department
            stack.extend(children.get(department.pk, []))
    return sorted(managed.values(), key=lambda d: d.name)


def may_manage_robots(person):
    return bool(departments_managed_by(person))


def robots_manageable_by(person, departments=None):
    departments = departments_managed_by(person) if departments is None else departments
    return (Robot.objects.filter(organisation_id=person.organisation_id, department__in=departments)
            .select_related("department"))


def robot_for_user(person, pk):
    """A robot the person may manage; any other answers 404."""
    robot = robots_manageable_by(person).filter(pk=pk).first()
    if robot is None:
        raise Http404
    return robot


def allowed_hosts_of(organisation):
    return AllowedWebhookHost.objects.filter(organisation=organisation)


# --- the outbox, for the organisation's administrators -----------------------------------------------------

UNDELIVERED = (OutboxState.FAILED, OutboxState.PENDING)


def outbox_of(organisation_id):
    """Messages of one organisation: to its people, or to its departments' robots."""
    robot_ids = Robot.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    robots = [f"robot:{pk}" for pk in robot_ids]
    return (OutboxMessage.objects.filter(Q(recipient__organisation_id=organisation_id) | Q(address__in=robots))
            .select_related("recipient"))


def outbox_for(person):
    """The organisation's outbox for its administrators (role administrator / PMO); anyone else: 404."""
    if not person.is_authenticated or not person.is_org_admin or person.organisation_id is None:
        raise Http404
    return outbox_of(person.organisation_id)


def outbox_filtered(messages, *, state="", channel="", recipient=""):
    """`messages` narrowed: state (failed, pending, sent; "undelivered" or "" for failed and pending),
    channel, and a recipient's name, username or address (part of it)."""
    if state in OutboxState.values:
        messages = messages.filter(state=state)
    elif state != "all":
        messages = messages.filter(state__in=UNDELIVERED)
    if channel:
        messages = messages.filter(channel=channel)
    if recipient:
        messages = messages.filter(Q(address__icontains=recipient) | Q(recipient__username__icontains=recipient)
                                   | Q(recipient__display_name__icontains=recipient))
    return messages.order_by("-id")


def outbox_message_for(person, pk):
    """One message of the administrator's organisation; anyone else (or another organisation's message): 404."""
    message = outbox_for(person).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def outbox_summary(messages, *, now):
    """Counts of failed and pending (and due) messages and the oldest pending one's age, in one query."""
    data = messages.aggregate(
        failed=Count("pk", filter=Q(state=OutboxState.FAILED)),
        pending=Count("pk", filter=Q(state=OutboxState.PENDING)),
        due=Count("pk", filter=Q(state=OutboxState.PENDING, next_attempt_at__lte=now)),
        oldest=Min("created_at", filter=Q(state=OutboxState.PENDING)),
    )
    data["oldest_pending_age"] = (now - data["oldest"]) if data["oldest"] else None
    return data


def undelivered_for(person):
    """A person's own messages that failed or are being retried after an error (e.g. a bouncing address)."""
    return (OutboxMessage.objects.filter(recipient_id=person.pk, state__in=UNDELIVERED)
            .exclude(state=OutboxState.PENDING, last_error="").order_by("-id"))
