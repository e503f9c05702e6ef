from django.urls import path

from closeloop.org.views import settings as views

app_name = "org"
urlpatterns = [
    path("policy/", views.policy_edit, name="policy"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
