from django.urls import path

from closeloop.org.views import administration
from closeloop.org.views import settings as views

app_name = "org"
urlpatterns = [
    path("policy/", views.policy_edit, name="policy"),
    path("admin/", administration.home, name="admin"),
    path("admin/people/", administration.people, name="people"),
    path("admin/people/<int:pk>/", administration.person_edit, name="person_edit"),
    path("admin/departments/", administration.departments, name="departments"),
    path("admin/departments/<int:pk>/", administration.department_edit, name="department_edit"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
