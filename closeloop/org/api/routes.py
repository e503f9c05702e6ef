"""API for the organisation: who am I, departments, people, projects, policy and personal tokens."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from closeloop.lib.apiutil import api_field_names, in_org, org_of
from closeloop.lib.pagination import CappedCountPagination
from closeloop.org import services
from closeloop.org.api.schemas import (
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    ErrorOut,
    MeOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PolicyIn,
    PolicyOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ProjectPut,
    TokenCreated,
    TokenIn,
    TokenOut,
)
from closeloop.org.models import ApiToken, Department, Person, Project
from closeloop.org.selectors import policy_for

router = Router(tags=["organisation"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request):
    return Person.objects.select_related("department", "organisation").get(pk=request.auth.pk)


# --- Tokens -------------------------------------------------------------------------------

@router.get("/tokens", response=list[TokenOut], tags=["tokens"],
            summary="My API tokens (never their secrets), newest first, paged")
@paginate(CappedCountPagination)
def tokens_list(request):
    return ApiToken.objects.filter(person=request.auth).order_by("-created_at", "-id")


@router.post("/tokens", response={201: TokenCreated, 422: ErrorOut}, tags=["tokens"],
             summary="Create a token; the secret is in this answer only")
def token_create(request, payload: TokenIn):
    token, secret = services.token_create(person=request.auth, name=payload.name, actor=request.auth)
    return 201, {"id": token.pk, "name": token.name, "prefix": token.prefix,
                 "created_at": token.created_at, "secret": secret}


@router.delete("/tokens/{token_id}", response={204: None, 404: ErrorOut}, tags=["tokens"], summary="Revoke a token")
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, person=request.auth)
    services.token_revoke(token=token, actor=request.auth)
    return 204, None


# --- Departments --------------------------------------------------------------------------

def _tree_order(departments):
    """Parents before their children, each with its depth, siblings by name."""
    children = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d)
    known = {d.pk for d in departments}
    ordered = []

    def walk(parent_id, depth):
        for d in sorted(children.get(parent_id, []), key=lambda d: d.name):
            d.depth = depth
            ordered.append(d)
            walk(d.pk, depth + 1)

    walk(None, 0)
    # Orphans (parent outside the list) would otherwise vanish; show them at the top level.
    for d in departments:
        if d.parent_id is not None and d.parent_id not in known:
            d.depth = 0
            ordered.append(d)
            walk(d.pk, 1)
    return ordered


@router.get("/departments", response=list[DepartmentOut], summary="The department tree, parents first")
def departments_list(request):
    org = org_of(request.auth)
    return _tree_order(list(Department.objects.filter(organisation=org).select_related("head")))


def _department_refs(org, data):
    if "parent_id" in data:
        data["parent"] = in_org(Department, org, data.pop("parent_id"), "parent_id")
    if "head_id" in data:
        data["head"] = in_org(Person, org, data.pop("head_id"), "head_id")
    return data


@router.post("/departments", response={201: DepartmentOut, **ERRORS}, summary="Add a department (administrators)")
def department_create(request, payload: DepartmentIn):
    org = org_of(request.auth)
    with api_field_names("parent", "head"):
        department = services.department_create(
            actor=request.auth, organisation=org, data=_department_refs(org, payload.dict()))
    return 201, department


@router.patch("/departments/{department_id}", response={200: DepartmentOut, **ERRORS},
              summary="Change a department (administrators)")
def department_update(request, department_id: int, payload: DepartmentPatch):
    org = org_of(request.auth)
    department = get_object_or_404(Department, pk=department_id, organisation=org)
    with api_field_names("parent", "head"):
        return services.department_update(
            actor=request.auth, department=department,
            data=_department_refs(org, payload.dict(exclude_unset=True)))


# --- People -------------------------------------------------------------------------------

class PeopleFilter(Schema):
    department: int | None = None
    q: str | None = None


@router.get("/people", response=list[PersonOut], summary="People of the organisation")
@paginate(CappedCountPagination)
def people_list(request, filters: Query[PeopleFilter]):
    org = org_of(request.auth)
    qs = Person.objects.filter(organisation=org, is_active=True).select_related("department")
    if filters.department is not None:
        qs = qs.filter(department_id=filters.department)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(first_name__icontains=q)
                       | Q(last_name__icontains=q) | Q(email__icontains=q) | Q(title__icontains=q))
    return qs.order_by("display_name", "username", "id")


@router.get("/people/{person_id}", response={200: PersonOut, 404: ErrorOut}, summary="One person")
def person_get(request, person_id: int):
    org = org_of(request.auth)
    return get_object_or_404(Person.objects.select_related("department"), pk=person_id, organisation=org)


def _person_refs(org, data):
    if "department_id" in data:
        data["department"] = in_org(Department, org, data.pop("department_id"), "department_id")
    return data


@router.post("/people", response={201: PersonOut, **ERRORS}, summary="Add a person (administrators)")
def person_create(request, payload: PersonIn):
    org = org_of(request.auth)
    data = payload.dict()
    password = data.pop("password", None)
    with api_field_names("department"):
        person = services.person_create(
            actor=request.auth, organisation=org, data=_person_refs(org, data), password=password)
    return 201, person


@router.patch("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="Change a person (administrators)")
def person_update(request, person_id: int, payload: PersonPatch):
    org = org_of(request.auth)
    person = get_object_or_404(Person, pk=person_id, organisation=org)
    with api_field_names("department"):
        return services.person_update(
            actor=request.auth, person=person, data=_person_refs(org, payload.dict(exclude_unset=True)))


# --- Projects -----------------------------------------------------------------------------

@router.get("/projects", response=list[ProjectOut], summary="Projects of the organisation, by name (paged)")
@paginate(CappedCountPagination)
def projects_list(request):
    org = org_of(request.auth)
    return Project.objects.filter(organisation=org).select_related("department", "lead").prefetch_related(
        "departments", "members").order_by("name", "id")


@router.get("/projects/{project_id}", response={200: ProjectOut, 404: ErrorOut},
            summary="A project with its departments, members and version")
def project_get(request, project_id: int):
    return get_object_or_404(Project.objects.prefetch_related("departments", "members").select_related(
        "department", "lead"), pk=project_id, organisation=org_of(request.auth))


def _project_refs(org, data):
    for many, model, name in (("department_ids", Department, "departments"), ("member_ids", Person, "members")):
        if many in data:
            data[name] = [in_org(model, org, pk, many) for pk in dict.fromkeys(data.pop(many))]
    if "department_id" in data:
        data["department"] = in_org(Department, org, data.pop("department_id"), "department_id")
    if "lead_id" in data:
        data["lead"] = in_org(Person, org, data.pop("lead_id"), "lead_id")
    return data


@router.post("/projects", response={201: ProjectOut, **ERRORS}, summary="Add a project (administrators)")
def project_create(request, payload: ProjectIn):
    org = org_of(request.auth)
    with api_field_names("department", "lead"):
        project = services.project_create(actor=request.auth, organisation=org,
                                          data=_project_refs(org, payload.dict()))
    return 201, project


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS},
              summary="Change a project (administrators)")
def project_update(request, project_id: int, payload: ProjectPatch):
    org = org_of(request.auth)
    project = get_object_or_404(Project, pk=project_id, organisation=org)
    with api_field_names("department", "lead"):
        return services.project_update(actor=request.auth, project=project,
                                       data=_project_refs(org, payload.dict(exclude_unset=True)))


@router.put("/projects/{project_id}", response={200: ProjectOut, 409: ErrorOut, **ERRORS},
            summary="Replace a project (administrators and its lead); send the version you read")
def project_put(request, project_id: int, payload: ProjectPut):
    org = org_of(request.auth)
    project = get_object_or_404(Project, pk=project_id, organisation=org)
    data = payload.dict()
    version = data.pop("version")
    with api_field_names("department", "lead"):
        services.project_update(actor=request.auth, project=project, data=_project_refs(org, data), version=version)
    return project_get(request, project_id)


# --- Policy -------------------------------------------------------------------------------

@router.get("/policy", response=PolicyOut, tags=["policy"], summary="The organisation's rules")
def policy_get(request):
    return policy_for(org_of(request.auth))


@router.put("/policy", response={200: PolicyOut, 409: ErrorOut, **ERRORS}, tags=["policy"],
            summary="Change rules (administrators); send the version you read")
def policy_put(request, payload: PolicyIn):
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.policy_update(actor=request.auth, organisation=org_of(request.auth), data=data, version=version)
