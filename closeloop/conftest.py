"""Shared fixtures: an organisation with personas covering the permission matrix.

admin (PMO), host, recorder, member (a participant), head (head of the member's department,
not invited), outsider (same organisation, not invited, heads nothing).
"""

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from closeloop.meetings.choices import ParticipantRole, TopicKind
from closeloop.meetings.services.planning import meeting_create, participant_set, topic_add
from closeloop.org.choices import Role
from closeloop.org.models import Department, Organisation, Person

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PASSWORD = "closeloop-test-pw"


def make_person(org, username, department=None, role=Role.MEMBER, language="zh-hans", name=""):
    person = Person.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.com",
        organisation=org, department=department, role=role, language=language,
        display_name=name or username,
    )
    return person


def client_for(person):
    """A Django test client signed in as `person`."""
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing and a private media folder per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    # A request through the test client leaves its person's language active on this thread; start each test clean.
    translation.deactivate()


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="示例公司", time_zone="Asia/Shanghai", country="CN")


@pytest.fixture
def people(org):
    market = Department.objects.create(organisation=org, name="市场部")
    sales = Department.objects.create(organisation=org, name="销售部")
    finance = Department.objects.create(organisation=org, name="财务部")
    p = {
        "admin": make_person(org, "admin", role=Role.ADMIN, name="PMO 管理员"),
        "host": make_person(org, "host", market, name="张主持"),
        "recorder": make_person(org, "recorder", market, name="李记录"),
        "member": make_person(org, "member", sales, name="王销售", language="en"),
        "head": make_person(org, "head", sales, role=Role.HEAD, name="赵经理"),
        "outsider": make_person(org, "outsider", finance, name="钱财务"),
    }
    sales.head = p["head"]
    sales.save()
    p["departments"] = {"market": market, "sales": sales, "finance": finance}
    return p


def at(year, month, day, hour=14, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def meeting(people):
    """A draft decision meeting in 2026 with host, recorder, one participant and three topics."""
    m = meeting_create(
        actor=people["host"],
        data={
            "type": "decision", "title": "项目Q3推广跨部门协作会", "objective": "确定Q3推广分工",
            "start": at(2026, 6, 15, 14), "end": at(2026, 6, 15, 15, 30), "place": "3楼会议室A",
        },
        recorder=people["recorder"],
    )
    participant_set(actor=people["host"], meeting=m, person=people["member"],
                    roles=[ParticipantRole.DECISION_MAKER, ParticipantRole.EXECUTOR])
    for i, (title, minutes, kind) in enumerate(
        [("Q2推广活动复盘", 20, TopicKind.INFORM), ("Q3推广目标及策略", 25, TopicKind.DISCUSS),
         ("部门分工与资源协调", 25, TopicKind.DECIDE)], start=1):
        topic_add(actor=people["host"], meeting=m, data={
            "order": i, "title": title, "minutes": minutes, "kind": kind,
            "presenter": people["host"], "required_outcome": "确认分工" if kind == "decide" else "",
        })
    m.refresh_from_db()
    return m


@pytest.fixture(autouse=True, scope="session")
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Browser tests can leave a live-server connection open; end it so PostgreSQL can drop the test database."""
    yield
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    except DatabaseError:
        pass  # a run whose tests never touched the database has no session to end
