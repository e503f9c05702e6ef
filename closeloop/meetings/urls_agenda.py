from django.urls import path

from . import views_agenda

urlpatterns = [
    path("<int:pk>/agenda-check/", views_agenda.agenda_check, name="agenda_check"),
    path("<int:pk>/agenda/reorder/", views_agenda.agenda_reorder, name="agenda_reorder"),
    path("<int:pk>/agenda/", views_agenda.agenda_print, name="agenda_print"),
    path("<int:pk>/agenda.docx", views_agenda.agenda_docx, name="agenda_docx"),
]
