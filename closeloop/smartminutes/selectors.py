"""Reads for the extractor: the organisation's calendar, vague words and directory, loaded once per request."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import slugify

from closeloop.org.models import Department, Organisation, Person
from closeloop.org.selectors import policy_for
from closeloop.workcal.selectors import calendar_for

from .rules import DueContext, extract_notes
from .rules.deliverable import deliverable_of
from .rules.directory import department_entry, match_owner, person_entry

# The most text read in one request: a live note is a few lines, a pasted page of minutes the most.
TEXT_MAX = 20000


@dataclass(frozen=True)
class ExtractSetup:
    """Everything the parser needs besides the text, for one organisation and one meeting start."""

    context: DueContext
    vague_words: tuple[str, ...]
    directory: tuple


def organisation_by_ref(ref: str):
    """The organisation named by its id, its name or the slug of its name; None when there is none."""
    ref = (ref or "").strip()
    if not ref:
        return None
    if ref.isdigit():
        org = Organisation.objects.filter(pk=int(ref)).first()
        if org is not None:
            return org
    for org in Organisation.objects.order_by("id"):
        if ref.casefold() in (org.name.casefold(), slugify(org.name, allow_unicode=True)):
            return org
    return None


def local_start(start: dt.datetime, time_zone: str) -> dt.datetime:
    """The meeting's start as a naive local time in the organisation's time zone."""
    if start.tzinfo is None:
        return start
    return start.astimezone(zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)).replace(tzinfo=None)


def directory_for(organisation) -> tuple:
    people = Person.objects.filter(organisation=organisation, is_active=True).only(
        "id", "display_name", "username", "first_name", "last_name")
    entries = [person_entry(p.pk, str(p), username=p.username, first=p.first_name, last=p.last_name)
               for p in people]
    entries += [department_entry(d.pk, d.name) for d in Department.objects.filter(organisation=organisation)]
    return tuple(entries)


def extract_setup(organisation, start: dt.datetime) -> ExtractSetup:
    """The calendar, vague words and directory of `organisation` for a meeting starting at `start`."""
    local = local_start(start, organisation.time_zone)
    words = tuple(w.strip() for w in (policy_for(organisation).vague_words or "").splitlines() if w.strip())
    return ExtractSetup(DueContext(local, calendar_for(organisation)), words, directory_for(organisation))


@dataclass(frozen=True)
class Proposal:
    """One sentence read as a proposed action item or decision, with the directory's match for its owner."""

    extraction: object
    match: object  # rules.directory.Match or None

    @property
    def deliverable(self):
        """What the task hands over, when it names a thing (the SMART check asks for one)."""
        return deliverable_of(self.extraction.task) if self.extraction.kind == "action" else None

    def as_json(self):
        data = self.extraction.as_json()
        data.update({"text": self.extraction.text, "co_owners": list(self.extraction.co_owners),
                     "due_phrase": self.extraction.due_phrase, "vague_words": list(self.extraction.vague_words),
                     "deliverable": self.deliverable,
                     "match": self.match.as_json() if self.match else None})
        return data


def proposals_for(setup: ExtractSetup, text: str) -> list[Proposal]:
    """The action items and decisions proposed for a block of notes (sentences of kind "none" are left out)."""
    proposals = []
    for extraction in extract_notes(text, setup.context, setup.vague_words):
        if extraction.kind == "none":
            continue
        proposals.append(Proposal(extraction, match_owner(extraction.owner, setup.directory)))
    return proposals
