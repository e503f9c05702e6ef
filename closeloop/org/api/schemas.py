"""API shapes for the organisation: people, departments, projects, policy, tokens."""

import datetime as dt
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, create_model, field_validator

from closeloop.org.choices import Language, Role, RuleMode
from closeloop.org.models import Policy


class PersonRef(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class DepartmentRef(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    time_zone: str
    country: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    display_name: str
    email: str
    title: str
    role: str
    is_org_admin: bool
    language: str
    time_zone: str
    department: DepartmentRef | None
    organisation: OrganisationOut | None

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class PersonOut(Schema):
    id: int
    username: str
    name: str
    display_name: str
    email: str
    title: str
    role: str
    is_active: bool
    department: DepartmentRef | None

    @staticmethod
    def resolve_name(obj):
        return str(obj)


def _not_blank(value):
    if value is not None and not value.strip():
        raise ValueError(_("Enter more than spaces."))
    return value.strip() if value is not None else value


def no_null(value):
    """For PATCH fields that may be left out but not set to null."""
    if value is None:
        raise ValueError(_("This field may not be null."))
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]


class PersonIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    display_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    title: str = Field("", max_length=100)
    role: Role = Role.MEMBER
    language: Language = Language.ZH_HANS
    time_zone: str = Field("", max_length=64)
    department_id: int | None = None
    password: str | None = Field(None, min_length=8, max_length=128)


class PersonPatch(Schema):
    display_name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    title: str | None = Field(None, max_length=100)
    role: Role | None = None
    language: Language | None = None
    time_zone: str | None = Field(None, max_length=64)
    department_id: int | None = None
    is_active: bool | None = None

    # May be left out but not set to null (department_id may: no department).
    _no_null = field_validator("display_name", "email", "title", "role", "language", "time_zone", "is_active")(
        no_null)


class DepartmentOut(Schema):
    id: int
    name: str
    parent_id: int | None
    head: PersonRef | None
    depth: int = 0


class DepartmentIn(Schema):
    name: NonBlank = Field(..., min_length=1, max_length=200)
    parent_id: int | None = None
    head_id: int | None = None


class DepartmentPatch(Schema):
    name: NonBlank | None = Field(None, min_length=1, max_length=200)
    parent_id: int | None = None
    head_id: int | None = None

    _no_null = field_validator("name")(no_null)


class ProjectOut(Schema):
    id: int
    name: str
    department: DepartmentRef | None = Field(description="The lead department.")
    lead: PersonRef | None
    departments: list[DepartmentRef] = Field(description="The participating departments.")
    members: list[PersonRef] = Field(description="Invited together to the project's meetings.")
    version: int = Field(description="Send it back with PUT; a change from an older copy answers 409.")

    @staticmethod
    def resolve_departments(obj):
        return sorted(obj.departments.all(), key=lambda d: d.name)

    @staticmethod
    def resolve_members(obj):
        return sorted(obj.members.all(), key=lambda p: p.pk)


class ProjectIn(Schema):
    name: NonBlank = Field(..., min_length=1, max_length=200)
    department_id: int | None = None
    lead_id: int | None = None


class ProjectPut(Schema):
    """The whole project as it should be; `version` is the one read."""

    name: NonBlank = Field(..., min_length=1, max_length=200)
    department_id: int | None = None
    lead_id: int | None = None
    department_ids: list[int] = Field(default_factory=list, description="The participating departments.")
    member_ids: list[int] = Field(default_factory=list, description="The members.")
    version: int


class ProjectPatch(Schema):
    name: NonBlank | None = Field(None, min_length=1, max_length=200)
    department_id: int | None = None
    lead_id: int | None = None

    _no_null = field_validator("name")(no_null)


class TokenIn(Schema):
    name: NonBlank = Field(..., min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    secret: str = Field(..., description="Shown only in this answer; store it now.")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
    current_version: int | None = None


def _policy_schemas():
    """PolicyOut and PolicyIn from the model, so a new rule appears in the API without edits here."""
    from django.db import models

    out_fields, in_fields = {"version": (int, ...)}, {"version": (int, Field(..., description=(
        "The version you read; a stale one answers 409 with current_version.")))}
    for f in Policy._meta.concrete_fields:
        if f.name in ("id", "organisation", "version"):
            continue
        if f.choices == RuleMode.choices:
            kind = Literal["warn", "block"]
        elif isinstance(f, models.IntegerField):
            kind = int
        elif isinstance(f, models.BooleanField):
            kind = bool
        else:
            kind = str
        description = str(f.verbose_name)
        out_fields[f.name] = (kind, Field(..., description=description))
        in_fields[f.name] = (kind | None, Field(None, description=description))
    out = create_model("PolicyOut", __base__=Schema, **out_fields)
    inp = create_model("PolicyIn", __base__=Schema, **in_fields)
    return out, inp


PolicyOut, PolicyIn = _policy_schemas()
