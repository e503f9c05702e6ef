"""A project through the API as on its pages: its departments, members and version; a change from a stale copy
is refused (409) and changes nothing."""

import pytest

from closeloop.audit.models import AuditEntry
from closeloop.org.models import Organisation, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org, people):
    d = people["departments"]
    project = Project.objects.create(organisation=org, name="Q3推广", department=d["market"], lead=people["host"])
    project.departments.set([d["market"], d["sales"]])
    project.members.set([people["host"], people["member"]])
    return project


def test_anyone_in_the_organisation_reads_a_project_with_departments_members_and_version(client, people, project):
    client.force_login(people["member"])
    body = client.get(f"/api/v1/projects/{project.pk}").json()
    assert body["name"] == "Q3推广" and body["version"] == 1 and body["lead"]["username"] == "host"
    assert [d["name"] for d in body["departments"]] == sorted(["市场部", "销售部"])
    assert {p["username"] for p in body["members"]} == {"host", "member"}
    listed = client.get("/api/v1/projects").json()["items"]
    assert listed[0]["version"] == 1 and len(listed[0]["members"]) == 2
    other = Project.objects.create(organisation=Organisation.objects.create(name="别家"), name="外部项目")
    assert client.get(f"/api/v1/projects/{other.pk}").status_code == 404
    assert client.get("/api/v1/projects/999999").status_code == 404


def test_put_replaces_the_project_and_a_stale_version_is_refused(client, people, project):
    d = people["departments"]
    client.force_login(people["admin"])
    change = {"name": "Q3推广（二期）", "department_id": d["market"].pk, "lead_id": people["host"].pk,
              "department_ids": [d["finance"].pk], "member_ids": [people["head"].pk], "version": 1}
    saved = client.put(f"/api/v1/projects/{project.pk}", change, content_type="application/json")
    assert saved.status_code == 200
    body = saved.json()
    assert body["version"] == 2 and body["name"] == "Q3推广（二期）"
    assert [x["name"] for x in body["departments"]] == ["财务部"] and [p["username"] for p in body["members"]] == [
        "head"]
    assert AuditEntry.objects.filter(action="project.update").count() == 1
    stale = client.put(f"/api/v1/projects/{project.pk}", {**change, "name": "旧副本"},
                       content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    project.refresh_from_db()
    assert project.name == "Q3推广（二期）" and project.version == 2


def test_only_administrators_and_the_lead_change_it_and_bad_ids_are_named(client, people, project):
    base = {"name": "Q3推广", "version": 1}
    client.force_login(people["member"])
    assert client.put(f"/api/v1/projects/{project.pk}", base, content_type="application/json").status_code == 403
    client.force_login(people["host"])  # the lead
    bad = client.put(f"/api/v1/projects/{project.pk}", {**base, "member_ids": [999999]},
                     content_type="application/json")
    assert bad.status_code == 422 and "member_ids" in bad.json()["errors"]
    assert client.put(f"/api/v1/projects/{project.pk}", base, content_type="application/json").status_code == 200
    project.refresh_from_db()
    assert project.version == 2 and list(project.members.all()) == []


def test_the_edit_page_refuses_a_stale_copy_too(client, people, project):
    client.force_login(people["admin"])
    page = client.get(f"/archive/projects/{project.pk}/edit/")
    assert 'name="version" value="1"' in page.content.decode()
    Project.objects.filter(pk=project.pk).update(version=2)  # someone else saved meanwhile
    answer = client.post(f"/archive/projects/{project.pk}/edit/", {"name": "旧副本", "version": 1})
    assert answer.status_code == 422
    project.refresh_from_db()
    assert project.name == "Q3推广"
    fresh = client.post(f"/archive/projects/{project.pk}/edit/", {"name": "新名", "version": 2})
    assert fresh.status_code == 302
    project.refresh_from_db()
    assert project.name == "新名" and project.version == 3
