"""The fuzzing gate: every API operation, four roles, no server error, nothing outside the schema.

Bounded here (FUZZ_EXAMPLES, default 2 per operation and mode) so `make test` stays quick; `make fuzz` runs
1,000 per operation. The organisation has the shared personas and a planned meeting, so ids that exist are
there to be found.
"""

import os

import pytest

from closeloop.audit.testing import audit_flushable  # noqa: F401  (the flush at the end of the test)
from closeloop.minutes.testing import minutes_flushable  # noqa: F401
from closeloop.org.services import token_create

from .harness import fuzz, load_schema

# Each request commits on its own, as in production: on PostgreSQL one refused statement must not abort the
# transaction the next requests run in.
pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {"anonymous": None, "participant": "member", "department_head": "head", "administrator": "admin"}


@pytest.mark.parametrize("role", list(ROLES))
def test_the_api_answers_every_generated_request_within_its_schema(role, audit_flushable, minutes_flushable,  # noqa: F811
                                                                  people, meeting):
    from closeloop.wsgi import application

    headers = {}
    if ROLES[role]:
        _token, secret = token_create(person=people[ROLES[role]], name="fuzz")
        headers["Authorization"] = f"Bearer {secret}"
    known_ids = {"meeting_id": meeting.pk, "topic_id": meeting.topics.first().pk, "person_id": people["member"].pk,
                 "department_id": people["departments"]["sales"].pk, "year": 2026}
    figures = fuzz(load_schema(application), role, headers=headers, known_ids=known_ids)
    if os.environ.get("FUZZ_REPORT"):  # make fuzz prints every role's figures at the end
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as report:
            report.write(figures.report() + "\n")
    assert figures.ok, figures.report()
