from django.urls import path

from closeloop.meetings.views import agenda, invitations, notice, planning, sections

app_name = "meetings"
urlpatterns = [
    path("", planning.meeting_list, name="list"),
    path("new/", planning.meeting_create, name="create"),
    path("<int:pk>/", planning.meeting_detail_page, name="detail"),
    path("<int:pk>/edit/", planning.meeting_edit, name="edit"),
    path("<int:pk>/topics/", sections.topics, name="topics"),
    path("<int:pk>/topics/add/", sections.topic_add, name="topic_add"),
    path("<int:pk>/topics/<int:topic_pk>/", sections.topic_edit, name="topic_edit"),
    path("<int:pk>/topics/<int:topic_pk>/delete/", sections.topic_delete, name="topic_delete"),
    path("<int:pk>/topics/<int:topic_pk>/move/", sections.topic_move, name="topic_move"),
    path("<int:pk>/participants/", sections.participants, name="participants"),
    path("<int:pk>/participants/add/", sections.participant_add, name="participant_add"),
    path("<int:pk>/participants/invite-many/", invitations.invite_many, name="invite_many"),
    path("<int:pk>/participants/remove-many/", invitations.remove_many, name="remove_many"),
    path("<int:pk>/participants/<int:participant_pk>/", sections.participant_edit, name="participant_edit"),
    path("<int:pk>/participants/<int:participant_pk>/remove/", sections.participant_remove,
         name="participant_remove"),
    path("<int:pk>/materials/", sections.materials, name="materials"),
    path("<int:pk>/materials/upload/", sections.material_upload, name="material_upload"),
    path("<int:pk>/materials/<int:material_pk>/download/", sections.material_download, name="material_download"),
    path("<int:pk>/materials/<int:material_pk>/delete/", sections.material_delete, name="material_delete"),
    path("<int:pk>/agenda-check/", agenda.agenda_check, name="agenda_check"),
    path("<int:pk>/agenda/reorder/", agenda.agenda_reorder, name="agenda_reorder"),
    path("<int:pk>/agenda/", agenda.agenda_print, name="agenda_print"),
    path("<int:pk>/agenda.docx", agenda.agenda_docx, name="agenda_docx"),
    path("<int:pk>/notice/", notice.notice_send_view, name="notice_send"),
    path("<int:pk>/cancel/", notice.cancel_view, name="cancel"),
    path("<int:pk>/invite.ics", notice.invite_ics_view, name="invite_ics"),
    path("<int:pk>/respond/", notice.respond_signed_in_view, name="respond_signed_in"),
    path("respond/<str:token>/", notice.respond_view, name="respond"),
]
