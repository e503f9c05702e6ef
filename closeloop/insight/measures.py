"""Every figure insight shows, defined once: a plain function over facts, its label and its formula.

The selectors gather facts (counts per department, one row per meeting); these functions turn them into
the figures the page, the API, the exports and the report all show. The help text of each is its formula,
shown next to the figure on the page and in the API's documentation. No ORM here.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from closeloop.insight.rules import median, percentile, ratio

ITEMS, MEETINGS, LOOP, REQUESTS = "items", "meetings", "loop", "requests"
RETROS, IMPROVEMENTS = "retrospectives", "improvements"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    help: str
    func: object
    kind: str  # what the facts are: ITEMS (ItemFacts), MEETINGS or LOOP (MeetingRow), REQUESTS (RequestRow),
    # RETROS (RetroRow), IMPROVEMENTS (ImprovementRow): the last four as lists
    unit: str = "count"  # count, rate, workdays, hours, money, minutes, ratio

    def __call__(self, facts):
        return self.func(facts)


MEASURES = {}


def measure(key, label, help, kind, unit="count"):
    """Register a figure: `help` is the formula, in words the reader understands."""

    def register(func):
        MEASURES[key] = Measure(key, label, help, func, kind, unit)
        return func

    return register


@dataclass
class ItemFacts:
    """Counts over the action items due in the period (cancelled ones left out) of one department or person."""

    total: int = 0
    open: int = 0
    overdue: int = 0
    done_on_time: int = 0
    done_late: int = 0
    smart_ok: int = 0
    delays: list = field(default_factory=list)  # working days late, one per item done late
    delays_recorded: int = 0
    date_changes_asked: int = 0
    date_changes_granted: int = 0
    change_requests: int = 0
    risks_early: int = 0
    risks_late: int = 0

    def add(self, other):
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)
        return self


@dataclass
class MeetingRow:
    """One held (not cancelled) meeting of the period, as the meeting figures need it."""

    id: int
    title: str
    week: object
    host_department_id: int | None
    type: str
    hours: float
    person_hours: float
    cost: float | None  # None when no participant's title has a rate
    rule_failures: tuple
    decisions: int
    items: int
    planned_minutes: int
    actual_minutes: float | None  # None when the timer never ran
    outcome_topics: int
    outcome_reached: int
    decisions_without_item: int
    disagreements_overdue: int
    signoffs_overdue: int
    minutes_due: bool  # the draft was due by now
    drafted_on_time: bool | None
    approved: bool
    distributed_on_time: bool | None
    signoff_hours: list = field(default_factory=list)


@dataclass(frozen=True)
class RequestRow:
    """One receiving department of a collaboration request sent in the period (withdrawn ones left out)."""

    department_id: int
    request_id: int
    answered: bool
    on_time: bool  # answered first within the policy's answer time
    answer_hours: float | None  # working hours from sending to the first answer; None while unanswered
    overdue: bool  # still unanswered and its answer date has passed


@dataclass(frozen=True)
class RetroRow:
    """A completed request's retrospective whose deadline fell in the period and passed with no meeting planned."""

    id: int
    request_id: int
    subject: str
    due: object


@dataclass(frozen=True)
class ImprovementRow:
    """An improvement measure agreed by a retrospective (its report sent by the period's end), its item open."""

    id: int
    measure: str
    item_id: int
    due: object
    overdue: bool  # the item's due date has passed


# Department accountability: action items.

@measure("items_open", _("Open"), _("Items due in the period and not done or cancelled yet."), ITEMS)
def items_open(f):
    return f.open


@measure("items_overdue", _("Overdue"), _("Open items due in the period whose due date has passed."), ITEMS)
def items_overdue(f):
    return f.overdue


@measure("items_done_on_time", _("Done on time"),
         _("Items due in the period marked done on or before their due date (the date in force, after any "
           "granted change)."), ITEMS)
def items_done_on_time(f):
    return f.done_on_time


@measure("items_done_late", _("Done late"), _("Items due in the period marked done after their due date."), ITEMS)
def items_done_late(f):
    return f.done_late


@measure("on_time_rate", _("On-time rate"),
         _("done on time ÷ (done on time + done late + overdue): of the items whose date has come, the share "
           "kept. Empty when no item's date has come."), ITEMS, "rate")
def on_time_rate(f):
    return ratio(f.done_on_time, f.done_on_time + f.done_late + f.overdue)


@measure("delay_median", _("Median delay"),
         _("Median, over items done late, of the working days from the due date to the day marked done, on "
           "the organisation's calendar (holidays and adjusted working weekends counted)."), ITEMS, "workdays")
def delay_median(f):
    return median(f.delays)


@measure("delay_p90", _("90th percentile delay"),
         _("The delay, in working days, that nine in ten of the items done late did not exceed "
           "(linear interpolation)."),
         ITEMS, "workdays")
def delay_p90(f):
    return percentile(f.delays, 90)


@measure("delays_recorded", _("Delays recorded"),
         _("Times a new date was recorded on these items with the status “delayed” and a reason."), ITEMS)
def delays_recorded(f):
    return f.delays_recorded


@measure("date_changes_asked", _("Date changes asked"),
         _("Change requests on these items that asked for another due date."), ITEMS)
def date_changes_asked(f):
    return f.date_changes_asked


@measure("date_changes_granted", _("Date changes granted"),
         _("Date change requests on these items that the initiator accepted."), ITEMS)
def date_changes_granted(f):
    return f.date_changes_granted


@measure("change_requests", _("Change requests"),
         _("Every change request on these items: of the date, the scope, or both."), ITEMS)
def change_requests(f):
    return f.change_requests


@measure("risks_early", _("Risks raised early"),
         _("Risks raised by the owner at least the policy's warning lead (working days) before the due date."),
         ITEMS)
def risks_early(f):
    return f.risks_early


@measure("risks_late", _("Risks raised late"),
         _("Risks raised with fewer working days left than the policy's warning lead."), ITEMS)
def risks_late(f):
    return f.risks_late


@measure("smart_share", _("SMART items"),
         _("Share of the items with an owner, a due date, a deliverable and no vague word of the policy: "
           "smart ÷ all items due in the period."), ITEMS, "rate")
def smart_share(f):
    return ratio(f.smart_ok, f.total)


# Meetings (over the meetings held in the period).

@measure("meetings", _("Meetings"), _("Meetings held in the period (cancelled ones left out)."), MEETINGS)
def meetings(rows):
    return len(rows)


@measure("meeting_hours", _("Meeting hours"), _("Σ planned length (end − start) of the meetings, in hours."),
         MEETINGS, "hours")
def meeting_hours(rows):
    return sum(r.hours for r in rows)


@measure("meeting_person_hours", _("Person-hours"),
         _("Σ over meetings of length in hours × participants who did not decline."), MEETINGS, "hours")
def meeting_person_hours(rows):
    return sum(r.person_hours for r in rows)


@measure("meeting_cost", _("Meeting cost"),
         _("Σ over participants of length in hours × the hourly cost of their title, as set by an "
           "administrator; titles without a rate add nothing. Empty when no rate is set."), MEETINGS, "money")
def meeting_cost(rows):
    costs = [r.cost for r in rows if r.cost is not None]
    return sum(costs) if costs else None


@measure("rule_share", _("Met the rules"),
         _("Share of meetings with an objective, topics within the policy's range, the notice sent the "
           "policy's working days ahead, pre-reads in time and no longer than the policy's maximum."),
         MEETINGS, "rate")
def rule_share(rows):
    return ratio(sum(1 for r in rows if not r.rule_failures), len(rows))


@measure("decisions_per_meeting", _("Decisions per meeting"), _("Σ decisions ÷ meetings."), MEETINGS, "ratio")
def decisions_per_meeting(rows):
    return ratio(sum(r.decisions for r in rows), len(rows))


@measure("items_per_meeting", _("Action items per meeting"), _("Σ action items agreed ÷ meetings."),
         MEETINGS, "ratio")
def items_per_meeting(rows):
    return ratio(sum(r.items for r in rows), len(rows))


@measure("outcome_share", _("Required outcomes reached"),
         _("Topics with a required outcome (必达结论) that got a decision ÷ topics with a required outcome."),
         MEETINGS, "rate")
def outcome_share(rows):
    return ratio(sum(r.outcome_reached for r in rows), sum(r.outcome_topics for r in rows))


@measure("planned_minutes", _("Planned topic minutes"),
         _("Σ the time budget of the topics of meetings whose record timer ran."), MEETINGS, "minutes")
def planned_minutes(rows):
    return sum(r.planned_minutes for r in rows if r.actual_minutes is not None)


@measure("actual_minutes", _("Actual topic minutes"),
         _("Σ the record timer's minutes over the same topics."), MEETINGS, "minutes")
def actual_minutes(rows):
    timed = [r.actual_minutes for r in rows if r.actual_minutes is not None]
    return sum(timed) if timed else None


@measure("meetings_without_decisions", _("Meetings without decisions"),
         _("Meetings held in the period in which no decision was recorded."), MEETINGS)
def meetings_without_decisions(rows):
    return sum(1 for r in rows if r.decisions == 0)


# Minutes of the meetings a department hosted.

@measure("minutes_on_time_share", _("Minutes drafted in time"),
         _("Meetings whose first minutes were submitted within the policy's hours after the end ÷ meetings "
           "whose draft is due by now."), MEETINGS, "rate")
def minutes_on_time_share(rows):
    due = [r for r in rows if r.minutes_due]
    return ratio(sum(1 for r in due if r.drafted_on_time), len(due))


@measure("minutes_approved_share", _("Minutes approved"),
         _("Meetings with approved minutes ÷ meetings whose draft is due by now."), MEETINGS, "rate")
def minutes_approved_share(rows):
    due = [r for r in rows if r.minutes_due]
    return ratio(sum(1 for r in due if r.approved), len(due))


@measure("distributed_on_time_share", _("Distributed in time"),
         _("Approved minutes distributed within the policy's hours (1 by default) after approval ÷ approved."),
         MEETINGS, "rate")
def distributed_on_time_share(rows):
    approved = [r for r in rows if r.approved]
    return ratio(sum(1 for r in approved if r.distributed_on_time), len(approved))


@measure("signoff_hours_median", _("Sign-off latency"),
         _("Median, over meetings, of the hours from distribution to the last department head's sign-off."),
         MEETINGS, "hours")
def signoff_hours_median(rows):
    return median([h for r in rows for h in r.signoff_hours])


# Loop health.

@measure("decisions_without_item", _("Decisions without an action item"),
         _("Decisions of the period's meetings with no action item and not marked “no action needed”."), LOOP)
def decisions_without_item(rows):
    return sum(r.decisions_without_item for r in rows)


@measure("disagreements_overdue", _("Disagreements past their date"),
         _("Disagreements not resolved in the meeting whose “by when” date has passed and whose follow-up "
           "item is not done."), LOOP)
def disagreements_overdue(rows):
    return sum(r.disagreements_overdue for r in rows)


@measure("minutes_unsigned_late", _("Sign-offs overdue"),
         _("Department sign-offs still missing more than the set working days after the minutes were "
           "distributed."), LOOP)
def minutes_unsigned_late(rows):
    return sum(r.signoffs_overdue for r in rows)


# Loop health after the work: retrospectives (seed 002 stage 5) and their improvement measures.

@measure("retrospectives_overdue", _("Retrospectives overdue"),
         _("Completed requests whose retrospective was due (the policy's working days after completion) in the "
           "period, and whose deadline has passed with no retrospective meeting planned."), RETROS)
def retrospectives_overdue(rows):
    return len(rows)


@measure("improvements_open", _("Open improvement measures"),
         _("Improvement measures agreed by retrospectives whose report was sent by the period's last day and whose "
           "action item is not done or cancelled yet."), IMPROVEMENTS)
def improvements_open(rows):
    return len(rows)


# Department accountability: requests it was asked to answer (collaboration requests).

@measure("requests_received", _("Requests to answer"),
         _("Collaboration requests sent to the department in the period (withdrawn ones left out)."), REQUESTS)
def requests_received(rows):
    return len(rows)


@measure("requests_answered_on_time", _("Requests answered in time"),
         _("Requests whose first answer (accept, question or difficulty) came within the policy's answer time "
           "(working days on the calendar)."), REQUESTS)
def requests_answered_on_time(rows):
    return sum(r.on_time for r in rows)


@measure("requests_on_time_rate", _("Requests answered in time, share"),
         _("Requests answered in time ÷ requests to answer."), REQUESTS, "rate")
def requests_on_time_rate(rows):
    return ratio(sum(r.on_time for r in rows), len(rows))


@measure("answer_hours_median", _("Median answer time (working hours)"),
         _("Median, over the answered requests, of the working hours (09:00–18:00 on working days) from "
           "sending to the first answer."), REQUESTS, "hours")
def answer_hours_median(rows):
    return median([r.answer_hours for r in rows if r.answer_hours is not None])


@measure("requests_unanswered", _("Requests unanswered past their date"),
         _("Requests sent in the period that a receiving department has still not answered after its answer "
           "date."), REQUESTS)
def requests_unanswered(rows):
    return sum(r.overdue for r in rows)


DEPARTMENT_MEASURES = ["items_open", "items_done_on_time", "items_done_late", "items_overdue", "on_time_rate",
                       "delay_median", "delay_p90", "delays_recorded", "date_changes_asked", "date_changes_granted",
                       "change_requests", "risks_early", "risks_late", "smart_share"]
HOSTED_MEASURES = ["meetings", "meeting_person_hours", "minutes_on_time_share", "minutes_approved_share",
                   "distributed_on_time_share", "signoff_hours_median"]
MEETING_MEASURES = ["meetings", "meeting_hours", "meeting_person_hours", "meeting_cost", "rule_share",
                    "decisions_per_meeting", "items_per_meeting", "outcome_share", "planned_minutes",
                    "actual_minutes", "meetings_without_decisions"]
REQUEST_MEASURES = ["requests_received", "requests_answered_on_time", "requests_on_time_rate", "answer_hours_median"]
LOOP_MEASURES = ["decisions_without_item", "disagreements_overdue", "minutes_unsigned_late"]
LOOP_REQUEST_MEASURES = ["requests_unanswered"]
LOOP_RETRO_MEASURES = ["retrospectives_overdue", "improvements_open"]
PERSON_MEASURES = ["items_open", "items_done_on_time", "items_done_late", "items_overdue", "on_time_rate",
                   "delay_median"]


def figures(keys, facts):
    """{key: value} of the named measures over one group's facts."""
    return {key: MEASURES[key](facts) for key in keys}
