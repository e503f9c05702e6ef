from django.urls import path

from . import views
from . import views_meeting as vm
from . import views_write as w

app_name = "record"
M = "meetings/<int:pk>/"
T = M + "topics/<int:topic_pk>/"

urlpatterns = [
    path(M, views.live, name="live"),
    path(M + "poll/", views.poll, name="poll"),
    path(M + "loop/", views.loop_part, name="loop"),
    path(M + "open/", vm.record_open, name="open"),
    path(M + "close/", vm.close, name="close"),
    path(M + "attendance/", vm.attendance_save, name="attendance"),
    path(M + "attendance/edit/", vm.attendance_edit, name="attendance_edit"),
    path(M + "attendance/quick/", vm.attendance_quick, name="attendance_quick"),
    path(M + "review/<int:item_pk>/", vm.review_update, name="review_update"),
    path(T, views.topic_part, name="topic"),
    path(T + "notes/", w.note_add, name="note_add"),
    path(T + "disagreements/", w.disagreement_save, name="disagreement_add"),
    path(T + "disagreements/<int:row_pk>/", w.disagreement_save, name="disagreement_edit"),
    path(T + "decisions/", w.decision_save, name="decision_add"),
    path(T + "decisions/<int:row_pk>/", w.decision_save, name="decision_edit"),
    path(T + "decisions/<int:row_pk>/flag/", w.decision_flag, name="decision_flag"),
    path(T + "items/", w.item_add, name="item_add"),
    path(T + "items/<int:item_pk>/confirm/", w.item_confirm, name="item_confirm"),
    path(T + "reason/", w.reason_save, name="reason"),
    path(T + "timer/", w.timer, name="timer"),
    path(T + "<str:kind>/<int:row_pk>/edit/", w.edit_form, name="edit_form"),
    path(T + "<str:kind>/<int:row_pk>/delete/", w.row_delete, name="row_delete"),
]
