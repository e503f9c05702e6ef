from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("smart-check/", views.smart_check, name="smart_check"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/delay/", views.delay, name="delay"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
