"""The PMO's administration pages: the 管理 link leads to pages they may use, not to 无权限 (issue 12, point 13)."""

import pytest
from django.test import Client

from closeloop.audit.models import AuditEntry
from closeloop.conftest import make_person
from closeloop.org.models import Department, Organisation, Person

pytestmark = pytest.mark.django_db


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def test_the_administration_link_leads_the_pmo_to_pages_they_may_use(people):
    pmo = people["admin"]
    assert not pmo.is_staff  # an administrator of the organisation, not of the server
    client = signed_in(pmo)
    nav = client.get("/meetings/").content.decode()
    assert 'href="/org/admin/"' in nav and 'href="/admin/"' not in nav
    home = client.get("/org/admin/")
    assert home.status_code == 200
    for url in ["/org/admin/people/", "/org/admin/departments/", "/org/policy/", "/org/calendar/",
                "/notify/robots/"]:
        assert f'href="{url}"' in home.content.decode(), url
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["member", "head", "host"])
def test_everyone_else_gets_404_from_every_administration_page(people, who):
    client = signed_in(people[who])
    sales = people["departments"]["sales"]
    assert 'href="/org/admin/"' not in client.get("/meetings/").content.decode()
    for url in ["/org/admin/", "/org/admin/people/", f"/org/admin/people/{people['member'].pk}/",
                "/org/admin/departments/", f"/org/admin/departments/{sales.pk}/"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x", "display_name": "x"}).status_code == 404, url
    assert Department.objects.filter(name="x").count() == 0


def test_another_organisations_person_and_department_are_not_found(people):
    other = Organisation.objects.create(name="别家")
    stranger = make_person(other, "stranger", name="外人")
    their = Department.objects.create(organisation=other, name="他们的部门")
    client = signed_in(people["admin"])
    assert client.get(f"/org/admin/people/{stranger.pk}/").status_code == 404
    assert client.get(f"/org/admin/departments/{their.pk}/").status_code == 404
    assert "外人" not in client.get("/org/admin/people/").content.decode()


def test_the_pmo_adds_a_person_and_moves_them_to_another_department(people):
    client = signed_in(people["admin"])
    sales, market = people["departments"]["sales"], people["departments"]["market"]
    answer = client.post("/org/admin/people/", {
        "username": "liu.yang", "display_name": "刘洋", "email": "liu@example.com", "department": sales.pk,
        "title": "销售经理", "role": "member", "language": "zh-hans", "time_zone": "", "is_active": "on"})
    assert answer.status_code == 302
    liu = Person.objects.get(username="liu.yang")
    assert liu.department == sales and not liu.has_usable_password()
    answer = client.post(f"/org/admin/people/{liu.pk}/", {
        "display_name": "刘洋", "email": "liu@example.com", "department": market.pk, "title": "市场经理",
        "role": "member", "language": "en", "time_zone": "", "is_active": "on"})
    liu.refresh_from_db()
    assert answer.status_code == 302 and liu.department == market and liu.language == "en"
    assert AuditEntry.objects.filter(action="person.update", object_id=str(liu.pk)).exists()


@pytest.mark.parametrize("language,text", [("zh-hans", "用户名"), ("en", "User name")])
def test_a_taken_user_name_is_named_in_the_pmos_language(people, language, text):
    pmo = people["admin"]
    pmo.language = language
    pmo.save()
    answer = signed_in(pmo).post("/org/admin/people/", {
        "username": "member", "display_name": "重名", "role": "member", "language": "zh-hans", "is_active": "on"})
    assert answer.status_code == 422 and text in answer.content.decode()
    assert "username" in answer.context["form"].errors


def test_the_pmo_adds_a_department_and_names_its_head(people):
    client = signed_in(people["admin"])
    answer = client.post("/org/admin/departments/", {"name": "产品部", "parent": "", "head": people["head"].pk})
    assert answer.status_code == 302
    product = Department.objects.get(name="产品部")
    assert product.head == people["head"]
    looped = client.post(f"/org/admin/departments/{people['departments']['sales'].pk}/",
                         {"name": "销售部", "parent": people["departments"]["sales"].pk, "head": ""})
    assert looped.status_code == 422 and "parent" in looped.context["form"].errors


@pytest.mark.parametrize("language,label,wrong", [("zh-hans", "主机", "主持人"), ("en", "Host", None)])
def test_the_robots_allow_list_field_is_a_network_host(people, language, label, wrong):
    pmo = people["admin"]
    pmo.language = language
    pmo.save()
    page = signed_in(pmo).get("/notify/robots/").content.decode()
    allow_list = page.split('id="allowed-hosts"')[1]
    assert f">{label}" in allow_list
    if wrong:
        assert wrong not in allow_list
