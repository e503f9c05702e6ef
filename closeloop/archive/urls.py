from django.urls import path

from closeloop.archive.views import archive as views

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_page, name="search"),
    path("meetings/<int:pk>/action-plan.xlsx", views.action_plan, name="action_plan"),
]
