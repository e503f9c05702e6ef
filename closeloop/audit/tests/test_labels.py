"""The audit page reads a diff's keys as the model's columns, never as a reverse relation of the same name."""

from types import SimpleNamespace

import pytest

from closeloop.audit.labels import readable_diffs

pytestmark = pytest.mark.django_db


def test_a_key_naming_a_reverse_relation_is_shown_as_it_is():
    # "output" is the reverse side of the scenario output's one-to-one link to the minutes.
    entry = SimpleNamespace(object_type="minutes.minutes")
    [rows] = readable_diffs([entry], [[("output", None, 7), ("state", "draft", "approved")]])
    shown = {str(row[0]) if not isinstance(row, dict) else str(row.get("key")): row for row in rows}
    assert len(rows) == 2 and shown  # no AttributeError on the reverse relation; both keys are listed
