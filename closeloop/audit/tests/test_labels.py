"""The audit page reads a diff's keys as the model's columns (never as a reverse relation of the same name), names
the people and objects behind ids, and keeps each entry's row to the changes a person reads."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from closeloop.audit.history import compact_rows
from closeloop.audit.labels import object_link, object_name, page_objects, readable_diffs

pytestmark = pytest.mark.django_db


def test_a_key_naming_a_reverse_relation_is_shown_as_it_is():
    # "output" is the reverse side of the scenario output's one-to-one link to the minutes.
    entry = SimpleNamespace(object_type="minutes.minutes")
    [rows] = readable_diffs([entry], [[("output", None, 7), ("state", "draft", "approved")]])
    shown = {str(row[0]) if not isinstance(row, dict) else str(row.get("key")): row for row in rows}
    assert len(rows) == 2 and shown  # no AttributeError on the reverse relation; both keys are listed


def test_ids_under_known_keys_and_role_codes_read_as_names(people, meeting):
    retro = SimpleNamespace(object_type="retro.retrospective")
    participant = SimpleNamespace(object_type="meetings.participant")
    with translation.override("zh-hans"):
        [readers], [roles] = readable_diffs([retro, participant], [
            [("readers", None, [people["host"].pk, people["member"].pk])],
            [("roles", "executor", "decision_maker,executor")]])
    assert readers == ("阅读人", None, "张主持、王销售")
    assert roles[1:] == ("执行人", "决策人、执行人")


def test_a_topics_entry_links_to_its_meeting_and_is_named_by_its_title(people, meeting):
    topic = meeting.topics.first()
    entry = SimpleNamespace(object_type="meetings.topic", object_id=str(topic.pk))
    objects = page_objects([entry])
    obj = objects[("meetings.topic", str(topic.pk))]
    assert object_name(obj) == topic.title
    assert object_link("meetings.topic", str(topic.pk), obj) == f"/meetings/{meeting.pk}/"


def test_the_row_leaves_bookkeeping_and_empty_fields_of_a_creation_out():
    rows = [("id", None, 4), ("version", None, 1), ("organisation", None, 1), ("title", None, "周会"),
            ("place", None, ""), ("urgent", None, False)]
    assert compact_rows(rows) == [("title", None, "周会")]
    assert compact_rows([("note", "", "补充"), ("version", 1, 2)]) == [("note", None, "补充")]
