"""Inviting a department, a project's members or an earlier meeting's participants at once, and removing several
at once (issue 12, point 9)."""

import pytest
from django.test import Client

from closeloop.audit.models import AuditEntry
from closeloop.conftest import at, make_person
from closeloop.meetings.models import Participant
from closeloop.meetings.services.planning import meeting_create
from closeloop.org.models import Project

pytestmark = pytest.mark.django_db


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def invited(meeting):
    return {p.person.username: p.role_list for p in Participant.objects.filter(meeting=meeting)}


def test_a_whole_department_is_invited_with_the_chosen_roles(people, meeting):
    sales = people["departments"]["sales"]
    make_person(meeting.organisation, "sales2", sales, name="周销售")
    answer = signed_in(people["host"]).post(f"/meetings/{meeting.pk}/participants/invite-many/", {
        "source": "department", "department": sales.pk, "roles": ["informed"], "required": "on"})
    assert answer.status_code == 302
    roles = invited(meeting)
    assert roles["sales2"] == ["informed"] and roles["head"] == ["informed"]
    assert roles["member"] == ["decision_maker", "executor"]  # already invited: kept as they were
    assert AuditEntry.objects.filter(action="participant.set").count() >= 2


def test_a_projects_members_and_its_lead_are_invited(people, meeting):
    project = Project.objects.create(organisation=meeting.organisation, name="Q3推广", lead=people["outsider"])
    project.members.set([people["head"]])
    signed_in(people["recorder"]).post(f"/meetings/{meeting.pk}/participants/invite-many/", {
        "source": "project", "project": project.pk, "roles": ["executor", "informed"]})
    roles = invited(meeting)
    assert roles["outsider"] == ["executor", "informed"] and roles["head"] == ["executor", "informed"]


def test_the_previous_meetings_participants_are_invited_to_the_next(people, meeting):
    following = meeting_create(actor=people["host"], data={
        "type": "weekly_sync", "title": "跟进会", "start": at(2026, 6, 22, 10), "end": at(2026, 6, 22, 10, 30)})
    client = signed_in(people["host"])
    form = client.get(f"/meetings/{following.pk}/participants/invite-many/")
    assert form.status_code == 200 and form.context["form"].initial["from_meeting"] == meeting
    client.post(f"/meetings/{following.pk}/participants/invite-many/", {
        "source": "meeting", "from_meeting": meeting.pk, "roles": ["informed"], "required": "on"})
    assert set(invited(following)) == {"host", "recorder", "member"}


@pytest.mark.parametrize("language,text", [("zh-hans", "请选择一个"), ("en", "Choose one.")])
def test_a_missing_group_or_role_is_named(people, meeting, language, text):
    host = people["host"]
    host.language = language
    host.save()
    answer = signed_in(host).post(f"/meetings/{meeting.pk}/participants/invite-many/", {"source": "department"})
    assert answer.status_code == 422 and text in answer.content.decode()
    assert {"department", "roles"} <= set(answer.context["form"].errors)


def test_several_participants_are_removed_at_once(people, meeting):
    sales = people["departments"]["sales"]
    signed_in(people["host"]).post(f"/meetings/{meeting.pk}/participants/invite-many/", {
        "source": "department", "department": sales.pk, "roles": ["informed"]})
    chosen = Participant.objects.filter(meeting=meeting, person__department=sales).values_list("pk", flat=True)
    answer = signed_in(people["host"]).post(f"/meetings/{meeting.pk}/participants/remove-many/",
                                            {"participant": list(chosen)})
    assert answer.status_code == 302 and set(invited(meeting)) == {"host", "recorder"}
    assert AuditEntry.objects.filter(action="participant.remove").count() == 2


def test_the_detail_page_offers_both_to_editors_only(people, meeting):
    page = signed_in(people["host"]).get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/participants/invite-many/" in page and 'form="remove-many"' in page
    page = signed_in(people["member"]).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "invite-many" not in page and "remove-many" not in page


def test_outsiders_get_404_and_participants_403(people, meeting):
    before = invited(meeting)
    for who, status in (("outsider", 404), ("member", 403)):
        client = signed_in(people[who])
        assert client.get(f"/meetings/{meeting.pk}/participants/invite-many/").status_code == status
        assert client.post(f"/meetings/{meeting.pk}/participants/invite-many/", {
            "source": "department", "department": people["departments"]["finance"].pk,
            "roles": ["informed"]}).status_code == status
        assert client.post(f"/meetings/{meeting.pk}/participants/remove-many/", {
            "participant": list(Participant.objects.filter(meeting=meeting).values_list("pk", flat=True))
        }).status_code == status
    assert invited(meeting) == before
