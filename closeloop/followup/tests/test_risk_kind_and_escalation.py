"""Issue 12 point 4: a risk is raised from the item page and kept as a risk (its own kind of history entry, the
old "[risk]" progress entries converted); the figures count it; an overdue item of a top-level department's
head escalates to the organisation's management group."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from closeloop.actions.choices import EventKind
from closeloop.actions.models import ActionItemEvent
from closeloop.conftest import make_person
from closeloop.followup.scans import escalation_targets, scan_escalations
from closeloop.followup.tests.conftest import at, recipients
from closeloop.org.choices import Role

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_owner_raises_a_risk_from_the_item_page_and_it_shows_as_a_risk(client, people, new_item):
    item = new_item(D(2026, 6, 30), created_by=people["host"])
    page = reverse("actions:detail", args=[item.pk])
    risk = reverse("followup:risk", args=[item.pk])
    client.force_login(people["member"])
    html = client.get(page).content.decode()
    assert f'href="{risk}"' in html  # the owner has the button
    response = client.post(risk, {"note": "供应商报价延迟，需要采购部支持"})
    assert response.status_code == 302
    event = ActionItemEvent.objects.get(item=item, kind=EventKind.RISK)
    assert event.note == "供应商报价延迟，需要采购部支持"
    html = client.get(page).content.decode()
    assert 'data-kind="risk"' in html and "[risk]" not in html
    assert "供应商报价延迟" in html


def test_only_the_owner_sees_the_risk_button(client, people, new_item):
    item = new_item(D(2026, 6, 30), created_by=people["host"])
    client.force_login(people["host"])
    html = client.get(reverse("actions:detail", args=[item.pk])).content.decode()
    assert reverse("followup:risk", args=[item.pk]) not in html
    client.force_login(people["outsider"])
    assert client.get(reverse("followup:risk", args=[item.pk])).status_code == 404


def test_the_migration_turns_old_risk_progress_entries_into_risks(people, new_item):
    item = new_item(D(2026, 6, 30))
    old = ActionItemEvent.objects.create(item=item, kind=EventKind.PROGRESS, progress=20, note="[risk] 数据源未就绪")
    plain = ActionItemEvent.objects.create(item=item, kind=EventKind.PROGRESS, progress=30, note="进展顺利")
    migration = importlib.import_module("closeloop.actions.migrations.0004_event_kind_risk")
    migration.progress_to_risk(apps, None)
    old.refresh_from_db()
    plain.refresh_from_db()
    assert (old.kind, old.note) == (EventKind.RISK, "数据源未就绪")
    assert (plain.kind, plain.note) == (EventKind.PROGRESS, "进展顺利")
    migration.risk_to_progress(apps, None)
    old.refresh_from_db()
    assert (old.kind, old.note) == (EventKind.PROGRESS, "[risk] 数据源未就绪")


def test_a_top_level_heads_overdue_item_goes_to_the_management_group(org, people, new_item):
    ceo = make_person(org, "ceo", name="周总")
    # The insight app keeps the management group (read here by name: the two apps do not know each other).
    settings = apps.get_model("insight", "InsightSettings").objects.create(organisation=org)
    settings.management.add(ceo)
    item = new_item(D(2026, 6, 12), owner=people["head"])  # 销售部 has no parent; its head owns the item
    assert [p.username for p in escalation_targets(item)] == ["ceo"]
    scan_escalations(now=at(2026, 6, 15, 10))
    assert recipients("escalation") == ["ceo"]


def test_without_a_management_group_the_pmo_hears_of_it(org, people, new_item):
    make_person(org, "pmo2", role=Role.ADMIN, name="PMO 二")
    new_item(D(2026, 6, 12), owner=people["head"])
    scan_escalations(now=at(2026, 6, 15, 10))
    assert recipients("escalation") == ["admin", "pmo2"]
