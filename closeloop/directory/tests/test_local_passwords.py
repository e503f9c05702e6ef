"""LOCAL_PASSWORDS=false: local passwords stop for everyone but the break-glass administrators."""

import pytest

from closeloop.conftest import PASSWORD, make_person
from closeloop.org.choices import Role

pytestmark = pytest.mark.django_db


def _login(client, username):
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def test_with_local_passwords_on_everyone_signs_in_as_today(client, people):
    assert _login(client, "member")


def test_with_local_passwords_off_a_member_and_an_ordinary_administrator_are_refused(client, settings, people):
    settings.LOCAL_PASSWORDS = False
    assert not _login(client, "member")
    assert not _login(client, "admin")


def test_with_local_passwords_off_the_break_glass_administrators_still_sign_in(client, settings, people, org):
    settings.LOCAL_PASSWORDS = False
    root = make_person(org, "root", role=Role.ADMIN)
    root.is_superuser = True
    root.save()
    assert _login(client, "root")
    client.logout()
    settings.LOCAL_PASSWORDS_BREAK_GLASS = ["admin"]
    assert _login(client, "admin")


def test_the_login_page_hides_the_password_form_when_nobody_uses_one(client, settings, people):
    assert 'name="password"' in client.get("/accounts/login/").text
    settings.LOCAL_PASSWORDS = False
    page = client.get("/accounts/login/").text
    assert "break-glass" in page  # a folded form for the emergency account, not the main way in


def test_with_local_passwords_off_directory_passwords_still_work(client, settings, ldap_server):
    from closeloop.directory.testing import PASSWORD as DIRECTORY_PASSWORD

    ldap_server.configure(settings)
    settings.LOCAL_PASSWORDS = False
    client.post("/accounts/login/", {"username": "liu.market", "password": DIRECTORY_PASSWORD})
    assert "_auth_user_id" in client.session
    page = client.get("/accounts/login/")
    assert "break-glass" not in page.text  # the password form is the directory's, not folded away
