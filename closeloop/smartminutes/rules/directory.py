"""Matching an owner as written ("李娜", "王经理", "Emma", "法务") to the organisation's people and departments.

Pure: the directory is plain data loaded once by the selector. Only a single match counts; two people who
could both be "王经理" give no match, so the recorder picks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .lexicon import PERSON_TITLES

_UNIT_ENDINGS = ("部门", "部", "中心", "组", "团队")


@dataclass(frozen=True)
class Entry:
    kind: str  # "person" or "department"
    id: int
    name: str  # as shown
    names: tuple[str, ...]  # every spelling that identifies it, folded


@dataclass(frozen=True)
class Match:
    kind: str
    id: int
    name: str

    def as_json(self):
        return {"type": self.kind, "id": self.id, "name": self.name}


def fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if not ch.isspace())


def person_entry(pk, display, *, username="", first="", last="") -> Entry:
    names = {fold(display), fold(username), fold(f"{first}{last}"), fold(f"{last}{first}")}
    return Entry("person", pk, display, tuple(n for n in names if n))


def department_entry(pk, name) -> Entry:
    folded = fold(name)
    names = {folded}
    for ending in _UNIT_ENDINGS:
        if folded.endswith(ending) and len(folded) > len(ending) + 1:
            names.add(folded[: -len(ending)])  # 法务部 is also "法务"
    return Entry("department", pk, name, tuple(names))


def _unique(entries):
    found = {(e.kind, e.id): e for e in entries}
    if len(found) == 1:
        entry = next(iter(found.values()))
        return Match(entry.kind, entry.id, entry.name)
    return None


def match_owner(owner: str | None, directory) -> Match | None:
    """The one person or department `owner` names, or None when there is none or more than one."""
    key = fold(owner)
    if not key:
        return None
    exact = [e for e in directory if key in e.names]
    if exact:
        return _unique(exact)
    departments = [e for e in directory if e.kind == "department"
                   and any(key == n + ending for n in e.names for ending in _UNIT_ENDINGS)]
    if departments:
        return _unique(departments)
    people = [e for e in directory if e.kind == "person"]
    # A surname with a title: 王经理, 张总.
    for title in sorted(PERSON_TITLES, key=len, reverse=True):
        if len(key) > len(title) and key.endswith(title):
            surname = key[: -len(title)]
            return _unique([e for e in people if fold(e.name).startswith(surname) and len(surname) <= 2])
    # A given name in Latin script: "Emma" for "Emma Wilson".
    if key.isascii() and key.isalpha():
        return _unique([e for e in people if any(n.startswith(key) for n in e.names)
                        and fold(e.name.split()[0] if e.name.split() else "") == key])
    return None
