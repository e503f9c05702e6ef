"""The policy through the API: everyone reads it, administrators change it, every value is checked."""

import pytest

from closeloop.audit.models import AuditEntry
from closeloop.org.models import Policy
from closeloop.org.rules import policy_errors
from closeloop.org.selectors import policy_for
from closeloop.org.services import policy_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _policy(org):
    return policy_for(org)


def put(client, data):
    return client.put("/api/v1/policy", data, content_type="application/json")


def test_any_member_reads_the_policy_with_its_defaults(client, people):
    client.force_login(people["member"])
    policy = client.get("/api/v1/policy").json()
    assert policy["notice_lead_workdays"] == 3 and policy["topics_min"] == 3 and policy["topics_max"] == 5
    assert policy["roles_mode"] == "block" and policy["notice_lead_mode"] == "warn"
    assert policy["version"] == 1


def test_only_administrators_change_the_policy(client, people):
    for who in ("member", "head", "host"):
        client.force_login(people[who])
        response = put(client, {"version": 1, "topics_max": 7})
        assert response.status_code == 403, who
    assert Policy.objects.get().topics_max == 5


def test_an_administrator_changes_rules_and_the_version_moves_on(client, people):
    client.force_login(people["admin"])
    client.get("/api/v1/policy")
    response = put(client, {"version": 1, "topics_max": 7, "notice_lead_mode": "block"})
    assert response.status_code == 200
    body = response.json()
    assert body["topics_max"] == 7 and body["notice_lead_mode"] == "block" and body["version"] == 2
    assert body["topics_min"] == 3  # untouched fields keep their values
    entry = AuditEntry.objects.get(action="policy.update")
    assert entry.before["topics_max"] == 5 and entry.after["topics_max"] == 7


def test_a_stale_version_is_refused_with_the_current_one(client, people):
    client.force_login(people["admin"])
    assert put(client, {"version": 1, "topics_max": 6}).status_code == 200
    stale = put(client, {"version": 1, "topics_max": 4})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert Policy.objects.get().topics_max == 6


@pytest.mark.parametrize("payload, field", [
    ({"topics_min": 6, "topics_max": 5}, "topics_min"),
    ({"topics_min": 6}, "topics_min"),
    ({"buffer_min_minutes": 20, "buffer_max_minutes": 15}, "buffer_min_minutes"),
    ({"presentation_max_minutes": 40}, "presentation_max_minutes"),
    ({"notice_lead_urgent_workdays": 4}, "notice_lead_urgent_workdays"),
    ({"notice_lead_mode": "strict"}, "notice_lead_mode"),
    ({"roles_mode": None}, "roles_mode"),
    ({"topics_max": 0}, "topics_max"),
    ({"meeting_max_minutes": -5}, "meeting_max_minutes"),
    ({"meeting_max_minutes": "ninety"}, "meeting_max_minutes"),
    ({"topics_max": 100000}, "topics_max"),
    ({"notice_lead_workdays": None}, "notice_lead_workdays"),
    ({"notice_lead_workdays": 61}, "notice_lead_workdays"),
    ({"outbox_max_attempts": 0}, "outbox_max_attempts"),
])
def test_nonsense_values_are_refused_naming_the_field(client, people, payload, field):
    client.force_login(people["admin"])
    response = put(client, {"version": 1, **payload})
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert Policy.objects.get().version == 1


def test_text_rules_such_as_the_vague_words_are_changed_and_checked(client, people):
    client.force_login(people["admin"])
    response = put(client, {"version": 1, "vague_words": "尽快\n酌情", "smart_vague_mode": "block"})
    assert response.status_code == 200
    assert response.json()["vague_words"] == "尽快\n酌情" and response.json()["smart_vague_mode"] == "block"
    too_long = put(client, {"version": 2, "vague_words": "很" * 5001})
    assert too_long.status_code == 422 and "vague_words" in too_long.json()["errors"]


def test_the_version_is_required(client, people):
    client.force_login(people["admin"])
    response = put(client, {"topics_max": 6})
    assert response.status_code == 422 and "version" in response.json()["errors"]


def test_the_rules_accept_the_defaults_and_every_mode_field_takes_warn_or_block_only():
    numbers, modes, texts, labels = policy_fields()
    defaults = {f.name: f.default for f in Policy._meta.concrete_fields if f.name in numbers + modes + texts}
    assert policy_errors(defaults, numbers, modes, labels, texts) == {}
    assert set(modes) >= {"notice_lead_mode", "topics_mode", "roles_mode", "followup_mode"}
    for field in modes:
        assert field in policy_errors({**defaults, field: "maybe"}, numbers, modes)
    errors = policy_errors({**defaults, "followup_min_minutes": 45}, numbers, modes, labels)
    assert list(errors) == ["followup_min_minutes"]
