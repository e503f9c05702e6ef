from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("items/<int:pk>/risk/", views.raise_risk, name="risk"),
]
