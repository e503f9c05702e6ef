"""The meeting page's agenda check (counted in SQL) says what the full check says: its first 20 findings, how
many there are, the suggested order's first 20 places, and costs a bounded number of queries at any size."""

import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from closeloop.conftest import at, make_person
from closeloop.meetings.agenda import agenda_check_for
from closeloop.meetings.agenda_summary import SHOWN, agenda_summary_for
from closeloop.meetings.models import Material, Meeting, Participant, Topic
from closeloop.meetings.rules import BLOCK, WARN
from closeloop.org.selectors import policy_for

EARLY = at(2026, 6, 1, 9)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _messy(meeting, people, n, tag="m"):
    """`n` topics and participants with every kind of finding, orders that repeat, and materials too long."""
    org = meeting.organisation
    extra = [make_person(org, f"{tag}{meeting.pk}-{i}", name=f"成员{i}") for i in range(n)]
    Participant.objects.bulk_create([Participant(
        meeting=meeting, person=p, token=secrets.token_urlsafe(16),
        roles=["decision_maker", "executor", "decision_maker,informed", "presenter"][i % 4],
        response=["accepted", "declined", "substitute", "substitute", "pending"][i % 5],
        substitute=people["outsider"] if i % 5 in (2, 3) else None,
        substitute_response="declined" if i % 5 == 3 else "pending") for i, p in enumerate(extra)])
    not_invited = make_person(org, f"absent-{tag}{meeting.pk}", name="未邀请")
    presenters = [None, not_invited, *extra]
    Topic.objects.bulk_create([Topic(
        meeting=meeting, order=(i * 7) % 5 + 4, title=f"议题{i}", minutes=[5, 40, 10][i % 3],
        presentation_minutes=[None, 3, 15, 0][i % 4], kind=["decide", "inform", "discuss"][i % 3],
        required_outcome=["", " \n", "批准"][i % 3 if i % 2 else 2], urgent=i % 11 == 0,
        presenter=presenters[i % len(presenters)]) for i in range(n)])
    Material.objects.bulk_create([Material(meeting=meeting, file="x.pdf", name=f"材料{i}", size=1, pages=i * 3)
                                  for i in range(n // 4)])


def _same(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    full, page = agenda_check_for(meeting, now=EARLY), agenda_summary_for(meeting, now=EARLY)
    assert [f.as_dict() for f in page.findings] == [f.as_dict() for f in full.findings[:SHOWN]]
    assert page.finding_count == len(full.findings) and page.blocking == full.blocking
    assert (page.topic_count, page.topic_minutes, page.meeting_minutes, page.order_changed) == (
        len(full.current_order), full.topic_minutes, full.meeting_minutes, full.order_changed)
    assert page.suggested_topics() == (full.suggested_topics()[:SHOWN] if full.order_changed else [])
    return full, page


@pytest.mark.parametrize("n", [0, 7, 60])
def test_the_page_shows_the_full_checks_first_findings_and_counts_the_rest(meeting, people, n):
    _messy(meeting, people, n)
    full, _page = _same(meeting)
    if n == 60:
        rules = {f.rule for f in full.findings}
        assert {"topic_minutes", "presentation_minutes", "presenter_missing", "presenter_not_participant",
                "required_outcome", "presenter_declined", "presenter_substituted", "decision_maker_declined",
                "decision_maker_substituted", "preread_pages", "topic_count"} <= rules
        assert len(full.findings) > SHOWN and full.order_changed


@pytest.mark.parametrize("modes", [WARN, BLOCK])
def test_the_policys_modes_sort_the_same_findings_first(meeting, people, modes):
    policy = policy_for(meeting.organisation)
    for name in ("topic_minutes_mode", "roles_mode", "preread_mode", "topics_mode", "meeting_minutes_mode"):
        setattr(policy, name, modes)
    policy.save()
    _messy(meeting, people, 40)
    _same(meeting)


def test_a_missing_decision_maker_names_every_decision_topic(meeting, people):
    Participant.objects.filter(meeting=meeting, roles__contains="decision_maker").delete()
    Topic.objects.bulk_create([Topic(meeting=meeting, order=9, title=f"决策{i}", minutes=1, kind="decide",
                                     presenter=people["host"], required_outcome="批准") for i in range(30)])
    _full, page = _same(meeting)
    [f] = [f for f in page.findings if f.rule == "decision_maker"]
    assert len(f.numbers["topics"]) == 31


def test_the_summary_takes_the_same_queries_at_any_size(meeting, people):
    _messy(meeting, people, 30)
    meeting = Meeting.objects.get(pk=meeting.pk)
    agenda_summary_for(meeting, now=EARLY)  # per-process caches
    meeting = Meeting.objects.get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as small:
        agenda_summary_for(meeting, now=EARLY)
    _messy(meeting, people, 300, tag="more")
    meeting = Meeting.objects.get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as large:
        agenda_summary_for(meeting, now=EARLY)
    # Which rules fill the first 20 findings depends on the data, not on its size: each rule's rows are read once.
    # organisation, policy, calendar (2), three aggregates, decision topics' places, the rows of each rule group
    # reached and their places (at most 3 groups here), the suggested order and its places.
    assert len(small.captured_queries) <= 16 and len(large.captured_queries) <= 16


def test_the_meeting_page_shows_twenty_findings_and_says_how_many_more(client, meeting, people):
    from django.urls import reverse

    _messy(meeting, people, 60)
    total = len(agenda_check_for(meeting).findings)
    client.force_login(people["host"])
    with translation.override("zh-hans"):
        html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert html.count('data-rule="') == SHOWN
    assert f"另有 {total - SHOWN} 条检查结果。" in html
