from django.urls import path

from . import views
from . import views_sections as sections

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail_page, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/topics/", sections.topics, name="topics"),
    path("<int:pk>/topics/add/", sections.topic_add, name="topic_add"),
    path("<int:pk>/topics/<int:topic_pk>/", sections.topic_edit, name="topic_edit"),
    path("<int:pk>/topics/<int:topic_pk>/delete/", sections.topic_delete, name="topic_delete"),
    path("<int:pk>/topics/<int:topic_pk>/move/", sections.topic_move, name="topic_move"),
    path("<int:pk>/participants/", sections.participants, name="participants"),
    path("<int:pk>/participants/add/", sections.participant_add, name="participant_add"),
    path("<int:pk>/participants/<int:participant_pk>/", sections.participant_edit, name="participant_edit"),
    path("<int:pk>/participants/<int:participant_pk>/remove/", sections.participant_remove,
         name="participant_remove"),
    path("<int:pk>/materials/", sections.materials, name="materials"),
    path("<int:pk>/materials/upload/", sections.material_upload, name="material_upload"),
    path("<int:pk>/materials/<int:material_pk>/download/", sections.material_download, name="material_download"),
    path("<int:pk>/materials/<int:material_pk>/delete/", sections.material_delete, name="material_delete"),
]
