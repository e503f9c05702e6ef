"""Reads for the inbox and the robot settings, with permissions applied: what is not yours is not found."""

from django.http import Http404

from closeloop.notify.models import AllowedWebhookHost, InboxItem, Robot
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
