from django.urls import path

from closeloop.archive.views import archive as views
from closeloop.archive.views import projects

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_page, name="search"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("meetings/<int:pk>/action-plan.xlsx", views.action_plan, name="action_plan"),
]
