"""The organisation through the API: me, the department tree, people, projects; administrators write."""

import pytest

from closeloop.audit.models import AuditEntry
from closeloop.conftest import make_person
from closeloop.org.models import Department, Organisation, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client, people):
    client.force_login(people["admin"])
    return client


@pytest.fixture
def as_member(client, people):
    client.force_login(people["member"])
    return client


def test_me_tells_who_i_am_with_department_and_organisation(as_member, people):
    me = as_member.get("/api/v1/me").json()
    assert me["username"] == "member" and me["name"] == "王销售" and me["language"] == "en"
    assert me["department"]["name"] == "销售部"
    assert me["organisation"]["time_zone"] == "Asia/Shanghai"
    assert me["is_org_admin"] is False


def test_departments_come_as_a_tree_parents_first_with_their_heads(as_member, people, org):
    sales = people["departments"]["sales"]
    east = Department.objects.create(organisation=org, name="华东销售", parent=sales)
    Department.objects.create(organisation=org, name="上海组", parent=east)
    other_org = Organisation.objects.create(name="别家")
    Department.objects.create(organisation=other_org, name="外部门")
    rows = as_member.get("/api/v1/departments").json()
    names = [r["name"] for r in rows]
    assert "外部门" not in names
    assert names.index("销售部") < names.index("华东销售") < names.index("上海组")
    by_name = {r["name"]: r for r in rows}
    assert by_name["上海组"]["parent_id"] == east.pk and by_name["上海组"]["depth"] == 2
    assert by_name["销售部"]["head"]["username"] == "head"
    assert by_name["财务部"]["head"] is None


def test_people_are_paginated_and_filtered_by_department_and_text(as_member, people, org):
    sales = people["departments"]["sales"]
    for i in range(12):
        make_person(org, f"sales{i:02d}", sales, name=f"销售员{i:02d}")
    first = as_member.get("/api/v1/people", {"page_size": 5}).json()
    assert first["count"] == 6 + 12 and len(first["items"]) == 5
    last = as_member.get("/api/v1/people", {"page_size": 5, "page": 4}).json()
    assert len(last["items"]) == 3
    in_sales = as_member.get("/api/v1/people", {"department": sales.pk, "page_size": 100}).json()
    assert in_sales["count"] == 14
    assert {p["department"]["id"] for p in in_sales["items"]} == {sales.pk}
    found = as_member.get("/api/v1/people", {"q": "销售员07"}).json()
    assert [p["username"] for p in found["items"]] == ["sales07"]


def test_people_of_another_organisation_stay_invisible(as_member, people):
    stranger = make_person(Organisation.objects.create(name="别家"), "stranger")
    names = [p["username"] for p in as_member.get("/api/v1/people", {"page_size": 100}).json()["items"]]
    assert "stranger" not in names
    assert as_member.get(f"/api/v1/people/{stranger.pk}").status_code == 404


def test_an_administrator_creates_and_changes_departments_with_an_audit_row(as_admin, people):
    created = as_admin.post("/api/v1/departments", {"name": "研发部", "head_id": people["host"].pk},
                            content_type="application/json")
    assert created.status_code == 201
    dept = Department.objects.get(name="研发部")
    assert dept.head == people["host"]
    changed = as_admin.patch(f"/api/v1/departments/{dept.pk}", {"parent_id": people["departments"]["market"].pk},
                             content_type="application/json")
    assert changed.status_code == 200 and changed.json()["parent_id"] == people["departments"]["market"].pk
    assert AuditEntry.objects.filter(action__in=["department.create", "department.update"]).count() == 2


def test_department_errors_name_the_field(as_admin, people):
    market = people["departments"]["market"]
    cases = [
        ({"name": "市场部"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "新部门", "parent_id": 999999}, "parent_id"),
        ({"name": "新部门", "head_id": 999999}, "head_id"),
    ]
    for payload, field in cases:
        response = as_admin.post("/api/v1/departments", payload, content_type="application/json")
        assert response.status_code == 422, payload
        assert field in response.json()["errors"], (payload, response.json())
    child = Department.objects.create(organisation=market.organisation, name="市场一组", parent=market)
    loop = as_admin.patch(f"/api/v1/departments/{market.pk}", {"parent_id": child.pk},
                          content_type="application/json")
    assert loop.status_code == 422 and "parent_id" in loop.json()["errors"]
    market.refresh_from_db()
    assert market.parent is None


def test_members_may_not_write_the_organisation(as_member, people):
    dept = people["departments"]["sales"]
    for method, url, payload in [
        ("post", "/api/v1/departments", {"name": "研发部"}),
        ("patch", f"/api/v1/departments/{dept.pk}", {"name": "改名"}),
        ("post", "/api/v1/projects", {"name": "新项目"}),
        ("post", "/api/v1/people", {"username": "newbie"}),
        ("patch", f"/api/v1/people/{people['member'].pk}", {"role": "admin"}),
    ]:
        response = getattr(as_member, method)(url, payload, content_type="application/json")
        assert response.status_code == 403, (method, url)
    dept.refresh_from_db()
    people["member"].refresh_from_db()
    assert dept.name == "销售部" and people["member"].role == "member"
    assert not Department.objects.filter(name="研发部").exists()


def test_projects_are_listed_created_and_changed(as_admin, people, org):
    created = as_admin.post("/api/v1/projects", {
        "name": "Q3推广", "department_id": people["departments"]["market"].pk, "lead_id": people["host"].pk,
    }, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["department"]["name"] == "市场部" and body["lead"]["username"] == "host"
    Project.objects.create(organisation=Organisation.objects.create(name="别家"), name="外部项目")
    assert [p["name"] for p in as_admin.get("/api/v1/projects").json()["items"]] == ["Q3推广"]
    patched = as_admin.patch(f"/api/v1/projects/{body['id']}", {"lead_id": None}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["lead"] is None
    bad = as_admin.post("/api/v1/projects", {"name": "x", "lead_id": 999999}, content_type="application/json")
    assert bad.status_code == 422 and "lead_id" in bad.json()["errors"]


def test_an_administrator_adds_and_changes_people(as_admin, people):
    created = as_admin.post("/api/v1/people", {
        "username": "newbie", "display_name": "新同事", "department_id": people["departments"]["finance"].pk,
        "email": "newbie@example.com",
    }, content_type="application/json")
    assert created.status_code == 201 and created.json()["department"]["name"] == "财务部"
    taken = as_admin.post("/api/v1/people", {"username": "member"}, content_type="application/json")
    assert taken.status_code == 422 and "username" in taken.json()["errors"]
    bad_role = as_admin.patch(f"/api/v1/people/{people['member'].pk}", {"role": "boss"},
                              content_type="application/json")
    assert bad_role.status_code == 422 and "role" in bad_role.json()["errors"]
    moved = as_admin.patch(f"/api/v1/people/{people['member'].pk}",
                           {"department_id": people["departments"]["market"].pk, "title": "经理"},
                           content_type="application/json")
    assert moved.status_code == 200 and moved.json()["title"] == "经理"
    itself = as_admin.patch(f"/api/v1/people/{people['admin'].pk}", {"is_active": False},
                            content_type="application/json")
    assert itself.status_code == 422 and "is_active" in itself.json()["errors"]
