"""In Chromium: signing in through the company's OpenID Connect provider (a real provider in its own process),
with its login and consent pages, back to Closeloop with a linked account; and a refused bad ID token."""

import pytest
from allauth.socialaccount.models import SocialAccount

from closeloop.directory.testing_oidc import PASSWORD, USERNAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_at_the_provider(page, base):
    requests_seen, page.failed = [], []
    page.on("request", lambda r: requests_seen.append(r.url))
    page.on("response", lambda r: page.failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{base}/accounts/login/")
    page.locator("form[action^='/accounts/oidc/'] button").click()  # 使用公司统一身份认证登录
    page.wait_for_selector("#provider-login")  # the provider's own login page
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("#provider-login")
    page.click("input[name=allow]")  # consent
    return requests_seen


def test_a_person_signs_in_through_the_companys_provider_and_comes_back_linked(
        page, live_server, settings, oidc_provider_live):
    from playwright.sync_api import expect

    oidc_provider_live.configure(settings, name="公司统一身份认证")
    base = live_server.url
    seen = _sign_in_at_the_provider(page, base)
    page.wait_for_url(f"{base}/meetings/")
    expect(page.locator(".topbar .me")).to_contain_text("周欧")
    authorize = next(u for u in seen if "/o/authorize/" in u)
    assert "code_challenge_method=S256" in authorize and "code_challenge=" in authorize
    account = SocialAccount.objects.get(provider="oidc")
    assert account.user.username == USERNAME
    # The only failures are the test provider's own (it serves no stylesheet or favicon); none of Closeloop's.
    assert all(u.startswith(oidc_provider_live.origin) for u in page.failed), page.failed
    assert all("Failed to load resource" in e for e in page.errors), page.errors


def test_an_id_token_signed_by_another_key_is_refused_in_the_browser(page, live_server, settings, oidc_provider_live):
    from playwright.sync_api import expect

    oidc_provider_live.configure(settings, name="公司统一身份认证")
    oidc_provider_live.set_mode("wrong-signature")
    base = live_server.url
    _sign_in_at_the_provider(page, base)
    page.wait_for_url(f"{base}/accounts/oidc/oidc/login/callback/*")
    expect(page.locator(".topbar nav")).to_have_count(0)  # not signed in
    assert not SocialAccount.objects.exists()
