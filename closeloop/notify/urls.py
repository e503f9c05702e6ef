from django.urls import path

from . import views, views_outbox, views_robots

app_name = "notify"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.inbox_open, name="inbox_open"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("outbox/", views_outbox.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views_outbox.outbox_retry_one, name="outbox_retry"),
    path("outbox/retry-failed/", views_outbox.outbox_retry_all, name="outbox_retry_failed"),
    path("robots/", views_robots.robots, name="robots"),
    path("robots/<int:pk>/", views_robots.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/delete/", views_robots.robot_delete, name="robot_delete"),
    path("robots/<int:pk>/test/", views_robots.robot_test, name="robot_test"),
    path("robots/allowed-hosts/", views_robots.allowed_host_add, name="allowed_host_add"),
    path("robots/allowed-hosts/<int:pk>/remove/", views_robots.allowed_host_remove, name="allowed_host_remove"),
]
