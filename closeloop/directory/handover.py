"""A hook for the apps above: what a person still has open, so their head can hand it over when they leave.

The directory sits below the apps that own action items and sign-offs; they plug in from `AppConfig.ready`:
`register_open_work("actions", fn)` where `fn(person) -> list[OpenWork]`.

`person_left` is sent after the transaction that deactivated a leaver commits, with `person`, `head` (who should
take their work over, or None) and `open_work` (a list of OpenWork). The notify app tells the head.
"""

from typing import NamedTuple

from django.dispatch import Signal

_providers = {}
person_left = Signal()


class OpenWork(NamedTuple):
    kind: str  # e.g. "action_item", "signoff"
    label: str
    url: str


def register_open_work(name, provider):
    _providers[name] = provider


def open_work_of(person):
    """Everything the registered apps say this person still has open, in a stable order."""
    work = []
    for name in sorted(_providers):
        work.extend(_providers[name](person))
    return work
