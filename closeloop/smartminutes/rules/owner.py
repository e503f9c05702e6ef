"""Who must do it: the owner as written (a person, department or role), and a second owner when there is one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    ACTION_VERBS,
    ADVERBS,
    ASSIGN_AFTER,
    COMPOUND_SURNAMES,
    CONNECTORS,
    FUNCTIONS,
    MODALS,
    NOBODY,
    PARTICLES,
    PERSON_TITLES,
    ROLE_SUFFIXES,
    STOPS,
    SURNAMES,
    UNIT_SUFFIXES,
)
from .text import is_cjk

_MAX_NAME = 16
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'.\-]*(?: [A-Z][A-Za-z'.\-]*){0,2}$|^[A-Z]{2,6}$")
# "the marketing team", "Finance department": an English unit, said with or without "the".
_EN_UNIT = re.compile(r"^(?:the\s+)?(?P<unit>(?:[A-Za-z&]+\s+){0,2}"
                      r"(?:team|department|dept|group|committee|office|squad|unit|desk))$", re.IGNORECASE)
_LATIN_UNIT = re.compile(r"^[A-Za-z]{1,10}(?:" + "|".join(UNIT_SUFFIXES + ROLE_SUFFIXES) + r")$")
_EN_STOP = frozenset({"the", "this", "that", "there", "it", "we", "our", "all", "decision", "decided", "question",
                      "action", "note", "update", "agreed", "approved", "team", "committee", "meeting"})
_WHOLE_WORDS = ("负责人", "负责同事", "与会")
_BOUNDARY_WORDS = tuple(sorted(set(STOPS + tuple(v for v in ACTION_VERBS if len(v) > 1)), key=len, reverse=True))
_EN_MODAL = re.compile(
    r"^(?P<who>[^,.;:!?]{1,40}?)\s*,?\s+(?:(?:is|are)\s+)?(?P<cue>to|will|shall|should|must|needs? to|has to|have to|"
    r"please|is going to|are going to|(?:is |are )?responsible for|(?:is |are )?in charge of|owns?)\s+(?P<rest>.+)$",
    re.IGNORECASE)

# "…，这件事孙丽负责。": the owner named after the task.
_TAIL_OWNER = re.compile(
    r"(?:^|[,;:。])\s*(?:这件事|此事|该事项|该项|这项工作|以上)?\s*(?:由)?([^,;:。]{1,16}?)负责[。.!]?$")


@dataclass(frozen=True)
class Owner:
    name: str | None  # None: the note says somebody must act but names nobody ("需要有人跟进")
    start: int
    end: int  # the span to drop from the task (owner, co-owners and the cue around them)
    how: str  # "request" (请/要求/@), "by" (由…), "subject", "tail" (…这件事孙丽负责), "english"
    co_owners: tuple[str, ...] = field(default=())
    strong: bool = False  # the wording itself assigns the task (请, 由…负责, @, "X to …")


def is_name(text: str, *, relaxed: bool = False) -> bool:
    """Whether `text` reads as a person, department or role. `relaxed` (after 请/由/@) accepts any short name."""
    text = text.strip()
    if not text or text.casefold() in NOBODY:
        return False
    if _EN_UNIT.match(text):
        return len(text) <= 40
    if len(text) > _MAX_NAME:
        return False
    if _LATIN_NAME.match(text):
        return text.split()[0].casefold() not in _EN_STOP
    if _LATIN_UNIT.match(text) or text in FUNCTIONS:
        return True
    if not all(is_cjk(ch) for ch in text):
        return False
    if any(text.endswith(s) for s in UNIT_SUFFIXES + ROLE_SUFFIXES) and len(text) >= 2:
        return not any(ch in PARTICLES for ch in text[:-1].replace("与会", ""))  # 与会人员: those attending
    if any(ch in PARTICLES for ch in text):
        return False
    if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES and len(text) <= 4:
        return True
    if text[0] in "小老" and len(text) == 2 and text[1] in SURNAMES:
        return True
    if text[0] in SURNAMES and any(text[1:] == t for t in PERSON_TITLES):
        return True
    if 2 <= len(text) <= 3 and (text[0] in SURNAMES or relaxed):
        return True
    return relaxed and len(text) == 4


def _stop_at(text: str, i: int, dues) -> bool:
    if any(d.start == i for d in dues):
        return True
    ch = text[i]
    if ch in ",;:。!?()[]【】「」\"'、/&@":
        return True
    if ch.isspace() and (i == 0 or is_cjk(text[i - 1]) or is_cjk(text[i + 1:i + 2])):
        return True
    if is_cjk(ch) and text.startswith(_BOUNDARY_WORDS, i):
        return True
    if ch.isdigit() and i > 0 and is_cjk(text[i - 1]):
        return True
    return False


def take_name(text: str, pos: int, dues=()) -> tuple[str, int]:
    """The name starting at `pos`: up to the first word that cannot belong to a name."""
    i = pos
    while i < len(text) and i - pos < _MAX_NAME:
        whole = next((w for w in _WHOLE_WORDS if text.startswith(w, i)), None)
        if whole:  # 负责人, 与会: inside a name, not its end
            i += len(whole)
            continue
        if i > pos and _stop_at(text, i, dues):
            break
        if i == pos and text[i] in ",;:。!?()、 ":
            break
        i += 1
    # A Latin name ends before a CJK character ("Kevin负责"), a CJK name before a Latin one.
    name = text[pos:i]
    for j in range(1, len(name)):
        if is_cjk(name[j]) != is_cjk(name[j - 1]) and not name[j].isspace() and not name[j - 1].isspace():
            if not _LATIN_UNIT.match(name[:j] + _suffix_at(name, j)):
                name = name[:j]
                break
    return name.rstrip(), pos + len(name.rstrip())


def _suffix_at(name, j):
    for s in UNIT_SUFFIXES + ROLE_SUFFIXES:
        if name.startswith(s, j):
            return s
    return ""


def _group(text: str, pos: int, dues, *, relaxed: bool):
    """A name and the co-owners joined to it (张伟和李娜, 市场部、产品部): (names, end) or None."""
    name, end = take_name(text, pos, dues)
    if not is_name(name, relaxed=relaxed) and name.casefold() not in NOBODY:
        return None
    names = [name]
    while True:
        for conn in CONNECTORS:
            if text.startswith(conn, end):
                other, other_end = take_name(text, end + len(conn), dues)
                if other and is_name(other):
                    names.append(other)
                    end = other_end
                    break
        else:
            break
    return names, end


def _followed_by_cue(text: str, end: int, dues) -> str | None:
    rest = text[end:].lstrip()
    offset = len(text) - end - len(rest)
    if any(d.start == end + offset for d in dues):
        return "due"
    for words, kind in ((ASSIGN_AFTER, "assign"), (MODALS, "modal"), (ADVERBS, "adverb"),
                        (("在", "于", "把", "将"), "prep"), (ACTION_VERBS, "verb"), ((":", "："), "colon")):
        if rest.startswith(words):
            return kind
    if rest[:1].isdigit():
        return "due"
    return None


def _make(names, start, end, how, strong):
    first = names[0] if names[0].casefold() not in NOBODY else None
    return Owner(first, start, end, how, tuple(n for n in names[1:] if n.casefold() not in NOBODY), strong)


def _skip_cue(text, end):
    for word in ASSIGN_AFTER + ("来",):
        if text.startswith(word, end) and not text.startswith("跟进一下", end):
            rest = text[end + len(word):]
            if word != "跟进" or not rest or rest[0] in ",;:。!":
                return end + len(word)
    return end


def find_owner(text: str, dues=()) -> Owner | None:
    """The owner the note names, trying the strongest wording first."""
    m = _EN_MODAL.match(text)
    if m:
        who = m["who"].strip()
        parts = [p.strip() for p in re.split(r"\s+and\s+|\s*[&、,]\s*|和|与", who) if p.strip()]
        if parts and all(is_name(p, relaxed=True) or p.casefold() in NOBODY for p in parts) and len(who) <= 40:
            parts = [_EN_UNIT.match(p)["unit"] if _EN_UNIT.match(p) else p for p in parts]
            return _make(parts, m.start("who"), m.start("rest"), "english", True)
    m = re.match(r"^please\s+(?=[a-z])", text, re.IGNORECASE)
    if m:
        return Owner(None, 0, m.end(), "request", (), True)
    for m in re.finditer(r"(?:(?<![申邀])请(?![假示教求])|(?<![不没未])(?:要求|安排|指派|委托|交由)|@)\s*", text):
        group = _group(text, m.end(), dues, relaxed=True)
        if group and (m[0].strip() in ("请", "@") or _followed_by_cue(text, group[1], dues)):
            names, end = group
            return _make(names, m.start(), _skip_cue(text, end), "request", True)
    for m in re.finditer(r"(?<![理自缘经])由(?!于|此|谁|来)\s*", text):
        group = _group(text, m.end(), dues, relaxed=True)
        if group and _followed_by_cue(text, group[1], dues) in ("assign", "prep", "due", "verb", "adverb", "modal"):
            names, end = group
            return _make(names, m.start(), _skip_cue(text, end), "by", True)
    tail = _TAIL_OWNER.search(text)
    if tail and is_name(tail[1], relaxed=True):
        return Owner(tail[1], tail.start(1) - (1 if text[tail.start(1) - 1:tail.start(1)] == "由" else 0),
                     len(text), "tail", (), True)
    for start in _clause_starts(text, dues):
        group = _group(text, start, dues, relaxed=False)
        if not group:
            # A name without a common surname still owns the task when "负责/牵头" follows it.
            group = _group(text, start, dues, relaxed=True)
            if not group or _followed_by_cue(text, group[1], dues) != "assign":
                continue
        cue = _followed_by_cue(text, group[1], dues)
        if cue:
            names, end = group
            return _make(names, start, _skip_cue(text, end), "subject", cue == "assign")
    return None


def _clause_starts(text, dues=()):
    """Where a clause's subject may stand: the start, after a separator, and after a due phrase opening a clause
    ("明天上午十点前,张伟…", "5月10日前各部门…")."""
    starts = [0] + [m.end() for m in re.finditer(r"[,;:。]\s*", text) if m.end() < len(text)]
    for start in starts:
        yield start
        for due in dues:
            if due.start == start and due.end < len(text):
                yield due.end + len(text[due.end:]) - len(text[due.end:].lstrip(" ,;:"))
