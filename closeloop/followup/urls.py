from django.urls import path

from closeloop.followup.views import risk as views

app_name = "followup"
urlpatterns = [
    path("items/<int:pk>/risk/", views.raise_risk, name="risk"),
]
