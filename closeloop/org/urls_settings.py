from django.urls import path

from . import views, views_audit

urlpatterns = [
    path("policy/", views.policy_edit, name="policy"),
    path("audit/", views_audit.audit_list, name="audit"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
