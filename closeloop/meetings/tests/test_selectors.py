"""Who sees a meeting: participants, their department heads, administrators; nobody else."""

from closeloop.meetings.selectors import meetings_visible_to, person_can_edit
from closeloop.meetings.services.planning import meeting_update


def test_participants_heads_and_admins_see_the_meeting_outsiders_do_not(people, meeting):
    for who in ("admin", "host", "recorder", "member", "head"):
        assert meeting in meetings_visible_to(people[who]), who
    assert meeting not in meetings_visible_to(people["outsider"])


def test_a_confidential_meeting_is_hidden_from_department_heads(people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"confidential": True})
    assert meeting not in meetings_visible_to(people["head"])
    assert meeting in meetings_visible_to(people["member"])
    assert meeting in meetings_visible_to(people["admin"])


def test_only_host_recorder_and_admin_may_edit(people, meeting):
    editors = {w for w in ("admin", "host", "recorder", "member", "head", "outsider")
               if person_can_edit(people[w], meeting)}
    assert editors == {"admin", "host", "recorder"}
