"""The login page says what Closeloop is, switches language without signing in, and offers the demo's hint only
when the demo is loaded."""

import re

import pytest
from django.urls import reverse

from closeloop.directory.pages import login_hint

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def test_the_page_names_the_product_and_what_it_does_in_chinese_first(client):
    html = client.get(LOGIN).content.decode()
    assert re.search(r"<h1>Closeloop <span lang=\"zh-Hans\">闭环协作</span></h1>", html)
    assert "每项决定都有负责人" in html
    assert 'id="demo-hint"' not in html  # no demo in this database


def test_the_language_switch_turns_the_page_english_and_back(client):
    html = client.get(LOGIN + "?next=/meetings/").content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert re.search(r'<button type="submit" name="language" value="en" lang="en" class="link">English</button>', html)
    assert re.search(r'value="zh-hans"[^>]*aria-current="true" disabled', html)  # the language already shown

    answer = client.post(reverse("set_language"), {"language": "en", "next": LOGIN + "?next=/meetings/"})
    assert answer.status_code == 302 and answer["Location"] == LOGIN + "?next=/meetings/"
    english = client.get(answer["Location"]).content.decode()
    assert '<html lang="en">' in english and "every decision gets an owner" in english
    assert 'name="next" value="/meetings/"' in english  # where the person was going is kept

    client.post(reverse("set_language"), {"language": "zh-hans", "next": LOGIN})
    assert "每项决定都有负责人" in client.get(LOGIN).content.decode()


def test_the_hint_shows_what_the_provider_gives(client, monkeypatch):
    monkeypatch.setattr(login_hint, "_provider", lambda: {
        "organisation": "示例", "password": "pw-123", "people": [("someone", "某人", "职务")]})
    html = client.get(LOGIN).content.decode()
    assert 'id="demo-hint"' in html and "<code>pw-123</code>" in html and "<code>someone</code> · 某人 · 职务" in html


def test_no_hint_when_the_password_form_is_only_for_break_glass_administrators(client, settings, monkeypatch):
    monkeypatch.setattr(login_hint, "_provider", lambda: {"organisation": "示例", "password": "pw", "people": []})
    settings.LOCAL_PASSWORDS = False
    assert 'id="demo-hint"' not in client.get(LOGIN).content.decode()
