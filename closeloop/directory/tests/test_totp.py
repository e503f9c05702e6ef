"""Two-factor sign-in (allauth MFA, TOTP): required for administrators and PMO when switched on."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator

from closeloop.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def totp(secret, at=None):
    """RFC 6238, written out here so the test does not trust the code it checks."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


def _login(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def _activate(client):
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302 and "reauthenticate" in page["Location"]:
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, (page.status_code, page.get("Location"))
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()[:1500]
    return secret


def test_when_required_an_administrator_must_set_up_an_authenticator_first(client, settings, people):
    settings.TOTP_REQUIRED_FOR_ADMINS = True
    _login(client, "admin")
    response = client.get("/meetings/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    _activate(client)
    assert client.get("/meetings/").status_code == 200


def test_when_required_a_member_is_not_asked(client, settings, people):
    settings.TOTP_REQUIRED_FOR_ADMINS = True
    _login(client, "member")
    assert client.get("/meetings/").status_code == 200


def test_with_an_authenticator_the_password_alone_does_not_sign_in(client, settings, people):
    _login(client, "member")
    secret = _activate(client)  # optional for members, and they may
    assert Authenticator.objects.filter(user=people["member"], type="totp").exists()
    client.logout()
    response = _login(client, "member")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert right.status_code == 302, re.sub(r"\s+", " ", right.content.decode())[:1500]
    assert int(client.session["_auth_user_id"]) == people["member"].pk


def test_the_profile_leads_to_the_two_factor_and_linked_accounts_pages(client, people):
    client.force_login(people["member"])
    profile = client.get("/org/profile/").text
    assert "/accounts/2fa/" in profile and "/accounts/3rdparty/" in profile
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/3rdparty/").status_code == 200
