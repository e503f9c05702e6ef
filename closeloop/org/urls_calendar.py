from django.urls import path

from . import views_calendar

urlpatterns = [
    path("calendar/", views_calendar.calendar_year, name="calendar"),
    path("calendar/day/", views_calendar.calendar_day, name="calendar_day"),
    path("calendar/import/", views_calendar.calendar_import, name="calendar_import"),
]
