"""Project pages: create and edit a project; its page lists meetings, requests, open items and minutes, each only
as far as the viewer may see it (issue 12, point 8)."""

import datetime as dt

import pytest
from django.test import Client

from closeloop.actions.services.items import action_item_create
from closeloop.audit.models import AuditEntry
from closeloop.minutes.models import Minutes
from closeloop.org.models import Organisation, Project

pytestmark = pytest.mark.django_db


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def project(people, meeting):
    client = signed_in(people["admin"])
    answer = client.post("/archive/projects/new/", {
        "name": "Q3新品推广", "department": people["departments"]["market"].pk,
        "departments": [people["departments"]["sales"].pk, people["departments"]["market"].pk],
        "lead": people["host"].pk, "members": [people["member"].pk, people["recorder"].pk]})
    assert answer.status_code == 302
    project = Project.objects.get(name="Q3新品推广")
    meeting.project = project
    meeting.save(update_fields=["project"])
    return project


def test_the_pmo_creates_a_project_with_departments_owner_and_members(people, project):
    assert project.lead == people["host"] and project.department == people["departments"]["market"]
    assert set(project.departments.values_list("name", flat=True)) == {"销售部", "市场部"}
    assert set(project.members.values_list("username", flat=True)) == {"member", "recorder"}
    assert AuditEntry.objects.get(action="project.create").after["members"]


def test_the_lead_edits_their_project_and_a_member_may_not(people, project):
    answer = signed_in(people["host"]).post(f"/archive/projects/{project.pk}/edit/", {
        "name": "Q3新品推广（二期）", "lead": people["host"].pk, "members": [people["member"].pk]})
    project.refresh_from_db()
    assert answer.status_code == 302 and project.name == "Q3新品推广（二期）" and project.members.count() == 1
    assert signed_in(people["member"]).post(f"/archive/projects/{project.pk}/edit/", {"name": "x"}).status_code == 403
    assert signed_in(people["member"]).get("/archive/projects/new/").status_code == 404


@pytest.mark.parametrize("language,text", [("zh-hans", "名称"), ("en", "Name")])
def test_a_project_without_a_name_is_refused_naming_the_field(people, language, text):
    admin = people["admin"]
    admin.language = language
    admin.save()
    answer = signed_in(admin).post("/archive/projects/new/", {"name": ""})
    assert answer.status_code == 422 and "name" in answer.context["form"].errors and text in answer.content.decode()


def test_the_project_page_lists_what_the_viewer_may_see(people, meeting, project):
    item = action_item_create(actor=people["recorder"], organisation=meeting.organisation, meeting=meeting, data={
        "task": "提交Q3推广预算明细表", "owner": people["member"], "due": dt.date(2026, 6, 18),
        "deliverable": "预算明细表"})
    minutes = Minutes.objects.create(meeting=meeting, content={"summary": "纪要"})
    page = signed_in(people["member"]).get(f"/archive/projects/{project.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/" in page and f"/actions/{item.pk}/" in page
    assert f"/minutes/{minutes.pk}/" in page
    outsider = signed_in(people["outsider"]).get(f"/archive/projects/{project.pk}/")
    assert outsider.status_code == 200
    assert meeting.title not in outsider.content.decode() and "提交Q3推广预算明细表" not in outsider.content.decode()


def test_another_organisation_gets_404(people, project):
    from closeloop.conftest import make_person

    stranger = make_person(Organisation.objects.create(name="别家"), "stranger", name="外人")
    client = signed_in(stranger)
    assert client.get(f"/archive/projects/{project.pk}/").status_code == 404
    assert client.get(f"/archive/projects/{project.pk}/edit/").status_code == 404
    assert "Q3新品推广" not in client.get("/archive/projects/").content.decode()


def test_the_header_links_to_projects(people, project):
    page = signed_in(people["member"]).get("/archive/projects/").content.decode()
    assert 'href="/archive/projects/"' in page and "Q3新品推广" in page


def _grow(project, people, n, tag):
    """`n` more meetings of the project (the member invited to every other one), each with an open item and
    minutes."""
    import secrets

    from closeloop.actions.models import ActionItem
    from closeloop.conftest import at
    from closeloop.meetings.models import Meeting, Participant

    org = project.organisation
    meetings = Meeting.objects.bulk_create([Meeting(
        organisation=org, type="decision", title=f"{tag}项目会{i}", start=at(2025, 1 + i % 12, 5),
        end=at(2025, 1 + i % 12, 5, 15), project=project, ical_uid=secrets.token_hex(16)) for i in range(n)])
    Participant.objects.bulk_create([Participant(meeting=m, person=people["member"], roles="executor",
                                                 token=secrets.token_hex(16)) for m in meetings[::2]])
    ActionItem.objects.bulk_create([ActionItem(
        organisation=org, meeting=m, task=f"{tag}任务{i}", owner=people["member"], due=dt.date(2026, 1, 5),
        owner_sort="member") for i, m in enumerate(meetings)])
    Minutes.objects.bulk_create([Minutes(meeting=m, content={}) for m in meetings])


def _read(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return len(html), len(queries), html


@pytest.mark.parametrize("who", ["admin", "member"])
def test_the_project_page_shows_each_list_a_page_at_a_time(people, project, who):
    client, url = signed_in(people[who]), f"/archive/projects/{project.pk}/"
    _grow(project, people, 50, "甲")
    size, queries, html = _read(client, url)
    assert html.count("/actions/") - html.count('href="/actions/"') >= 20
    assert "meetings=2#project-meetings" in html and "items=2#project-items" in html
    _grow(project, people, 200, "乙")
    more_size, more_queries, html = _read(client, url)
    assert more_queries == queries and more_size <= size + 400, (size, more_size)
    assert "meetings=2#project-meetings" in html and "minutes=2#project-minutes" in html


def test_the_project_lists_count_only_what_the_viewer_may_see(people, project):
    _grow(project, people, 30, "丙")
    html = signed_in(people["member"]).get(f"/archive/projects/{project.pk}/").content.decode()
    # The member is invited to every other meeting (15) and the fixture's own: 16, not 31.
    assert '<h2>Meetings <span class="muted">16</span></h2>' in html  # the member reads English
    outsider = signed_in(people["outsider"]).get(f"/archive/projects/{project.pk}/", {"meetings": 2}).content.decode()
    assert "丙项目会" not in outsider and '<span class="muted">0</span>' in outsider
