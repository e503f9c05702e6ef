"""The collaboration rules: administrators change them with a version check; the rules drive the checks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from closeloop.collab import services
from closeloop.collab.selectors import collab_policy_for
from closeloop.lib.errors import Conflict

from .conftest import moment, request_data


def test_administrators_change_the_rules_and_a_stale_copy_is_refused(parties):
    org = parties["admin"].organisation
    policy = collab_policy_for(org)
    with pytest.raises(PermissionDenied):
        services.collab_policy_update(actor=parties["head"], organisation=org, data={}, version=policy.version)
    saved = services.collab_policy_update(actor=parties["admin"], organisation=org, version=policy.version, data={
        "materials_lead_workdays": 3, "materials_mode": "block", "management": [parties["market_head"]]})
    assert saved.materials_lead_workdays == 3 and list(saved.management.all()) == [parties["market_head"]]
    with pytest.raises(Conflict):
        services.collab_policy_update(actor=parties["admin"], organisation=org, version=policy.version,
                                      data={"materials_lead_workdays": 1})
    with pytest.raises(ValidationError) as error:
        services.collab_policy_update(actor=parties["admin"], organisation=org, version=saved.version,
                                      data={"finance_threshold": 90000, "management_threshold": 50000})
    assert "management_threshold" in error.value.message_dict
    # The stricter rule now blocks a request whose materials come 2 working days ahead.
    with pytest.raises(ValidationError) as error:
        services.request_create(actor=parties["host"], data=request_data(wanted_start=dt.date(2026, 2, 24)),
                                receiving_departments=[parties["sales"]], now=moment(2026, 2, 13))
    assert "wanted_start" in error.value.message_dict


def test_the_rules_page_is_for_administrators_and_readable_by_members(client, parties):
    client.force_login(parties["member"])
    assert client.get("/requests/policy/").status_code == 200
    assert client.post("/requests/policy/", {}).status_code == 403
    client.force_login(parties["admin"])
    policy = collab_policy_for(parties["admin"].organisation)
    response = client.post("/requests/policy/", {
        "materials_lead_workdays": "2", "materials_mode": "warn", "escalate_after_workdays": "2",
        "finance_threshold": "5000", "management_threshold": "3000", "version": policy.version})
    assert response.status_code == 422 and "不能低于" in response.content.decode()
    response = client.post("/requests/policy/", {
        "materials_lead_workdays": "2", "materials_mode": "warn", "escalate_after_workdays": "2",
        "finance_threshold": "5000", "management_threshold": "30000",
        "finance_department": parties["departments"]["finance"].pk, "version": policy.version})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.escalate_after_workdays, policy.finance_department.name) == (2, "财务部")
    response = client.post("/requests/policy/", {
        "materials_lead_workdays": "5", "materials_mode": "warn", "escalate_after_workdays": "2",
        "finance_threshold": "5000", "management_threshold": "30000", "version": policy.version - 1})
    assert response.status_code == 409
    policy.refresh_from_db()
    assert policy.materials_lead_workdays == 2
