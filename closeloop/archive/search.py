"""Search the archive by words: meeting titles, decisions, action items (task, deliverable) and minutes.

Substring matching (`icontains`), so Chinese needs no word splitting: 成本报告 finds 提交成本报告, on SQLite and
PostgreSQL alike. On PostgreSQL the trigram indexes of migration 0001 keep it fast; each query below is written
so that its WHERE clause is the indexed expression. Every kind starts from what the viewer may see.
"""

import json
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from closeloop.actions.selectors.items import items_visible_to
from closeloop.archive import rules
from closeloop.meetings.selectors import meetings_visible_to
from closeloop.minutes.choices import SECTIONS
from closeloop.minutes.models import Minutes
from closeloop.record.models import Decision

MEETINGS, DECISIONS, ITEMS, MINUTES = "meetings", "decisions", "items", "minutes"
KINDS = [(MEETINGS, _("Meetings")), (DECISIONS, _("Decisions")), (ITEMS, _("Action items")), (MINUTES, _("Minutes"))]
SNIPPETS_PER_MINUTES = 2


@dataclass
class Excerpt:
    """A piece of a hit's text around the match; `label` says where it comes from (a minutes section…)."""

    text: str
    spans: list
    label: str = ""

    @property
    def segments(self):
        return rules.segments(self.text, self.spans)


@dataclass
class Hit:
    kind: str
    obj: object  # the meeting, decision, action item or minutes version
    url: str
    excerpts: list
    meeting: object = None  # the meeting it belongs to, if the viewer may see it


@dataclass
class Group:
    kind: str
    label: str
    page: object  # django.core.paginator.Page
    hits: list = field(default_factory=list)

    @property
    def count(self):
        return self.page.paginator.count


def words_in(kind, q):
    """The text condition of each kind: the indexed expressions (see migration 0001); `minutes` adds its sections."""
    if kind == MEETINGS:
        return Q(title__icontains=q)
    if kind == DECISIONS:
        return Q(text__icontains=q)
    if kind == ITEMS:
        return Q(task__icontains=q) | Q(deliverable__icontains=q)
    if kind == MINUTES:
        # UPPER(content::text) LIKE … is what the index covers, on PostgreSQL (where JSON text keeps Chinese as
        # it is). It can also match a key's name, so the per-section test below it decides.
        return Q(content__icontains=json_text(q)) if connection.vendor == "postgresql" else Q()
    raise ValueError(kind)


def _excerpt(text, q, label=""):
    text, found = rules.snippet(text, q)
    return Excerpt(text, found, str(label))


def _meetings(person, q):
    return (meetings_visible_to(person).filter(words_in(MEETINGS, q)).select_related("project")
            .order_by("-start", "-pk"))


def _meeting_hits(person, q, objects):
    return [Hit(MEETINGS, m, reverse("meetings:detail", args=[m.pk]), [_excerpt(m.title, q)], m) for m in objects]


def _decisions(person, q):
    visible = meetings_visible_to(person).values("pk")
    return (Decision.objects.filter(words_in(DECISIONS, q), record__meeting__in=visible)
            .select_related("record__meeting", "topic").order_by("-record__meeting__start", "pk"))


def _decision_hits(person, q, objects):
    return [Hit(DECISIONS, d, reverse("record:live", args=[d.record.meeting_id]),
                [_excerpt(d.text, q, d.topic.title)], d.record.meeting) for d in objects]


def _items(person, q):
    return (items_visible_to(person).filter(words_in(ITEMS, q))
            .select_related("owner", "department", "meeting").order_by("-created_at", "-pk"))


def _item_hits(person, q, objects):
    # An item is also visible to its owner's head and collaborators, who may not see its meeting: name it only
    # to those who may.
    meeting_ids = {i.meeting_id for i in objects if i.meeting_id}
    visible = set(meetings_visible_to(person).filter(pk__in=meeting_ids).values_list("pk", flat=True)) \
        if meeting_ids else set()
    hits = []
    for item in objects:
        excerpts = [_excerpt(item.task, q)]
        if rules.spans(item.deliverable, q):
            excerpts.append(_excerpt(item.deliverable, q, _("Deliverable")))
        meeting = item.meeting if item.meeting_id in visible else None
        hits.append(Hit(ITEMS, item, reverse("actions:detail", args=[item.pk]), excerpts, meeting))
    return hits


def json_text(q):
    """`q` as it reads inside JSON text (quotes, backslashes and control characters escaped)."""
    return json.dumps(q, ensure_ascii=False)[1:-1]


def _minutes(person, q):
    """The latest version of each visible meeting's minutes whose sections contain `q`."""
    newer = Minutes.objects.filter(meeting=OuterRef("meeting"), number__gt=OuterRef("number"))
    in_a_section = Q()
    for key, _label in SECTIONS:
        in_a_section |= Q(**{f"content__{key}__icontains": q})
    qs = Minutes.objects.filter(meeting__in=meetings_visible_to(person).values("pk")).filter(~Exists(newer))
    return (qs.filter(words_in(MINUTES, q)).filter(in_a_section).select_related("meeting")
            .order_by("-meeting__start", "-pk"))


def _minutes_hits(person, q, objects):
    hits = []
    for minutes in objects:
        content = minutes.content or {}
        excerpts = [_excerpt(str(content.get(key) or ""), q, label) for key, label in SECTIONS
                    if rules.spans(str(content.get(key) or ""), q)]
        hits.append(Hit(MINUTES, minutes, reverse("minutes:detail", args=[minutes.pk]),
                        excerpts[:SNIPPETS_PER_MINUTES], minutes.meeting))
    return hits


_FINDERS = {
    MEETINGS: (_meetings, _meeting_hits),
    DECISIONS: (_decisions, _decision_hits),
    ITEMS: (_items, _item_hits),
    MINUTES: (_minutes, _minutes_hits),
}


def search(person, q, *, kinds=None, page=1, per_page=20):
    """One Group per kind (all four unless `kinds` says), each on its own page `page` of `per_page` hits."""
    groups = []
    for kind, label in KINDS:
        if kinds and kind not in kinds:
            continue
        find, to_hits = _FINDERS[kind]
        page_obj = Paginator(find(person, q), per_page).get_page(page)
        groups.append(Group(kind, str(label), page_obj, to_hits(person, q, list(page_obj.object_list))))
    return groups
