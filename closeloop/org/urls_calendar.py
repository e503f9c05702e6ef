from django.urls import path

from . import views_calendar

urlpatterns = [
    path("calendar/", views_calendar.calendar_year, name="calendar"),
]
