from django.urls import path

from . import views_notice

urlpatterns = [
    path("<int:pk>/notice/", views_notice.notice_send_view, name="notice_send"),
    path("<int:pk>/cancel/", views_notice.cancel_view, name="cancel"),
    path("<int:pk>/invite.ics", views_notice.invite_ics_view, name="invite_ics"),
    path("<int:pk>/respond/", views_notice.respond_signed_in_view, name="respond_signed_in"),
    path("respond/<str:token>/", views_notice.respond_view, name="respond"),
]
