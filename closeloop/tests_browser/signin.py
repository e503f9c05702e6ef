"""Signing a person in through the real login form, for the browser stories."""

from closeloop.conftest import PASSWORD


def signed_in_page(browser, base, username, locale="zh-CN"):
    """A new browser context signed in as `username`, on the meetings list; page errors are kept on `page.errors`."""
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/meetings/")
    return page
