"""The demo organisation: it loads, its people can log in, and loading it again duplicates nothing."""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from closeloop.conftest import make_person
from closeloop.demo.organisation import DEPARTMENTS, ORG_NAME, PASSWORD, PEOPLE, demo_load
from closeloop.meetings.choices import MeetingState, ParticipantRole, Response
from closeloop.meetings.models import Meeting
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.org.models import Department, Organisation, Person

SEED = "项目Q3推广跨部门协作会"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def demo(db):
    return demo_load(today=dt.date(2026, 9, 30))


def test_it_loads_the_organisation_with_five_departments_each_with_a_head(demo):
    assert demo.name == ORG_NAME
    assert (demo.time_zone, demo.country) == ("Asia/Shanghai", "CN")
    departments = Department.objects.filter(organisation=demo)
    assert sorted(d.name for d in departments) == sorted(DEPARTMENTS)
    assert {"市场部", "销售部", "产品部", "财务部", "项目管理办公室(PMO)"} == set(DEPARTMENTS)
    assert all(d.head is not None and d.head.department_id == d.pk for d in departments)
    assert Person.objects.filter(organisation=demo).count() == len(PEOPLE)
    assert Person.objects.get(username="pmo").is_org_admin
    assert Person.objects.get(username="emma.product").language == "en"


def test_the_seed_meeting_has_its_four_departments_roles_topics_and_a_substitute(demo):
    seed = Meeting.objects.get(organisation=demo, title=SEED)
    departments = set(seed.participants.values_list("person__department__name", flat=True))
    assert {"市场部", "销售部", "产品部", "财务部"} <= departments
    host = seed.participants.get(roles__contains=ParticipantRole.HOST).person
    recorder = seed.participants.get(roles__contains=ParticipantRole.RECORDER).person
    assert (host.title, recorder.title) == ("市场部经理", "项目助理")
    assert seed.participants.filter(roles__contains=ParticipantRole.DECISION_MAKER).exists()
    assert list(seed.topics.values_list("title", flat=True)) == [
        "Q2推广活动复盘", "Q3推广目标及策略讨论", "部门分工与资源协调", "行动计划确认"]
    assert all(t.required_outcome for t in seed.topics.all())
    assert seed.place.startswith("公司3楼会议室A") and "腾讯会议" in seed.place
    assert seed.project.name == "Q3推广"
    assert seed.materials.count() == 1
    absent = seed.participants.get(response=Response.SUBSTITUTE)
    assert (absent.person.department.name, absent.response_reason) == ("销售部", "出差")
    assert absent.substitute.department.name == "销售部"
    # 30 Sept 2026 + 5 working days skips the National Day holidays and counts Saturday 10 Oct (调休).
    assert seed.start.astimezone(SHANGHAI) == dt.datetime(2026, 10, 13, 14, 0, tzinfo=SHANGHAI)
    assert seed.duration_minutes == 90


def test_it_has_meetings_in_every_planning_state_a_weekly_series_and_a_confidential_one(demo):
    states = set(Meeting.objects.filter(organisation=demo).values_list("state", flat=True))
    assert states == {MeetingState.DRAFT, MeetingState.NOTICED, MeetingState.CANCELLED}
    weekly = Meeting.objects.filter(organisation=demo, series__name="Q3推广周例会").order_by("start")
    assert weekly.count() == 3
    gaps = [(b.start - a.start).days for a, b in zip(weekly, weekly[1:], strict=False)]
    assert all(6 <= gap <= 9 for gap in gaps)
    # The confidential meeting is hidden from a head whose department is not invited.
    secret = Meeting.objects.get(organisation=demo, confidential=True)
    assert secret in meetings_visible_to(Person.objects.get(username="qian.finance"))
    assert secret in meetings_visible_to(Person.objects.get(username="pmo"))
    assert secret not in meetings_visible_to(Person.objects.get(username="zhang.market"))
    assert secret not in meetings_visible_to(Person.objects.get(username="wu.finance"))


def test_demo_people_log_in_with_the_demo_password_and_not_with_another(client, demo):
    for username in ("pmo", "zhang.market", "emma.product"):
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 302
        assert response.wsgi_request.user.username == username
        client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "pmo", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_loading_twice_duplicates_nothing(demo):
    counts = (Organisation.objects.count(), Person.objects.count(), Meeting.objects.count())
    assert demo_load() is None
    call_command("demo", stdout=_Sink())
    assert (Organisation.objects.count(), Person.objects.count(), Meeting.objects.count()) == counts


def test_reset_rebuilds_the_meetings_and_restores_a_changed_password(demo):
    pmo = Person.objects.get(username="pmo")
    pmo.set_password("changed-by-someone")
    pmo.save()
    Meeting.objects.filter(title=SEED).update(title="renamed")
    meetings, people = Meeting.objects.count(), Person.objects.count()
    call_command("demo", "--reset", stdout=_Sink())
    assert Meeting.objects.count() == meetings and Person.objects.count() == people
    assert Meeting.objects.filter(title=SEED).count() == 1
    assert not Meeting.objects.filter(title="renamed").exists()
    pmo.refresh_from_db()
    assert pmo.check_password(PASSWORD)


def test_if_empty_leaves_a_database_with_its_own_organisation_alone(db):
    Organisation.objects.create(name="Acme")
    call_command("demo", "--if-empty", stdout=_Sink())
    assert not Organisation.objects.filter(name=ORG_NAME).exists()


def test_it_refuses_when_a_demo_username_belongs_to_another_organisation(db):
    make_person(Organisation.objects.create(name="Acme"), "pmo")
    with pytest.raises(CommandError, match="pmo"):
        call_command("demo", stdout=_Sink())
    assert not Organisation.objects.filter(name=ORG_NAME).exists()


def test_reset_keeps_the_meetings_whose_minutes_were_approved_and_rebuilds_the_rest(demo):
    from closeloop.demo.held import HELD_TITLE
    from closeloop.minutes.models import Minutes

    held = Meeting.objects.get(title=HELD_TITLE)
    approved = Minutes.objects.get(meeting=held, approved_at__isnull=False)
    meetings = Meeting.objects.count()
    Meeting.objects.filter(title=SEED).update(title="renamed")
    call_command("demo", "--reset", stdout=_Sink())
    assert Meeting.objects.count() == meetings
    assert Meeting.objects.filter(title=HELD_TITLE).get().pk == held.pk
    assert Minutes.objects.get(pk=approved.pk).content == approved.content
    assert not Meeting.objects.filter(title="renamed").exists()


def test_the_demo_holds_a_held_meeting_with_distributed_minutes_and_open_items(demo):
    from closeloop.actions.choices import OPEN_STATUSES
    from closeloop.actions.models import ActionItem
    from closeloop.demo.held import HELD_TITLE
    from closeloop.minutes.choices import MinutesState

    held = Meeting.objects.get(title=HELD_TITLE)
    assert held.minutes_versions.get().state == MinutesState.DISTRIBUTED
    assert held.record.state == "closed"
    assert ActionItem.objects.filter(meeting=held, status__in=OPEN_STATUSES).count() >= 3


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def test_the_login_page_gives_the_demo_sign_in_until_the_password_changes(client, demo):
    html = client.get(reverse("login")).content.decode()
    assert 'id="demo-hint"' in html and f"<code>{PASSWORD}</code>" in html
    assert "<code>zhang.market</code> · 张伟 · 市场部经理" in html and "<code>pmo</code>" in html
    someone = Person.objects.get(username="zhang.market")
    assert client.post(reverse("login"), {"username": "zhang.market", "password": PASSWORD}).status_code == 302
    client.logout()
    someone.set_password("a-new-secret-9481")
    someone.save()
    assert 'id="demo-hint"' not in client.get(reverse("login")).content.decode()
