"""Writes of the directory: one person taken from their entry, and the whole sync with its leavers and movers.

Nothing is deleted: a leaver is deactivated, a mover keeps their history (items keep the department they were
raised in; new ones follow the person's new department).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from closeloop.audit.services import audit_record
from closeloop.org.models import Department, Person
from closeloop.org.selectors import organisation_default

from . import ldapdir, rules
from .handover import open_work_of, person_left
from .models import DirectoryAccount, DirectoryDepartment, SyncRun

MAX_NAME = 200


class _Changes(list):
    def add(self, kind, **detail):
        self.append({"kind": kind, **detail})


def _department_for_path(organisation, path, changes, cache=None):
    """The department at this path of units, created (with its parents) when the directory has a new one.

    `cache` (one sync run's dict) remembers each path once it is checked, so a department costs its queries once.
    """
    parent = None
    for depth in range(1, len(path) + 1):
        key = f"{organisation.pk}:" + "/".join(path[:depth])
        if cache is not None and key in cache:
            parent = cache[key]
            continue
        link = DirectoryDepartment.objects.select_related("department").filter(key=key).first()
        if link is not None:
            department = link.department
            if department.parent_id != (parent.pk if parent else None):
                department.parent = parent
                department.save(update_fields=["parent"])
                changes.add("department_moved", department=department.name, parent=parent.name if parent else "")
        else:
            name = path[depth - 1][:MAX_NAME]
            department = (Department.objects.filter(organisation=organisation, name=name, directory_entry=None)
                          .first())
            if department is None:
                if Department.objects.filter(organisation=organisation, name=name).exists():
                    name = "/".join(path[:depth])[:MAX_NAME]  # 综合组 under two departments: keep both apart
                department = Department.objects.create(organisation=organisation, name=name, parent=parent)
                audit_record(actor=None, action="department.create", obj=department,
                             after={"name": name, "parent": parent.pk if parent else None, "source": "directory"})
                changes.add("department_created", department=name, parent=parent.name if parent else "")
            elif department.parent_id != (parent.pk if parent else None):
                department.parent = parent
                department.save(update_fields=["parent"])
            DirectoryDepartment.objects.create(department=department, key=key)
        if cache is not None:
            cache[key] = department
        parent = department
    return parent


PERSON_SAVED = ["organisation_id", "email", "display_name", "title", "department_id", "role", "is_staff", "is_active"]


def person_apply_entry(*, person, entry, organisation, changes=None, heads_a_department=None, cache=None):
    """Take name, e-mail, title, department and role from the person's directory entry; returns the changes.

    A sync passes `cache` (its departments and directory accounts, loaded once) and marks everyone seen in one
    update at the end; a sign-in passes nothing. Nothing is written for a person whose entry did not change.
    """
    changes = _Changes() if changes is None else changes
    created = person.pk is None
    saved_before = [getattr(person, f) for f in PERSON_SAVED]
    before = {"email": person.email, "display_name": person.display_name, "title": person.title,
              "department": person.department.name if person.department_id else "", "role": person.role,
              "is_active": person.is_active}
    department = (_department_for_path(organisation, entry.department_path, changes,
                                       None if cache is None else cache["departments"])
                  if entry.department_path else None)
    if heads_a_department is None:
        heads_a_department = Department.objects.filter(head=person).exists() if person.pk else False
    if person.organisation_id is None:
        person.organisation = organisation
    person.email = entry.email or person.email
    person.display_name = (entry.display_name or person.display_name)[:100]
    person.title = (entry.title or person.title)[:100]
    if department is not None:
        person.department = department
    groups_decide_admins = bool(settings.LDAP_ADMIN_GROUP or settings.LDAP_PMO_GROUP)
    if not person.is_superuser and (groups_decide_admins or person.role != rules.ADMIN):
        # Without an administrator or PMO group the directory says nothing about administrators: keep them.
        person.role = rules.role_for(entry.groups, admin_group=settings.LDAP_ADMIN_GROUP,
                                     pmo_group=settings.LDAP_PMO_GROUP, heads_a_department=heads_a_department)
    if not person.is_superuser and settings.LDAP_ADMIN_GROUP:
        person.is_staff = rules.is_staff_for(entry.groups, admin_group=settings.LDAP_ADMIN_GROUP)
    if cache is not None:
        account = cache["accounts"].get(person.pk)
    else:
        account = DirectoryAccount.objects.filter(person=person).first() if person.pk else None
    # Back in the directory after the sync deactivated them: active again. Deactivated by an administrator
    # in Closeloop: that decision stands until an administrator reverses it.
    if created or (account is not None and account.deactivated_at is not None):
        person.is_active = True
    if created:
        person.set_unusable_password()  # they sign in with the directory's password
    if created or saved_before != [getattr(person, f) for f in PERSON_SAVED]:
        person.save()
    after = {"email": person.email, "display_name": person.display_name, "title": person.title,
             "department": department.name if department else before["department"], "role": person.role,
             "is_active": person.is_active}
    if account is None or cache is None or account.dn != entry.dn or account.deactivated_at is not None:
        account = account or DirectoryAccount(person=person)
        account.dn, account.last_seen_at, account.deactivated_at = entry.dn, timezone.now(), None
        account.save()
    if created:
        changes.add("person_created", person=person.username, name=person.display_name, department=after["department"])
        audit_record(actor=None, action="person.create", obj=person, after={**after, "source": "directory"})
        return changes
    differing = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if "department" in differing:
        changes.add("person_moved", person=person.username, before=before["department"], after=after["department"])
    if not before["is_active"] and person.is_active:
        changes.add("person_reactivated", person=person.username)
    rest = {k: v for k, v in differing.items() if k not in ("department", "is_active")}
    if rest:
        changes.add("person_updated", person=person.username, fields=rest)
    if differing:
        audit_record(actor=None, action="person.update", obj=person, before=before,
                     after={**after, "source": "directory"})
    return changes


def person_deactivate(*, person, actor=None, changes=None):
    """Deactivate a leaver at once (sign-in, API tokens, feed and sign-off links stop); list their open work."""
    changes = _Changes() if changes is None else changes
    work = open_work_of(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    DirectoryAccount.objects.filter(person=person).update(deactivated_at=timezone.now())
    head = person.department.head if person.department_id and person.department.head_id != person.pk else None
    changes.add("person_deactivated", person=person.username, name=str(person),
                head=head.username if head else "",
                open_work=[{"kind": w.kind, "label": w.label, "url": w.url} for w in work])
    audit_record(actor=actor, action="person.deactivate", obj=person, before={"is_active": True},
                 after={"is_active": False, "source": "directory", "open_work": len(work)})
    transaction.on_commit(lambda: person_left.send(sender=Person, person=person, head=head, open_work=work))
    return changes


def _sync_people(organisation, entries, changes):
    heads = rules.elect_heads(entries, head_group=settings.LDAP_HEAD_GROUP)
    heading = set(heads.values())
    active = sorted((e for e in entries if not e.disabled), key=lambda e: e.username)
    present = {e.username for e in active}
    known = {p.username: p for p in Person.objects.filter(username__in=present).select_related("department")}
    cache = {"departments": {}, "accounts": {
        a.person_id: a for a in DirectoryAccount.objects.filter(person__username__in=present)}}
    for entry in active:
        person = known.get(entry.username)
        if person is not None and person.organisation_id not in (None, organisation.pk):
            continue  # someone of another organisation on the same server keeps their own record
        person = person or Person(username=entry.username)
        person_apply_entry(person=person, entry=entry, organisation=organisation, changes=changes,
                           heads_a_department=entry.username in heading, cache=cache)
    DirectoryAccount.objects.filter(person__organisation=organisation, person__username__in=present).update(
        last_seen_at=timezone.now())
    for path, username in sorted(heads.items()):
        if username not in present:
            continue
        department = _department_for_path(organisation, path, changes, cache["departments"])
        head = Person.objects.get(username=username)
        if department.head_id != head.pk:
            previous = department.head
            department.head = head
            department.save(update_fields=["head"])
            audit_record(actor=None, action="department.update", obj=department,
                         before={"head": previous.pk if previous else None}, after={"head": head.pk})
            changes.add("department_head", department=department.name, person=username,
                        before=previous.username if previous else "")
    leavers = (Person.objects.filter(organisation=organisation, is_active=True, directory_account__isnull=False)
               .exclude(username__in=present).select_related("department__head").order_by("username"))
    for person in leavers:
        person_deactivate(person=person, changes=changes)


class _DryRun(Exception):
    pass


def directory_sync(*, organisation=None, dry_run=False, actor=None, entries=None):
    """Read the directory and bring people, departments and heads in line; a dry run only reports.

    Every change is applied in one transaction; a dry run applies them too and rolls back, so what it reports is
    exactly what a real run would do. The run and its changes are kept either way.
    """
    organisation = organisation or organisation_default()
    run = SyncRun(organisation=organisation, started_at=timezone.now(), dry_run=dry_run,
                  started_by=actor if actor is not None and actor.is_authenticated else None)
    changes = _Changes()
    try:
        entries = ldapdir.read_people() if entries is None else entries
        run.people_seen = sum(1 for e in entries if not e.disabled)
        if not run.people_seen:
            # An empty answer is a wrong base or filter far more often than an empty company: deactivate nobody.
            raise ldapdir.DirectoryError("the directory returned nobody; check LDAP_USER_BASE and LDAP_USER_FILTER")
        with transaction.atomic():
            _sync_people(organisation, entries, changes)
            if dry_run:
                raise _DryRun
    except _DryRun:
        run.ok = True
    except ldapdir.DirectoryError as exc:
        run.error = str(exc)
        changes = _Changes()
    else:
        run.ok = True
    run.changes = list(changes)
    run.finished_at = timezone.now()
    run.save()
    return run
