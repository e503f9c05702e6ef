from django.urls import path

from closeloop.workcal.views import calendar

app_name = "workcal"
urlpatterns = [
    path("calendar/", calendar.calendar_year, name="calendar"),
    path("calendar/day/", calendar.calendar_day, name="calendar_day"),
    path("calendar/import/", calendar.calendar_import, name="calendar_import"),
]
