from ninja import Schema
from pydantic import Field


class DepartmentRef(Schema):
    id: int
    name: str


class DepartmentFiguresOut(Schema):
    department: DepartmentRef
    items_open: int = Field(description="Items due in the period and still open.")
    items_done_on_time: int = Field(description="Items due in the period done on or before their due date.")
    items_done_late: int = Field(description="Items due in the period done after their due date.")
    items_overdue: int = Field(description="Open items due in the period whose due date has passed.")
    on_time_rate: float | None = Field(
        description="done on time ÷ (done on time + done late + overdue); null when no item's date has come.")
    meeting_person_hours: float = Field(
        description="Σ over meetings the department hosted of length in hours × participants who did not decline.")
    requests_received: int = Field(description="Collaboration requests sent to the department in the period.")
    requests_answered_on_time: int = Field(
        description="Requests whose first answer came within the policy's answer time (working days).")
    requests_on_time_rate: float | None = Field(
        description="requests answered in time ÷ requests received; null when none was received.")
    answer_hours_median: float | None = Field(
        description="Median working hours (09:00–18:00 on working days) from sending to the first answer; "
                    "null when none was answered.")


class FigureOut(Schema):
    key: str
    label: str
    formula: str
    unit: str
    value: float | None


class MeasureOut(Schema):
    key: str
    label: str
    formula: str
    unit: str


class PersonFiguresOut(Schema):
    person_id: int
    name: str
    figures: list[FigureOut]
