"""The administrators' directory page: the last run and its changes; 404 for everyone else."""

import pytest

from closeloop.directory.services import directory_sync
from closeloop.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["member", "head", "outsider"])
def test_the_directory_page_is_not_there_for_anyone_but_administrators(client, people, who):
    client.force_login(people[who])
    assert client.get("/directory/").status_code == 404
    assert client.post("/directory/sync/", {"dry_run": "1"}).status_code == 404


def test_without_ldap_the_page_says_so_and_a_sync_is_refused_politely(client, people):
    client.force_login(people["admin"])
    page = client.get("/directory/")
    assert page.status_code == 200 and "LDAP_SERVER_URI" in page.text
    response = client.post("/directory/sync/", {"dry_run": "0"}, follow=True)
    assert "LDAP_SERVER_URI" in response.text


def test_the_page_shows_the_last_run_and_its_changes(client, settings, people, ldap_server):
    ldap_server.configure(settings)
    client.force_login(people["admin"])
    response = client.post("/directory/sync/", {"dry_run": "1"}, follow=True)
    assert response.status_code == 200
    assert not Person.objects.filter(username="zhou.sales").exists()  # a dry run
    assert "zhou.sales" in response.text and "大客户组" in response.text
    client.post("/directory/sync/", {"dry_run": "0"})
    assert Person.objects.filter(username="zhou.sales").exists()


def test_a_leavers_open_work_waits_on_the_page_for_their_head(client, settings, people, ldap_server):
    ldap_server.configure(settings)
    directory_sync(organisation=people["admin"].organisation)
    from closeloop.actions.models import ActionItem  # the test sets up an item; the app itself knows nothing of it

    sun = Person.objects.get(username="sun.sales")
    ActionItem.objects.create(organisation=sun.organisation, task="交接客户名单", owner=sun, department=sun.department)
    ldap_server.delete("uid=sun.sales,ou=销售部,ou=people,dc=closeloop,dc=test")
    directory_sync(organisation=people["admin"].organisation)
    client.force_login(people["admin"])
    page = client.get("/directory/").text
    assert 'id="leavers"' in page and "交接客户名单" in page and "王强" in page


def test_a_long_run_shows_its_changes_fifty_at_a_time(client, people):
    from django.utils import timezone

    from closeloop.directory.models import SyncRun

    org = people["admin"].organisation
    changes = [{"kind": "person_created", "person": f"user{n:04}", "name": f"员工{n}", "department": "销售部"}
               for n in range(120)]
    SyncRun.objects.create(organisation=org, started_at=timezone.now(), finished_at=timezone.now(), ok=True,
                           people_seen=120, changes=changes)
    client.force_login(people["admin"])
    first = client.get("/directory/").text
    assert "user0049" in first and "user0050" not in first and "1–50" in first and "120" in first
    last = client.get("/directory/?changes=3").text
    assert "user0100" in last and "user0119" in last and "user0099" not in last and "101–120" in last
