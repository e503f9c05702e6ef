from django.urls import path

from closeloop.record.views import live, meeting, proposals, ruling, write

app_name = "record"
M = "meetings/<int:pk>/"
T = M + "topics/<int:topic_pk>/"

urlpatterns = [
    path(M, live.live, name="live"),
    path(M + "poll/", live.poll, name="poll"),
    path(M + "loop/", live.loop_part, name="loop"),
    path(M + "open/", meeting.record_open, name="open"),
    path("disagreements/<int:pk>/ruling/", ruling.ruling, name="ruling"),
    path(M + "close/", meeting.close, name="close"),
    path(M + "attendance/", meeting.attendance_save, name="attendance"),
    path(M + "attendance/edit/", meeting.attendance_edit, name="attendance_edit"),
    path(M + "attendance/quick/", meeting.attendance_quick, name="attendance_quick"),
    path(M + "review/<int:item_pk>/", meeting.review_update, name="review_update"),
    path(T, live.topic_part, name="topic"),
    path(T + "notes/", write.note_add, name="note_add"),
    path(T + "notes/<int:row_pk>/", write.note_edit, name="note_edit"),
    path(T + "disagreements/", write.disagreement_save, name="disagreement_add"),
    path(T + "disagreements/<int:row_pk>/", write.disagreement_save, name="disagreement_edit"),
    path(T + "decisions/", write.decision_save, name="decision_add"),
    path(T + "decisions/<int:row_pk>/", write.decision_save, name="decision_edit"),
    path(T + "decisions/<int:row_pk>/flag/", write.decision_flag, name="decision_flag"),
    path(T + "items/", write.item_add, name="item_add"),
    path(T + "items/<int:item_pk>/", write.item_edit, name="item_edit"),
    path(T + "items/<int:item_pk>/confirm/", write.item_confirm, name="item_confirm"),
    path(T + "proposals/", proposals.proposals, name="proposals"),
    path(T + "proposals/edit/", proposals.proposal_edit, name="proposal_edit"),
    path(T + "reason/", write.reason_save, name="reason"),
    path(T + "timer/", write.timer, name="timer"),
    path(T + "<str:kind>/<int:row_pk>/edit/", write.edit_form, name="edit_form"),
    path(T + "<str:kind>/<int:row_pk>/delete/", write.row_delete, name="row_delete"),
]
