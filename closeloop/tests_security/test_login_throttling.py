"""Login throttling (django-axes): five failures lock the username from that address."""

import pytest
from django.urls import reverse

from closeloop.conftest import PASSWORD, make_person
from closeloop.org.models import Organisation

LOCKED_TEMPLATE = "registration/locked_out.html"


@pytest.fixture
def person(db):
    return make_person(Organisation.objects.create(name="示例公司"), "zhang")


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def templates_of(response):
    return [t.name for t in response.templates]


def test_five_failed_attempts_lock_the_account_even_for_the_right_password(client, person):
    for _ in range(5):
        response = attempt(client, "zhang", "wrong")
    assert LOCKED_TEMPLATE in templates_of(response)
    response = attempt(client, "zhang", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEMPLATE in templates_of(response)
    assert not response.wsgi_request.user.is_authenticated


def test_four_failures_still_let_the_right_password_in(client, person):
    for _ in range(4):
        response = attempt(client, "zhang", "wrong")
        assert response.status_code == 200
        assert LOCKED_TEMPLATE not in templates_of(response)
    response = attempt(client, "zhang", PASSWORD)
    assert response.status_code == 302
    assert response.wsgi_request.user == person


def test_a_lockout_does_not_lock_the_same_person_out_from_another_address(client, person):
    for _ in range(5):
        attempt(client, "zhang", "wrong", ip="10.0.0.1")
    response = attempt(client, "zhang", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302


def test_a_success_resets_the_failure_count(client, person):
    for _ in range(4):
        attempt(client, "zhang", "wrong")
    assert attempt(client, "zhang", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        response = attempt(client, "zhang", "wrong")
    assert LOCKED_TEMPLATE not in templates_of(response)
