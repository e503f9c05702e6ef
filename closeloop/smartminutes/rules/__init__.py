"""The smart-minutes parser: pure functions from typed notes to proposed action items and decisions.

    text → normalize/split (text) → due phrases on the calendar (due) → owner (owner) → kind, task and
    vagueness (extract)

No model and no download: a grammar of closed word classes and patterns, see README "Smart minutes".
"""

from .due import DueContext, choose_due, find_dues
from .extract import ACTION, DECISION_KIND, KINDS, NONE, Extraction, extract, extract_notes
from .owner import find_owner, is_name
from .text import normalize, split_sentences

__all__ = [
    "ACTION", "DECISION_KIND", "KINDS", "NONE", "DueContext", "Extraction", "choose_due", "extract",
    "extract_notes", "find_dues", "find_owner", "is_name", "normalize", "split_sentences",
]
