"""A person deactivated (by an administrator or the directory sync) loses every way in at once."""

import json

from django.test import Client

from closeloop.actions.services.feed import feed_token_regenerate
from closeloop.directory.services import person_deactivate
from closeloop.minutes.models import SignOff
from closeloop.org.services import token_create


def test_a_deactivated_persons_api_token_feed_and_signoff_link_stop_working(distributed, cast):
    head = cast["head"]
    _token, secret = token_create(person=head, name="script")
    feed = feed_token_regenerate(actor=head)
    signoff = SignOff.objects.get(minutes=distributed.minutes, head=head)
    api = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/v1/me", headers=api).status_code == 200
    assert Client().get(f"/actions/feed/{feed.token}.ics").status_code == 200
    assert Client().get(f"/minutes/signoff/{signoff.token}/").status_code == 200

    person_deactivate(person=head)

    assert Client().get("/api/v1/me", headers=api).status_code == 401
    assert Client().get(f"/actions/feed/{feed.token}.ics").status_code == 404
    assert Client().get(f"/minutes/signoff/{signoff.token}/").status_code == 404
    response = Client().post("/api/v1/minutes/signoffs/by-token", json.dumps({"token": signoff.token}),
                             content_type="application/json")
    assert response.status_code == 404
    assert SignOff.objects.get(pk=signoff.pk).signed_at is None


def test_a_leavers_pending_signoffs_are_listed_for_hand_over(distributed, cast):
    from closeloop.directory.handover import open_work_of

    work = open_work_of(cast["head"])
    assert [w.kind for w in work] == ["signoff"]
    assert work[0].url == f"/minutes/{distributed.minutes.pk}/"
