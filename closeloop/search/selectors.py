"""The header's search: people, meetings, requests, action items, decisions and minutes in one answer.

Every kind reads through its own app's visibility selector, so a hit the viewer may not open is neither shown
nor counted (the 404 rule: existence is not revealed). Substring matching, so Chinese needs no word splitting.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from closeloop.actions.selectors.items import items_visible_to
from closeloop.archive.search import DECISIONS, MINUTES
from closeloop.archive.search import search as archive_search
from closeloop.collab.selectors import requests_visible_to
from closeloop.meetings.selectors import meetings_matching, meetings_visible_to, person_name_q
from closeloop.org.models import Person

PEOPLE, MEETINGS, REQUESTS, ITEMS = "people", "meetings", "requests", "items"
KINDS = [(PEOPLE, _("People")), (MEETINGS, _("Meetings")), (REQUESTS, _("Requests")),
         (ITEMS, _("Action items")), (DECISIONS, _("Decisions")), (MINUTES, _("Minutes"))]
PER_KIND = 8


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str
    label: str
    count: int
    hits: list = field(default_factory=list)
    more_url: str = ""


def _people(viewer, q):
    qs = (Person.objects.filter(organisation_id=viewer.organisation_id, is_active=True)
          .filter(person_name_q(q) | Q(title__icontains=q)).select_related("department")
          .order_by("display_name", "username"))
    meetings = reverse("meetings:list")
    hits = [Hit(str(p), f"{meetings}?{urlencode({'q': str(p)})}",
                " · ".join(str(x) for x in (p.department, p.title) if x)) for p in qs[:PER_KIND]]
    return qs.count(), hits, ""


def _meetings(viewer, q):
    qs = meetings_matching(meetings_visible_to(viewer), q).order_by("-start", "-pk")
    hits = [Hit(m.title, reverse("meetings:detail", args=[m.pk]),
                f"{timezone.localtime(m.start):%Y-%m-%d %H:%M} · {m.get_state_display()}") for m in qs[:PER_KIND]]
    return qs.count(), hits, f"{reverse('meetings:list')}?{urlencode({'q': q})}"


def _requests(viewer, q):
    words = (Q(subject__icontains=q) | Q(what__icontains=q) | person_name_q(q, "initiator__")
             | Q(initiating_department__name__icontains=q))
    qs = requests_visible_to(viewer).filter(words).select_related("initiator").order_by("-pk")
    hits = [Hit(r.subject, reverse("collab:detail", args=[r.pk]), f"{r.initiator} · {r.get_state_display()}")
            for r in qs[:PER_KIND]]
    return qs.count(), hits, ""


def _items(viewer, q):
    words = Q(task__icontains=q) | Q(deliverable__icontains=q) | person_name_q(q, "owner__")
    qs = items_visible_to(viewer).filter(words).select_related("owner").order_by("due", "-pk")
    hits = [Hit(i.task, reverse("actions:detail", args=[i.pk]),
                f"{i.owner or '—'} · {i.due:%Y-%m-%d} · {i.get_status_display()}" if i.due else str(i.owner or "—"))
            for i in qs[:PER_KIND]]
    return qs.count(), hits, ""


def _archived(kind):
    def find(viewer, q):
        [group] = archive_search(viewer, q, kinds=[kind], page=1, per_page=PER_KIND)
        hits = [Hit(str(h.meeting or h.obj), h.url, " … ".join(e.text for e in h.excerpts[:1]))
                for h in group.hits]
        return group.count, hits, f"{reverse('archive:search')}?{urlencode({'q': q, 'kind': kind})}"
    return find


FINDERS = {PEOPLE: _people, MEETINGS: _meetings, REQUESTS: _requests, ITEMS: _items,
           DECISIONS: _archived(DECISIONS), MINUTES: _archived(MINUTES)}


def search_everything(viewer, q):
    """One Group per kind that found something, in KINDS' order."""
    q = (q or "").strip()
    if not q or not viewer.is_authenticated or not viewer.organisation_id:
        return []
    groups = []
    for kind, label in KINDS:
        count, hits, more = FINDERS[kind](viewer, q)
        if count:
            groups.append(Group(kind, str(label), count, hits, more if count > len(hits) or kind == MEETINGS else ""))
    return groups
