"""No GET request changes anything: every page and API endpoint is requested and the database compared."""

import hashlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from closeloop.demo.organisation import demo_load
from closeloop.meetings.models import Meeting
from closeloop.org.models import ApiToken, Person

# Sessions and login throttling records legitimately change around a request; nothing else may.
IGNORED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


def fingerprint():
    digest = {}
    for model in apps.get_models():
        if model._meta.label_lower in IGNORED:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        digest[model._meta.label_lower] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest


def named_patterns(resolver=None, prefix="", namespace=""):
    """(route, 'namespace:name', [kwarg names]) for every named URL."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from named_patterns(p, route, ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}".strip(":")
            yield route, name, list(p.pattern.regex.groupindex)


@pytest.fixture
def world(db):
    org = demo_load()
    seed = Meeting.objects.get(organisation=org, title="项目Q3推广跨部门协作会")
    pmo = Person.objects.get(username="pmo")
    token = ApiToken.objects.create(person=pmo, name="ci", prefix="cl_test", digest=ApiToken.hash("cl_test"))
    participant = seed.participants.exclude(person=pmo).first()
    material = seed.materials.first()
    return {
        "pmo": pmo, "seed": seed,
        "values": {
            "pk": seed.pk, "meeting_id": seed.pk, "meeting_pk": seed.pk,
            "topic_pk": seed.topics.first().pk, "topic_id": seed.topics.first().pk,
            "participant_pk": participant.pk, "participant_id": participant.pk, "token": participant.token,
            "material_pk": material.pk, "material_id": material.pk, "token_id": token.pk,
            "person_id": participant.person_id, "department_id": pmo.department_id,
            "project_id": seed.project_id, "year": 2026, "month": 10, "date": "2026-10-10",
        },
    }


def urls_to_request(values):
    urls, unknown = [], []
    for route, name, kwargs in named_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if any(k not in values for k in kwargs):
            unknown.append(name)
            continue
        urls.append(reverse(name, kwargs={k: values[k] for k in kwargs}))
    return sorted(set(urls)), unknown


def test_no_get_request_changes_the_database(world):
    urls, _unknown = urls_to_request(world["values"])
    assert len(urls) >= 10 and any("/api/v1/" in u for u in urls)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(world["pmo"])
    anonymous = Client(raise_request_exception=False)
    before = fingerprint()
    for url in urls:
        signed_in.get(url)
        signed_in.get(url, headers={"HX-Request": "true"})
        anonymous.get(url)
        after = fingerprint()
        changed = [label for label in before if before[label] != after[label]]
        assert not changed, f"GET {url} changed {changed}"


def test_logging_out_takes_a_post_not_a_get(client, people):
    client.force_login(people["host"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("meetings:list")).status_code == 200


def test_the_fingerprint_notices_a_change(meeting):
    before = fingerprint()
    Meeting.objects.filter(pk=meeting.pk).update(title="changed")
    assert fingerprint() != before
