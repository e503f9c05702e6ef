"""The meetings API: planning, the agenda check, the notice; and meeting series."""

from closeloop.meetings.api import agenda, meetings, notice, series

ROUTERS = [("/meetings", meetings.router), ("/meetings", agenda.router), ("/meetings", notice.router),
           ("/series", series.router)]
