"""Security headers: a strict Content-Security-Policy and the browser hardening headers on every page."""

import re

import pytest
from django.urls import reverse

from closeloop.demo.organisation import demo_load
from closeloop.org.models import Person

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>\s*\S", re.I)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
# hx-on evaluates its attribute as code, which the policy (no unsafe-eval) blocks just the same.
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\s(?:on[a-z]+|hx-on[:-][^=\s>]*)\s*=", re.I)


def csp_of(response):
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def pmo_client(client, db):
    demo_load()
    client.force_login(Person.objects.get(username="pmo"))
    return client


def page_urls():
    from closeloop.meetings.models import Meeting

    seed = Meeting.objects.get(title="项目Q3推广跨部门协作会")
    return [reverse("meetings:list"), reverse("meetings:detail", args=[seed.pk]), reverse("workcal:calendar")]


def test_the_login_page_forbids_inline_script_inline_style_and_eval(client, db):
    response = client.get(reverse("login"))
    policy = csp_of(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def assert_no_inline_code(url, html):
    # The browser would silently drop these under the policy, so a page relying on them breaks unnoticed.
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
        found = pattern.search(html)
        assert not found, (url, found and found.group(0))


def test_the_login_page_has_no_inline_script_style_or_event_handler(client, db):
    assert_no_inline_code("login", client.get(reverse("login")).content.decode())


def test_signed_in_pages_carry_the_strict_policy_hardening_headers_and_no_inline_code(pmo_client):
    for url in page_urls():
        response = pmo_client.get(url)
        assert response.status_code == 200, url
        header = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert_no_inline_code(url, response.content.decode())


def test_the_inline_markup_detector_catches_what_it_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/app.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json">{"a": 1}</script>')
    assert INLINE_STYLE.search('<p class="x" style="color:red">')
    assert INLINE_HANDLER.search('<button onclick="go()">')
    assert INLINE_HANDLER.search('<button hx-on:click="go()">')
    assert not INLINE_HANDLER.search('<button class="once" hx-post="/x">')
