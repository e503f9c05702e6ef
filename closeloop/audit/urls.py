from django.urls import path

from closeloop.audit.views import trail

app_name = "audit"
urlpatterns = [
    path("", trail.audit_list, name="list"),
]
