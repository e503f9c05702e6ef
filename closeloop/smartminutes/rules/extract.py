"""One note → its kind, owner, task, due date and SMART vagueness. Pure and total: any text gives a result."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .due import DueContext, choose_due, find_dues
from .lexicon import (
    ACTION_VERBS,
    DECISION,
    DECISION_PREFIX,
    DEMONSTRATIVES,
    DISAGREEMENT,
    NEED,
    PAST,
    QUESTION,
    REPORTING,
    VAGUE_ANYWHERE,
    VAGUE_TASK,
)
from .owner import Owner, find_owner
from .text import CLAUSE_SEP, is_cjk, normalize, split_sentences, strip_wrapping

ACTION, DECISION_KIND, NONE = "action", "decision", "none"
KINDS = (ACTION, DECISION_KIND, NONE)

FLAG_OWNER_MISSING = "owner_missing"
FLAG_DUE_MISSING = "due_missing"
FLAG_VAGUE = "vague"
FLAG_SECOND_OWNER = "second_owner"

# Longest input read: a note longer than this is cut (a pasted page is not one note).
MAX_CHARS = 2000

_LEADING_FILLER = re.compile(
    r"^(?:\s|请|由|在|于|须|需要|需|要求|要|应该|应|必须|务必|尽快|马上|立即|立刻|会后|后续|随后|之后|再|共同|一起|一同|协同|"
    r"负责|牵头|主导|统筹|来|去|将要|将|会|有人|并|和|与|then\b|and\b|also\b|please\b)+", re.IGNORECASE)
_TRAILING_FILLER = re.compile(r"(?:\s|负责|牵头|一下吧|吧|即可)+$")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|（\s*）|【\s*】|\[\s*\]")
_EDGE_PUNCT = " ,;:。!?、.\"'「」『』“”‘’()【】[]-—~"
_LATIN_RATIO = 0.5


@dataclass(frozen=True)
class Extraction:
    """What the parser read in one note."""

    text: str
    kind: str
    owner: str | None = None
    co_owners: tuple[str, ...] = ()
    task: str | None = None
    due: dt.date | None = None
    due_phrase: str | None = None
    vague: bool = False
    vague_words: tuple[str, ...] = ()
    flags: tuple[str, ...] = field(default=())

    def as_json(self) -> dict:
        """The command line's object: kind, owner, task, due, vague, flags."""
        return {"kind": self.kind, "owner": self.owner, "task": self.task,
                "due": self.due.isoformat() if self.due else None, "vague": self.vague, "flags": list(self.flags)}


def classify(body: str, owner: Owner | None, due, verb_follows_need: bool) -> str:
    """action, decision or none, from the wording: assignment beats decision wording, talk is none."""
    if QUESTION.search(body):
        return NONE
    if owner is not None and owner.strong:
        return ACTION
    if DISAGREEMENT.search(body):
        return NONE
    reporting, decision = REPORTING.search(body), DECISION.search(body)
    if reporting and (decision is None or reporting.start() < decision.start()):
        return NONE
    if decision is not None:
        if owner is not None and owner.name and due is not None and owner.start >= decision.end():
            return ACTION
        return DECISION_KIND
    if PAST.search(body):
        return NONE
    if owner is not None and owner.name:
        return ACTION
    if verb_follows_need:
        return ACTION
    return NONE


def _need_then_verb(body):
    m = NEED.search(body)
    if not m:
        return False
    rest = body[m.end():]
    if re.search(r"[A-Za-z]", rest[:3]):
        return True
    return any(verb in rest for verb in ACTION_VERBS if len(verb) > 1)


def _mostly_latin(text):
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) / len(letters) >= _LATIN_RATIO


def _cut(text, spans):
    """`text` without the given spans; a removed span becomes a clause break when it stood between clauses."""
    keep = [True] * len(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(text))):
            keep[i] = False
    return "".join(ch if k else "\x00" for ch, k in zip(text, keep, strict=True))


def _clean(clause, latin):
    clause = clause.replace("\x00", " " if latin else "")
    clause = _EMPTY_BRACKETS.sub("", clause)
    clause = VAGUE_ANYWHERE.sub("", clause) if latin else re.sub(r"尽快|尽早|抓紧|马上|立即", "", clause)
    for _round in range(3):
        before = clause
        clause = _LEADING_FILLER.sub("", clause.strip(_EDGE_PUNCT))
        clause = _TRAILING_FILLER.sub("", clause.strip(_EDGE_PUNCT))
        if clause == before:
            break
    clause = re.sub(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])", "", clause) if not latin else clause
    return re.sub(r"\s+", " ", clause).strip(_EDGE_PUNCT)


def task_phrase(body: str, owner: Owner | None, dues, decision_prefix_end: int) -> str | None:
    """The action as a short verb phrase: the note without its owner, due phrase and filler words."""
    spans = [(d.start, d.end) for d in dues]
    if decision_prefix_end:
        spans.append((0, decision_prefix_end))
    if owner is not None:
        start = owner.start
        if owner.how == "request":
            start = max([m.end() for m in re.finditer(r"[,;:。]", body[:owner.start])] or [0])
        spans.append((start, owner.end))
    cut = _cut(body, spans)
    latin = _mostly_latin(body)
    if latin:
        pieces = [cut]
    else:
        pieces = [p for p in CLAUSE_SEP.split(cut)]
    if owner is not None and owner.how != "tail" and not latin:
        # The task is said with or after its owner: "会议批准追加预算,由财务部下周一前完成拨付".
        kept, at = [], 0
        for piece in pieces:
            if at + len(piece) > owner.start:
                kept.append(piece)
            at += len(piece) + 1
        pieces = kept or pieces
    cleaned = [_clean(p, latin) for p in pieces]
    candidates = [c for c in cleaned if c and c not in DEMONSTRATIVES and not c.startswith(DEMONSTRATIVES)]
    for c in candidates:
        if len(c) >= 3:
            return c
    return candidates[0] if candidates else None


def extract(text: str, ctx: DueContext, vague_words=()) -> Extraction:
    """Read one note. Never raises on any text; an empty or unreadable note is kind "none"."""
    original = (text or "")[:MAX_CHARS]
    body = strip_wrapping(normalize(original))
    if not any(ch.isalnum() for ch in body):
        return Extraction(original, NONE)
    dues = find_dues(body, ctx)
    owner = find_owner(body, dues)
    due = choose_due(dues)
    kind = classify(body, owner, due, _need_then_verb(body))
    if kind != ACTION:
        return Extraction(original, kind)
    prefix = DECISION_PREFIX.match(body)
    task = task_phrase(body, owner, dues, prefix.end() if prefix and (owner is None or owner.start >= prefix.end())
                       else 0)
    words = _vague_words(body, task, vague_words)
    owner_name = owner.name if owner else None
    due_date = due.date if due else None
    flags = list(due.flags if due else ())
    if owner_name is None:
        flags.append(FLAG_OWNER_MISSING)
    if due_date is None:
        flags.append(FLAG_DUE_MISSING)
    if words:
        flags.append(FLAG_VAGUE)
    if owner is not None and owner.co_owners:
        flags.append(FLAG_SECOND_OWNER)
    vague = bool(words) or owner_name is None or due_date is None
    return Extraction(original, ACTION, owner_name, owner.co_owners if owner else (), task, due_date,
                      due.phrase if due else None, vague, tuple(words), tuple(dict.fromkeys(flags)))


def _vague_words(body, task, extra):
    found = []
    for m in VAGUE_TASK.finditer(task or ""):
        found.append(m[0])
    for m in VAGUE_ANYWHERE.finditer(body):
        found.append(m[0])
    folded = body.casefold()
    for word in extra:
        word = (word or "").strip()
        if word and word.casefold() in folded:
            found.append(word)
    return list(dict.fromkeys(found))


def extract_notes(text: str, ctx: DueContext, vague_words=()) -> list[Extraction]:
    """Every sentence of a block of notes, read one by one."""
    return [extract(sentence, ctx, vague_words) for sentence in split_sentences((text or "")[:MAX_CHARS * 10])]


__all__ = ["ACTION", "DECISION_KIND", "NONE", "KINDS", "Extraction", "extract", "extract_notes", "classify",
           "task_phrase", "is_cjk"]
