from django.urls import path

from .views import admin

app_name = "directory"
urlpatterns = [
    path("", admin.overview, name="overview"),
    path("sync/", admin.sync, name="sync"),
]
