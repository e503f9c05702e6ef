"""Text clean-up and splitting: pure functions on strings.

Notes come typed fast: full-width and half-width punctuation mixed, stray spaces, corner quotes, 【tags】 and
@mentions. Everything downstream reads the NFKC form, so "ＰＭＯ" is "PMO" and "，" is ",".
"""

from __future__ import annotations

import re
import unicodedata

# Sentence ends; a newline always ends a sentence.
_SENTENCE_END = re.compile(r"(?<=[。!?！？;；])\s*|\n+")
# Clause separators inside a sentence (after NFKC: , ; : and the ideographic comma stay apart).
CLAUSE_SEP = re.compile(r"[,;:。!?]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_QUOTES = "「」『』“”\"‘’'《》"  # kept inside the text when they quote a title (《…》 stays)
_LEADING_TAG = re.compile(
    r"^\s*(?:【[^】]{0,12}】|\[[^\]]{0,12}\]|(?:action(?:\s+items?)?|todo|to-do|next steps?|follow[- ]ups?|"
    r"行动项|待办(?:事项)?|任务|后续行动|下一步)"
    r"\s*[:：]\s*(?=\S))", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff"


def normalize(text: str) -> str:
    """NFKC, one space between words, no space between two CJK characters' punctuation neighbours."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if ch == "\n" or ch == "\t" or unicodedata.category(ch)[0] != "C")
    text = _SPACES.sub(" ", text).strip()
    # A space next to CJK punctuation or between CJK and punctuation carries nothing: "模板 ,下周" -> "模板,下周".
    text = re.sub(r"\s+([,;:。!?、)])", r"\1", text)
    text = re.sub(r"([。、(])\s+", r"\1", text)
    text = re.sub(r"([,;:!?])\s+(?=[\u3400-\u9fff])", r"\1", text)
    return text


def strip_wrapping(text: str) -> str:
    """Drop quotes around the whole note and leading tags such as 【行动项】 or "Action:"."""
    text = text.strip()
    for _round in range(3):
        before = text
        text = _LEADING_TAG.sub("", text).strip()
        if text[:1] in "「『“\"‘" and text[-1:] in "」』”\"’":
            text = text[1:-1].strip()
        elif text[:1] in "「『“\"" and not any(c in text[1:] for c in "」』”\""):
            text = text[1:].strip()
        if text == before:
            break
    return text


def split_sentences(text: str) -> list[str]:
    """The sentences of a block of notes: split at 。！？!?；; and line breaks; empty pieces dropped."""
    pieces = _SENTENCE_END.split(text or "")
    return [p.strip() for p in pieces if p and p.strip() and any(ch.isalnum() for ch in p)]


def is_cjk(ch: str) -> bool:
    return bool(ch) and "\u3400" <= ch <= "\u9fff"


def squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


CJK = _CJK
