from django.urls import path

from .views import pages

app_name = "collab"

urlpatterns = [
    path("", pages.request_list, name="list"),
    path("new/", pages.request_new, name="new"),
    path("<int:pk>/", pages.request_detail, name="detail"),
]
