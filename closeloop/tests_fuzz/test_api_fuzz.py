"""The fuzzing gate: every API operation, four roles, no server error, nothing outside the schema.

Bounded here (FUZZ_EXAMPLES, default 4 per operation) so `make test` stays quick; `make fuzz` runs 1,000 per
operation. The organisation has the shared personas and a planned meeting, so ids that exist are
there to be found. FUZZ_SHARDS=n splits each role's operations over n tests, so pytest-xdist can spread one
role over several processes; FUZZ_OPERATIONS (a regular expression on "METHOD /path") picks a subset.
"""

import logging
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
SHARDS = max(int(os.environ.get("FUZZ_SHARDS", "1")), 1)
RUNS = [pytest.param(role, k, id=role if SHARDS == 1 else f"{role}-{k + 1}of{SHARDS}")
        for role in ROLES for k in range(SHARDS)]


@pytest.fixture
def quiet_client_errors():
    """Django logs every 4xx as a warning, which pytest keeps in memory for the report: a long run sends
    hundreds of thousands. Server errors are still logged, and counted by the harness anyway."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize(("role", "shard"), RUNS)
def test_the_api_answers_every_generated_request_within_its_schema(role, shard, audit_flushable,  # noqa: F811
                                                                  minutes_flushable, people, meeting,  # noqa: F811
                                                                  quiet_client_errors):
    from closeloop.wsgi import application

    headers = {}
    if ROLES[role]:
        _token, secret = token_create(person=people[ROLES[role]], name="fuzz")
        headers["Authorization"] = f"Bearer {secret}"
    known_ids = {"meeting_id": meeting.pk, "topic_id": meeting.topics.first().pk, "person_id": people["member"].pk,
                 "department_id": people["departments"]["sales"].pk, "year": 2026}
    figures = fuzz(load_schema(application), role, headers=headers, known_ids=known_ids,
                   only=os.environ.get("FUZZ_OPERATIONS"), shard=(shard, SHARDS),
                   progress=os.environ.get("FUZZ_PROGRESS"))
    if os.environ.get("FUZZ_REPORT"):  # make fuzz prints every role's figures at the end
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as report:
            report.write(figures.report() + "\n")
    assert figures.ok, figures.report()
