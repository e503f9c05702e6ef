"""Sign-off by each participating department's head: by the mail's token link (GET shows, POST signs), from the
minutes page signed in, or through the API; who has and has not signed is visible."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from closeloop.audit.models import AuditEntry
from closeloop.minutes import services
from closeloop.minutes.models import Minutes, SignOff
from closeloop.org.services import token_create

pytestmark = pytest.mark.django_db


def signoff_of(distributed, dept):
    return next(s for s in distributed.signoffs if s.department.name == dept)


def test_the_token_page_shows_the_minutes_and_changes_nothing_on_get(distributed):
    signoff = signoff_of(distributed, "销售部")
    page = Client().get(f"/minutes/signoff/{signoff.token}/")
    assert page.status_code == 200
    assert 'id="signoff-form"' in page.text and "王五(销售部,出差)——由赵六代参会" in page.text
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert SignOff.objects.get(pk=signoff.pk).signed_at is None


def test_posting_the_token_page_signs_for_the_department(distributed, cast):
    signoff = signoff_of(distributed, "销售部")
    response = Client().post(f"/minutes/signoff/{signoff.token}/", {"comment": "同意"})
    assert response.status_code == 302
    signoff.refresh_from_db()
    assert signoff.signed_at and signoff.comment == "同意" and signoff.head == cast["head"]
    entry = AuditEntry.objects.get(action="minutes.sign_off")
    assert entry.actor == cast["head"] and entry.after["by_token"] is True
    again = Client().get(f"/minutes/signoff/{signoff.token}/")
    assert 'id="signed"' in again.text and 'id="signoff-form"' not in again.text
    assert Minutes.objects.get(pk=distributed.minutes.pk).state == "distributed"  # 市场部 has not signed yet


def test_a_wrong_token_gets_404_and_signing_twice_is_refused(distributed):
    assert Client().get("/minutes/signoff/not-a-token/").status_code == 404
    assert Client().post("/minutes/signoff/not-a-token/").status_code == 404
    signoff = signoff_of(distributed, "销售部")
    services.minutes_sign_off(signoff=signoff, token=signoff.token)
    with pytest.raises(ValidationError):
        services.minutes_sign_off(signoff=signoff, token=signoff.token)
    with pytest.raises(PermissionDenied):
        services.minutes_sign_off(signoff=signoff_of(distributed, "市场部"), token=signoff.token)


def test_when_every_head_has_signed_the_minutes_are_signed_off(distributed, cast, client_for):
    sales, market = signoff_of(distributed, "销售部"), signoff_of(distributed, "市场部")
    services.minutes_sign_off(signoff=sales, token=sales.token)
    page = client_for(cast["host"]).get(f"/minutes/{distributed.minutes.pk}/")
    assert 'data-signed="1" data-total="2"' in page.text
    assert page.text.count("signoff signed") == 1 and page.text.count("signoff pending") == 1
    head_page = client_for(cast["market_head"]).get(f"/minutes/{distributed.minutes.pk}/")
    assert 'id="signoff-form"' in head_page.text
    response = client_for(cast["market_head"]).post(f"/minutes/{distributed.minutes.pk}/signoff/", {"comment": ""})
    assert response.status_code == 302
    minutes = Minutes.objects.get(pk=distributed.minutes.pk)
    assert minutes.state == "signed_off" and minutes.signed_off_at
    assert SignOff.objects.get(pk=market.pk).signed_at
    assert AuditEntry.objects.filter(action="minutes.signed_off", object_id=str(minutes.pk)).count() == 1
    assert 'data-signed="2" data-total="2"' in client_for(cast["host"]).get(f"/minutes/{minutes.pk}/").text


def test_someone_who_is_not_the_head_cannot_sign_from_the_page(distributed, cast, client_for):
    client = client_for(cast["member"])
    assert 'id="signoff-form"' not in client.get(f"/minutes/{distributed.minutes.pk}/").text
    client.post(f"/minutes/{distributed.minutes.pk}/signoff/")
    assert not SignOff.objects.filter(signed_at__isnull=False).exists()
    with pytest.raises(PermissionDenied):
        services.minutes_sign_off(actor=cast["admin"], signoff=signoff_of(distributed, "销售部"))


def test_minutes_that_are_not_distributed_cannot_be_signed(approved, cast):
    signoff = SignOff.objects.create(minutes=approved, department=cast["departments"]["sales"], head=cast["head"],
                                     token="early-token")
    with pytest.raises(ValidationError):
        services.minutes_sign_off(signoff=signoff, token="early-token")
    page = Client().get("/minutes/signoff/early-token/")
    assert 'id="signoff-form"' not in page.text


def test_heads_sign_through_the_api_signed_in_or_with_the_mail_token(distributed, cast):
    headers = {"Authorization": f"Bearer {token_create(person=cast['head'], name='t')[1]}"}
    minutes = distributed.minutes
    response = Client().post(f"/api/v1/minutes/{minutes.pk}/signoff", json.dumps({"comment": "ok"}),
                             content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["signed"] is True
    member = {"Authorization": f"Bearer {token_create(person=cast['member'], name='t')[1]}"}
    assert Client().post(f"/api/v1/minutes/{minutes.pk}/signoff", "{}", content_type="application/json",
                         headers=member).status_code == 403
    market = signoff_of(distributed, "市场部")
    bad = Client().post("/api/v1/minutes/signoffs/by-token", json.dumps({"token": "nope"}),
                        content_type="application/json")
    assert bad.status_code == 404
    good = Client().post("/api/v1/minutes/signoffs/by-token", json.dumps({"token": market.token}),
                         content_type="application/json")
    assert good.status_code == 200 and good.json()["department"]["name"] == "市场部"
    listing = Client().get(f"/api/v1/minutes/{minutes.pk}/signoffs", headers=headers).json()
    assert [s["signed"] for s in listing] == [True, True]
    assert Client().get(f"/api/v1/minutes/{minutes.pk}", headers=headers).json()["state"] == "signed_off"


def test_a_bare_post_to_the_token_page_signs_without_a_comment(distributed):
    signoff = signoff_of(distributed, "市场部")
    assert Client().post(f"/minutes/signoff/{signoff.token}/").status_code == 302
    signoff.refresh_from_db()
    assert signoff.signed_at is not None and signoff.comment == ""


def test_removing_a_participant_revokes_their_signoff_link_and_their_inbox_links(approved, cast, client_for):
    """A head taken off the meeting can no longer sign with the mailed link nor follow old inbox links."""
    from closeloop.meetings.choices import ParticipantRole as Role
    from closeloop.meetings.models import Participant
    from closeloop.meetings.services.planning import participant_remove, participant_set
    from closeloop.notify.models import InboxItem

    meeting, head = approved.meeting, cast["head"]
    participant_set(actor=cast["host"], meeting=meeting, person=head, roles=[Role.DECISION_MAKER])
    distributed = services.minutes_distribute(actor=cast["recorder"], minutes=approved)
    signoff = next(s for s in distributed.signoffs if s.head_id == head.pk)
    old_token = signoff.token
    assert Client().get(f"/minutes/signoff/{old_token}/").status_code == 200
    for n, link in enumerate([f"http://testserver/minutes/{approved.pk}/", f"http://testserver/meetings/{meeting.pk}/",
                              f"http://testserver/record/meetings/{meeting.pk}/", "http://testserver/meetings/999999/"]):
        InboxItem.objects.create(recipient=head, key=f"k{n}", kind="minutes", title="纪要", link=link)
    participant_remove(actor=cast["host"], participant=Participant.objects.get(meeting=meeting, person=head))
    assert Client().get(f"/minutes/signoff/{old_token}/").status_code == 404
    assert Client().post(f"/minutes/signoff/{old_token}/", {"comment": "同意"}).status_code == 404
    signoff.refresh_from_db()
    assert signoff.signed_at is None and signoff.token != old_token and signoff.head_id is None
    assert list(InboxItem.objects.filter(recipient=head).values_list("link", flat=True)) == [
        "http://testserver/meetings/999999/"]
    assert AuditEntry.objects.filter(action="signoff.revoke", object_id=str(signoff.pk)).exists()
