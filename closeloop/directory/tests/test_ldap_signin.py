"""Signing in with a directory password against a real slapd, over StartTLS."""

import pytest
from django.contrib.auth import authenticate

from closeloop.directory.models import DirectoryAccount
from closeloop.directory.testing import PASSWORD, self_signed_certificate
from closeloop.org.choices import Role
from closeloop.org.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_the_directory_password_and_is_filled_from_their_entry(client, settings, ldap_server):
    ldap_server.configure(settings)
    response = client.post("/accounts/login/", {"username": "liu.market", "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    person = Person.objects.get(username="liu.market")
    assert person.display_name == "刘洋"
    assert person.email == "liu.market@closeloop.test"
    assert person.title == "市场专员"
    assert person.department.name == "市场部"
    assert person.role == Role.MEMBER
    assert not person.has_usable_password()
    assert DirectoryAccount.objects.get(person=person).dn.startswith("uid=liu.market,ou=市场部")


def test_a_wrong_directory_password_is_refused(client, settings, ldap_server):
    ldap_server.configure(settings)
    response = client.post("/accounts/login/", {"username": "liu.market", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not Person.objects.filter(username="liu.market").exists()


def test_the_administrator_and_pmo_groups_give_the_administrator_role(settings, ldap_server, rf):
    ldap_server.configure(settings)
    admin = authenticate(rf.get("/"), username="pmo", password=PASSWORD)
    assistant = authenticate(rf.get("/"), username="zhao.assistant", password=PASSWORD)
    designer = authenticate(rf.get("/"), username="emma.product", password=PASSWORD)
    assert (admin.role, admin.is_staff) == (Role.ADMIN, True)
    assert (assistant.role, assistant.is_staff) == (Role.ADMIN, False)
    assert (designer.role, designer.is_staff) == (Role.MEMBER, False)


def test_a_sub_unit_becomes_a_department_below_its_parent(settings, ldap_server, rf):
    ldap_server.configure(settings)
    person = authenticate(rf.get("/"), username="chen.sales", password=PASSWORD)
    assert person.department.name == "大客户组"
    assert person.department.parent.name == "销售部"


def test_the_department_can_come_from_an_attribute(settings, ldap_server, rf):
    ldap_server.configure(settings, LDAP_DEPARTMENT_ATTRIBUTE="departmentNumber")
    ldap_server.modify("uid=emma.product,ou=产品部,ou=people,dc=closeloop,dc=test", departmentNumber=["设计中心"])
    person = authenticate(rf.get("/"), username="emma.product", password=PASSWORD)
    assert person.department.name == "设计中心"


def test_starttls_trusts_only_the_configured_certificate_authority(settings, ldap_server, rf):
    ldap_server.configure(settings, start_tls=True)
    assert authenticate(rf.get("/"), username="liu.market", password=PASSWORD) is not None
    other = ldap_server.folder / "other"
    other.mkdir()
    other_ca = self_signed_certificate(other)
    ldap_server.configure(settings, start_tls=True, LDAP_CA_CERT_FILE=str(other_ca))
    assert authenticate(rf.get("/"), username="liu.market", password=PASSWORD) is None
