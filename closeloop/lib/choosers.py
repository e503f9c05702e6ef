"""Person and department choosers that share one list per page.

A page with many forms naming people (the live record has five per topic) used to carry the organisation's
whole list in every <select>: 57,633 options at 100 topics. Now the page carries the list once, as JSON in a
<template id="shared-choices"> (`choices_script`; inert, so the CSP holds, and swappable by htmx, which drops
<script> elements from what it swaps in), each <select> only its blank and chosen options plus
`data-choices="<source>"`, and app.js copies the shared list into every such <select> (on load and after each
htmx swap; a new copy refills them all).

Sources: "people" (by department), "departments", "participants" (the meeting's, by department),
"people-not-participants" (by department) and "people-participants-first" (two groups).

Without JavaScript nothing fills the choosers, so the shared list comes with a <noscript> link to the same page
with the lists written into every chooser (`?choices=full`, remembered in a cookie until `?choices=shared`):
heavier pages, but every form works.
"""

import contextvars
import json
from collections.abc import Mapping

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

SCRIPT_ID = "shared-choices"
FULL_COOKIE = "closeloop_choices"

# Set per request by FullChoicesMiddleware: None (choosers share the page's list) or {} (write every option out;
# choices_script keeps the page's lists here for the choosers rendered after it).
_full = contextvars.ContextVar("closeloop_full_choices", default=None)


class SharedSelect(forms.Select):
    """Renders the blank option and the chosen one(s) only; `label_of(value)` names a chosen value."""

    def __init__(self, source, *, blank=None, label_of=None, attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-choices": source})
        self.blank = blank
        self.label_of = label_of or (lambda value: None)

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v not in ("", None)]
        blank = [("", self.blank)] if self.blank is not None else []
        lists = _full.get()
        if lists and "people" in lists:  # no JavaScript: every option written out
            options = full_choices(lists, self.attrs["data-choices"])
            listed = set(_option_values(options))
            kept = [(v, self.label_of(v) or v) for v in chosen if str(v) not in listed]  # e.g. someone who left
            self.choices = blank + kept + options
        else:
            self.choices = blank + [(v, self.label_of(v) or v) for v in chosen]
        return super().optgroups(name, value, attrs)


def _option_values(options):
    for value, label in options:
        if isinstance(label, list):  # a group: (its label, its options)
            yield from (str(v) for v, _name in label)
        else:
            yield str(value)


class SharedSelectMultiple(SharedSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class Objects(Mapping):
    """{pk string: object} read on first use, in one query: `queryset` narrowed to `ids` when given (a write
    reads only the people it names, not the whole organisation)."""

    def __init__(self, queryset, ids=None):
        self.queryset, self.ids, self._rows = queryset, ids, None

    def _load(self):
        if self._rows is None:
            if self.ids is not None:
                ids = {int(i) for i in self.ids if str(i).isdigit()}
                rows = self.queryset.filter(pk__in=ids) if ids else []
            else:
                rows = self.queryset
            self._rows = {str(o.pk): o for o in rows}
        return self._rows

    def __getitem__(self, key):
        return self._load()[str(key)]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __contains__(self, key):
        return str(key) in self._load()


class _Compact(DjangoJSONEncoder):
    """Unescaped CJK and no spaces: a name costs its bytes, not six per character."""

    def __init__(self, *args, **kwargs):
        kwargs.update(ensure_ascii=False, separators=(",", ":"))
        super().__init__(*args, **kwargs)


def people_groups(people):
    """[[department name, [[id, name], ...]], ...] from (id, name, department name) rows, in their order."""
    groups = {}
    no_department = str(_("No department"))
    for pk, name, department in people:
        groups.setdefault(department or no_department, []).append([pk, name])
    return [[name, rows] for name, rows in groups.items()]


# As json_script: nothing in the text can close the element or start a tag or an entity.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def choices_script(*, people=(), departments=(), participant_ids=()):
    """The page's one <template id="shared-choices"> holding the lists its choosers share as JSON:
    `people` as (id, name, department name) rows, `departments` as objects."""
    data = {
        "people": people_groups(people),
        "departments": [[d.pk, str(d)] for d in departments],
        "participants": sorted(participant_ids),
        "labels": {"participants": str(_("Participants")), "others": str(_("Others in the organisation"))},
    }
    lists = _full.get()
    if lists is not None:
        lists.update(data)
        return mark_safe("")
    text = json.dumps(data, cls=_Compact).translate(_ESCAPES)
    return format_html('<template id="{}">{}</template><noscript><p class="nojs-notice">{} '
                       '<a href="?choices=full">{}</a></p></noscript>', SCRIPT_ID, mark_safe(text),
                       _("Without JavaScript the lists of people are empty."), _("Show them in every form"))


def full_choices(lists, source):
    """The options of a chooser of `source`, as app.js builds them: [(label, [(id, name), …]), …] groups."""
    invited = set(lists["participants"])
    if source == "departments":
        return [tuple(row) for row in lists["departments"]]

    def by_department(keep):
        groups = [(department, [tuple(r) for r in rows if keep(r[0])]) for department, rows in lists["people"]]
        return [(department, rows) for department, rows in groups if rows]

    if source == "participants":
        return by_department(lambda pk: pk in invited)
    if source == "people-not-participants":
        return by_department(lambda pk: pk not in invited)
    if source == "people-participants-first":
        everyone = [tuple(r) for _department, rows in lists["people"] for r in rows]
        return [(lists["labels"]["participants"], [r for r in everyone if r[0] in invited]),
                (lists["labels"]["others"], [r for r in everyone if r[0] not in invited])]
    return by_department(lambda pk: True)


class FullChoicesMiddleware:
    """`?choices=full` (the <noscript> link) writes every chooser's options into the page from then on, for a
    browser without JavaScript; `?choices=shared` goes back. Remembered in a cookie, as the link's page is left."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = request.GET.get("choices")
        full = asked == "full" or (asked != "shared" and request.COOKIES.get(FULL_COOKIE) == "full")
        token = _full.set({} if full else None)
        try:
            response = self.get_response(request)
        finally:
            _full.reset(token)
        if asked == "full":
            response.set_cookie(FULL_COOKIE, "full", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        elif asked == "shared" and FULL_COOKIE in request.COOKIES:
            response.delete_cookie(FULL_COOKIE, samesite="Lax")
        return response
