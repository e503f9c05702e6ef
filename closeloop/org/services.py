"""Writes for the organisation: API tokens, the policy, departments, people and projects.

Each is one transaction, checks permission and writes the audit row; pages, the API and
commands call these and never write the models directly.
"""

import zoneinfo
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closeloop.audit.services import audit_record, snapshot
from closeloop.lib.errors import Conflict
from closeloop.org.choices import Language, Role, RuleMode
from closeloop.org.models import ApiToken, Department, Person, Policy, Project
from closeloop.org.rules import policy_errors
from closeloop.org.selectors import policy_for

TOKEN_AUDIT_FIELDS = ["person", "name", "prefix", "revoked_at"]
PERSON_FIELDS = ["display_name", "email", "department", "title", "role", "language", "time_zone", "is_active"]
PROJECT_FIELDS = ["name", "department", "lead"]
PROJECT_SETS = ["departments", "members"]
DEPARTMENT_FIELDS = ["name", "parent", "head"]


def _require_admin(actor):
    if actor is not None and not actor.is_org_admin:
        raise PermissionDenied(_("Only administrators can change this."))


def _same_org(organisation, **objects):
    for field, obj in objects.items():
        if obj is not None and getattr(obj, "organisation_id", None) != organisation.pk:
            raise ValidationError({field: _("Choose one of your organisation's entries.")})


# --- API tokens ---------------------------------------------------------------------------

@transaction.atomic
def token_create(*, person, name, actor=None):
    """A new personal token; returns (token, secret). Only the hash is kept: show the secret now or never."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    if actor is not None and actor.pk != person.pk:
        _require_admin(actor)
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(person=person, name=name, prefix=secret[:11], digest=ApiToken.hash(secret))
    audit_record(actor=actor or person, action="token.create", obj=token,
                 after=snapshot(token, fields=TOKEN_AUDIT_FIELDS))
    return token, secret


@transaction.atomic
def token_revoke(*, token, actor=None):
    """Revoke a token at once; its next request answers 401. Revoking twice changes nothing."""
    if actor is not None and actor.pk != token.person_id:
        _require_admin(actor)
    if token.revoked_at is not None:
        return token
    before = snapshot(token, fields=TOKEN_AUDIT_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor or token.person, action="token.revoke", obj=token, before=before,
                 after=snapshot(token, fields=TOKEN_AUDIT_FIELDS))
    return token


# --- Policy -------------------------------------------------------------------------------

class PolicyFields(NamedTuple):
    numbers: list
    modes: list
    texts: list  # free text such as the vague words (one per line), checked for length only
    labels: dict


def policy_fields():
    """The policy's rules read from the model: numbers, warn/block modes, texts, and their labels."""
    fields = PolicyFields([], [], [], {})
    for f in Policy._meta.concrete_fields:
        if f.name in ("id", "organisation", "version"):
            continue
        fields.labels[f.name] = str(f.verbose_name)
        if f.choices == RuleMode.choices:
            fields.modes.append(f.name)
        elif isinstance(f, models.IntegerField):
            fields.numbers.append(f.name)
        elif isinstance(f, (models.TextField, models.CharField)):
            fields.texts.append(f.name)
    return fields


@transaction.atomic
def policy_update(*, actor, organisation, data, version=None):
    """Change some of the organisation's rules. Refused from a stale copy; every value is checked."""
    _require_admin(actor)
    policy_for(organisation)
    policy = Policy.objects.select_for_update().get(organisation=organisation)
    if version is not None and int(version) != policy.version:
        raise Conflict(
            _("Someone else changed the policy while you were editing it. "
              "Your changes were not saved; reload to see theirs, then apply yours again."),
            current_version=policy.version,
        )
    fields = policy_fields()
    known = fields.numbers + fields.modes + fields.texts
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValidationError({unknown[0]: _("There is no such rule.")})
    before = snapshot(policy)
    values = {f: getattr(policy, f) for f in known}
    values.update(data)
    errors = policy_errors(values, fields.numbers, fields.modes, fields.labels, fields.texts)
    if errors:
        raise ValidationError(errors)
    changed = [f for f in data if getattr(policy, f) != data[f]]
    if not changed:
        return policy
    for field in changed:
        setattr(policy, field, data[field])
    policy.version += 1
    policy.save()
    organisation._state.fields_cache["policy"] = policy  # later reads in this request see the change
    audit_record(actor=actor, action="policy.update", obj=policy, before=before, after=snapshot(policy))
    return policy


# --- Departments --------------------------------------------------------------------------

def _check_department(department):
    _same_org(department.organisation, parent=department.parent, head=department.head)
    if not (department.name or "").strip():
        raise ValidationError({"name": _("Enter a name.")})
    # Walk up from the new parent: meeting ourselves means the tree would become a loop.
    seen, node = set(), department.parent
    while node is not None and department.pk is not None:
        if node.pk == department.pk or node.pk in seen:
            raise ValidationError({"parent": _("A department cannot sit below itself.")})
        seen.add(node.pk)
        node = node.parent
    clash = Department.objects.filter(organisation=department.organisation, name=department.name.strip())
    if clash.exclude(pk=department.pk).exists():
        raise ValidationError({"name": _("There is already a department with this name.")})
    department.name = department.name.strip()


def _save_checked(*, actor, obj, fields, data, check, action):
    """Apply `data` to an organisation entry, check it, save it and audit the change (one shared write path)."""
    _require_admin(actor)
    before = snapshot(obj) if obj.pk else None
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])
    check(obj)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))
    return obj


@transaction.atomic
def department_create(*, actor, organisation, data):
    return _save_checked(actor=actor, obj=Department(organisation=organisation), fields=DEPARTMENT_FIELDS,
                         data=data, check=_check_department, action="department.create")


@transaction.atomic
def department_update(*, actor, department, data):
    return _save_checked(actor=actor, obj=department, fields=DEPARTMENT_FIELDS, data=data,
                         check=_check_department, action="department.update")


# --- Projects -----------------------------------------------------------------------------

def _check_project(project):
    _same_org(project.organisation, department=project.department, lead=project.lead)
    project.name = (project.name or "").strip()
    if not project.name:
        raise ValidationError({"name": _("Enter a name.")})


def _project_snapshot(project):
    data = snapshot(project, fields=["name", "department", "lead"])
    if project.pk:
        data["departments"] = sorted(project.departments.values_list("pk", flat=True))
        data["members"] = sorted(project.members.values_list("pk", flat=True))
    return data


def _save_project(*, actor, project, data, action, version=None):
    """Fields, then the participating departments and members (all of the organisation), one audit row. A change
    from a stale copy (`version` not the stored one) is refused."""
    if project.pk:
        project.version = Project.objects.select_for_update().values_list("version", flat=True).get(pk=project.pk)
        if version is not None and int(version) != project.version:
            raise Conflict(_("Someone else changed this project while you were editing it. Your changes were not "
                             "saved; reload to see theirs, then apply yours again."),
                           current_version=project.version)
        project.version += 1
    before = _project_snapshot(project) if project.pk else None
    for field in PROJECT_FIELDS:
        if field in data:
            setattr(project, field, data[field])
    _check_project(project)
    for field in PROJECT_SETS:
        if field in data:
            _same_org(project.organisation, **{field: next((o for o in data[field]
                                                            if o.organisation_id != project.organisation_id), None)})
    project.full_clean()
    project.save()
    for field in PROJECT_SETS:
        if field in data:
            getattr(project, field).set(data[field])
    audit_record(actor=actor, action=action, obj=project, before=before, after=_project_snapshot(project))
    return project


@transaction.atomic
def project_create(*, actor, organisation, data):
    _require_admin(actor)
    return _save_project(actor=actor, project=Project(organisation=organisation), data=data,
                         action="project.create")


@transaction.atomic
def project_update(*, actor, project, data, version=None):
    """Administrators, and the project's lead for their own project; `version` is the one the change was made on."""
    if actor is not None and not (actor.is_org_admin or project.lead_id == actor.pk):
        raise PermissionDenied(_("Only administrators and the project's lead can change this project."))
    return _save_project(actor=actor, project=project, data=data, action="project.update", version=version)


# --- People -------------------------------------------------------------------------------

def _person_snapshot(person):
    return snapshot(person, fields=["username", *PERSON_FIELDS])


def _check_person(person):
    _same_org(person.organisation, department=person.department)
    if person.role not in Role.values:
        raise ValidationError({"role": _("Choose admin, head or member.")})
    if person.time_zone and person.time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone; use a name like Asia/Shanghai.")})


@transaction.atomic
def person_create(*, actor, organisation, data, password=None):
    """Add a person; without a password they cannot sign in until one is set."""
    _require_admin(actor)
    person = Person(organisation=organisation, username=(data.get("username") or "").strip())
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    if not person.username:
        raise ValidationError({"username": _("Enter a user name.")})
    if Person.objects.filter(username=person.username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    _check_person(person)
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"username": _("This user name is taken.")}) from None
    audit_record(actor=actor, action="person.create", obj=person, after=_person_snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor, person, data):
    _require_admin(actor)
    before = _person_snapshot(person)
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    _check_person(person)
    # An administrator who locks themselves out leaves nobody to undo it.
    if actor is not None and actor.pk == person.pk and not actor.is_superuser:
        if not person.is_active:
            raise ValidationError({"is_active": _("You cannot deactivate yourself.")})
        if person.role != Role.ADMIN:
            raise ValidationError({"role": _("You cannot remove your own administrator role.")})
    person.full_clean(exclude=["password"])
    person.save()
    audit_record(actor=actor, action="person.update", obj=person, before=before, after=_person_snapshot(person))
    return person

PREFERENCE_FIELDS = ["language", "time_zone"]


@transaction.atomic
def person_preferences_update(*, actor, language, time_zone=""):
    """Set the signed-in person's language and time zone (empty: the organisation's)."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    time_zone = (time_zone or "").strip()
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone; use a name like Asia/Shanghai.")})
    before = snapshot(actor, fields=PREFERENCE_FIELDS)
    if (actor.language, actor.time_zone) == (language, time_zone):
        return actor
    actor.language, actor.time_zone = language, time_zone
    actor.save(update_fields=PREFERENCE_FIELDS)
    audit_record(actor=actor, action="person.preferences", obj=actor, before=before,
                 after=snapshot(actor, fields=PREFERENCE_FIELDS))
    return actor
