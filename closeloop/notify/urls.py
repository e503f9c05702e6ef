from django.urls import path

from closeloop.notify.views import inbox, outbox, robots

app_name = "notify"

urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox.inbox_open, name="inbox_open"),
    path("inbox/<int:pk>/read/", inbox.inbox_read, name="inbox_read"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
    path("preferences/", inbox.preferences, name="preferences"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", outbox.outbox_retry_one, name="outbox_retry"),
    path("outbox/retry-failed/", outbox.outbox_retry_all, name="outbox_retry_failed"),
    path("robots/", robots.robots, name="robots"),
    path("robots/<int:pk>/", robots.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/delete/", robots.robot_delete, name="robot_delete"),
    path("robots/<int:pk>/test/", robots.robot_test, name="robot_test"),
    path("robots/allowed-hosts/", robots.allowed_host_add, name="allowed_host_add"),
    path("robots/allowed-hosts/<int:pk>/remove/", robots.allowed_host_remove, name="allowed_host_remove"),
]
