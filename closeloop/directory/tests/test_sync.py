"""`closeloop directory sync` against a real slapd: people, the department tree, heads, leavers and movers."""

import io

import pytest
from django.core.management import call_command

from closeloop.actions.models import ActionItem
from closeloop.audit.models import AuditEntry
from closeloop.directory.models import SyncRun
from closeloop.directory.services import directory_sync
from closeloop.directory.testing import PEOPLE, person_dn
from closeloop.org.choices import Role
from closeloop.org.models import Department, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return Organisation.objects.create(name="示例科技有限公司")


def _sync(**kwargs):
    out = io.StringIO()
    call_command("directory", "sync", stdout=out, **kwargs)
    return out.getvalue()


def test_a_first_sync_creates_people_the_department_tree_and_heads(settings, ldap_server, company):
    ldap_server.configure(settings)
    run = directory_sync()
    assert run.ok and not run.dry_run and run.people_seen == 10
    sales, key_accounts = Department.objects.get(name="销售部"), Department.objects.get(name="大客户组")
    assert key_accounts.parent == sales
    assert sales.head.username == "wang.sales"  # named as manager by his people
    assert key_accounts.head.username == "chen.sales"
    assert Department.objects.get(name="产品部").head.username == "li.product"  # through the heads group
    zhou = Person.objects.get(username="zhou.sales")
    assert (zhou.department, zhou.email, zhou.organisation) == (key_accounts, "zhou.sales@closeloop.test", company)
    assert Person.objects.get(username="wang.sales").role == Role.HEAD
    assert Person.objects.get(username="pmo").role == Role.ADMIN
    kinds = [c["kind"] for c in run.changes]
    assert kinds.count("person_created") == 10 and kinds.count("department_created") == 5


def test_a_dry_run_prints_the_changes_and_changes_nothing(settings, ldap_server, company):
    ldap_server.configure(settings)
    out = _sync(dry_run=True)
    assert "zhou.sales" in out and "大客户组" in out
    assert not Person.objects.exists() and not Department.objects.exists()
    assert SyncRun.objects.get().dry_run is True


def test_a_second_sync_with_nothing_new_changes_nothing(settings, ldap_server, company):
    ldap_server.configure(settings)
    directory_sync()
    assert directory_sync().changes == []


def test_a_leaver_is_deactivated_and_their_open_items_are_listed_for_their_head(settings, ldap_server, company):
    ldap_server.configure(settings)
    directory_sync()
    sun = Person.objects.get(username="sun.sales")
    item = ActionItem.objects.create(organisation=company, task="整理Q3客户名单", owner=sun, department=sun.department)
    ldap_server.delete(person_dn("sun.sales", ["销售部"]))
    run = directory_sync()
    sun.refresh_from_db()
    assert not sun.is_active
    [change] = [c for c in run.changes if c["kind"] == "person_deactivated"]
    assert change["head"] == "wang.sales"
    assert change["open_work"] == [{"kind": "action_item", "label": "整理Q3客户名单", "url": f"/actions/{item.pk}/"}]
    assert ActionItem.objects.filter(pk=item.pk, owner=sun).exists()  # nothing deleted
    assert AuditEntry.objects.filter(action="person.deactivate", object_id=str(sun.pk)).exists()


def test_a_person_disabled_by_the_filter_counts_as_a_leaver(settings, ldap_server, company):
    ldap_server.configure(settings, LDAP_USER_FILTER="(&(objectClass=inetOrgPerson)(!(employeeType=left)))")
    directory_sync()
    ldap_server.modify(person_dn("emma.product", ["产品部"]), employeeType=["left"])
    directory_sync()
    assert not Person.objects.get(username="emma.product").is_active
    ldap_server.modify(person_dn("emma.product", ["产品部"]), employeeType=["staff"])
    run = directory_sync()
    assert Person.objects.get(username="emma.product").is_active
    assert {"kind": "person_reactivated", "person": "emma.product"} in run.changes


def test_a_mover_keeps_their_history_and_new_items_follow_them(settings, ldap_server, company):
    ldap_server.configure(settings)
    directory_sync()
    liu = Person.objects.get(username="liu.market")
    old = ActionItem.objects.create(organisation=company, task="旧任务", owner=liu, department=liu.department)
    ldap_server.move(person_dn("liu.market", ["市场部"]), f"ou=产品部,{PEOPLE}")
    run = directory_sync()
    liu.refresh_from_db()
    assert liu.department.name == "产品部" and liu.is_active and liu.pk == old.owner_id
    old.refresh_from_db()
    assert old.department.name == "市场部"  # the item stays where it was raised
    assert {"kind": "person_moved", "person": "liu.market", "before": "市场部", "after": "产品部"} in run.changes


def test_an_unreachable_directory_is_reported_and_deactivates_nobody(settings, ldap_server, company):
    ldap_server.configure(settings)
    directory_sync()
    ldap_server.stop()
    run = directory_sync()
    assert not run.ok and run.error
    assert Person.objects.filter(is_active=True).count() == 10
    with pytest.raises(Exception, match="directory sync failed"):
        _sync()


def test_an_empty_answer_deactivates_nobody(settings, ldap_server, company):
    ldap_server.configure(settings)
    directory_sync()
    ldap_server.configure(settings, LDAP_USER_FILTER="(objectClass=nobodyHasThis)")
    run = directory_sync()
    assert not run.ok and "returned nobody" in run.error
    assert Person.objects.filter(is_active=True).count() == 10


def test_the_workers_scheduled_scan_runs_a_sync(settings, ldap_server, company):
    from closeloop.directory.scans import directory_sync_scan

    ldap_server.configure(settings)
    assert directory_sync_scan(now=None) == 0
    assert SyncRun.objects.get().ok and Person.objects.count() == 10


def test_without_administrator_groups_the_sync_leaves_administrators_as_they_are(settings, ldap_server, company):
    ldap_server.configure(settings, LDAP_ADMIN_GROUP="", LDAP_PMO_GROUP="")
    pmo = Person.objects.create_user(username="pmo", organisation=company, role=Role.ADMIN)
    directory_sync()
    pmo.refresh_from_db()
    assert pmo.role == Role.ADMIN and pmo.display_name == "周敏"  # adopted by user name, still administrator
    ldap_server.configure(settings)
    ldap_server.modify("cn=closeloop-admins,ou=groups,dc=closeloop,dc=test",
                       member=["uid=zhao.assistant,ou=PMO,ou=people,dc=closeloop,dc=test"])
    directory_sync()
    pmo.refresh_from_db()
    assert pmo.role == Role.HEAD  # the group now decides: pmo left it, and heads PMO (zhao names him manager)


def test_someone_an_administrator_deactivated_stays_out_though_the_directory_still_has_them(
        client, settings, ldap_server, company):
    from closeloop.directory.testing import PASSWORD

    ldap_server.configure(settings)
    directory_sync()
    Person.objects.filter(username="liu.market").update(is_active=False)
    assert directory_sync().changes == []
    assert not Person.objects.get(username="liu.market").is_active
    client.post("/accounts/login/", {"username": "liu.market", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert not Person.objects.get(username="liu.market").is_active


def test_a_sync_with_nothing_new_costs_a_few_queries_whatever_the_size(settings, ldap_server, company,
                                                                         django_assert_max_num_queries):
    ldap_server.configure(settings)
    directory_sync()
    # The departments' heads are looked up one by one (6 departments here); people cost nothing when unchanged.
    with django_assert_max_num_queries(20):
        assert directory_sync().changes == []
