"""Differences between two versions of the minutes, section by section (pure; difflib).

Chinese has no spaces between words, so the text is split into single CJK characters, Latin words,
runs of white space and punctuation: a changed character shows as one change, not a whole line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    kind: str  # equal / insert / delete
    text: str


@dataclass
class SectionDiff:
    key: str
    label: str
    changed: bool
    segments: list = field(default_factory=list)


def tokens(text):
    return _TOKEN.findall(text or "")


def _append(segments, kind, text):
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def text_diff(old, new):
    """[Segment] turning `old` into `new`: deleted, inserted and unchanged runs, in reading order."""
    a, b = tokens(old), tokens(new)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _append(segments, EQUAL, "".join(a[i1:i2]))
            continue
        # A replacement reads best as "deleted old, then inserted new".
        _append(segments, DELETE, "".join(a[i1:i2]))
        _append(segments, INSERT, "".join(b[j1:j2]))
    return segments


def sections_diff(old_content, new_content, sections):
    """[SectionDiff] for each (key, label) of `sections`, in template order."""
    result = []
    for key, label in sections:
        old, new = (old_content or {}).get(key, ""), (new_content or {}).get(key, "")
        result.append(SectionDiff(key=key, label=str(label), changed=old != new, segments=text_diff(old, new)))
    return result
