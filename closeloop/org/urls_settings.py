from django.urls import path

from . import views

urlpatterns = [
    path("policy/", views.policy_edit, name="policy"),
    path("audit/", views.audit_list, name="audit"),
    path("profile/", views.profile, name="profile"),
]
