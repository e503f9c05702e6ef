"""OpenID Connect sign-in against a real provider process (django-oauth-toolkit), driven without a browser.

The browser test (closeloop/tests_browser/test_sso_browser.py) walks the same way through Chromium.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from closeloop.directory.testing_oidc import PASSWORD, USERNAME
from closeloop.org.models import Person

pytestmark = pytest.mark.django_db


def _hidden_inputs(page):
    return {name: unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}


def _through_the_provider(client, provider):
    """Start at Closeloop's button, sign in and consent at the provider; returns (authorize URL, callback URL)."""
    start = client.post("/accounts/oidc/oidc/login/")
    assert start.status_code == 302, start.content[:300]
    authorize = start["Location"]
    browser = requests.Session()
    page = browser.get(authorize)  # → the provider's login page
    assert "/login/" in page.url
    form = _hidden_inputs(page.text)
    page = browser.post(page.url, data={**form, "username": USERNAME, "password": PASSWORD},
                        headers={"Referer": page.url})
    assert 'name="allow"' in page.text, page.text[:500]  # the consent page
    consent = browser.post(page.url, data={**_hidden_inputs(page.text), "allow": "Authorize"},
                           headers={"Referer": page.url}, allow_redirects=False)
    assert consent.status_code == 302
    return authorize, urljoin(page.url, consent.headers["Location"])


def _callback(client, url):
    parts = urlparse(url)
    return client.get(parts.path + "?" + parts.query)


def test_signing_in_creates_a_person_linked_by_the_providers_subject_with_pkce(client, settings, oidc_provider):
    oidc_provider.configure(settings)
    local = Person.objects.create_user(username="zhou", email=f"{USERNAME}@idp.test")  # same address, not them
    authorize, callback = _through_the_provider(client, oidc_provider)
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    response = _callback(client, callback)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/meetings/", response["Location"]
    account = SocialAccount.objects.get(provider="oidc")
    person = account.user
    assert person.pk != local.pk  # never linked by e-mail alone
    assert (person.username, person.display_name) == (USERNAME, "周欧")
    assert int(client.session["_auth_user_id"]) == person.pk
    assert account.uid  # the provider's stable subject

    client.logout()
    _authorize, callback = _through_the_provider(client, oidc_provider)
    _callback(client, callback)
    assert int(client.session["_auth_user_id"]) == person.pk  # the same person again, by subject
    assert Person.objects.filter(username__startswith="zhou").count() == 2


@pytest.mark.parametrize("mode", ["wrong-signature", "wrong-audience"])
def test_an_id_token_with_a_wrong_signature_or_audience_is_refused(client, settings, oidc_provider, mode):
    oidc_provider.configure(settings)
    oidc_provider.set_mode(mode)
    _authorize, callback = _through_the_provider(client, oidc_provider)
    response = _callback(client, callback)
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists() and not Person.objects.filter(username=USERNAME).exists()
    assert response.status_code == 401  # allauth's "third-party login failure" page


def test_the_login_page_shows_the_providers_button_only_when_configured(client, settings, oidc_provider):
    assert "Sign in with" not in client.get("/accounts/login/").text and "sso-" not in client.get(
        "/accounts/login/").text
    oidc_provider.configure(settings, name="公司统一身份认证")
    assert "公司统一身份认证" in client.get("/accounts/login/").text


def test_a_deactivated_person_cannot_sign_in_through_the_provider(client, settings, oidc_provider):
    oidc_provider.configure(settings)
    _a, callback = _through_the_provider(client, oidc_provider)
    _callback(client, callback)
    person = SocialAccount.objects.get(provider="oidc").user
    client.logout()
    person.is_active = False
    person.save()
    _a, callback = _through_the_provider(client, oidc_provider)
    _callback(client, callback)
    assert "_auth_user_id" not in client.session
