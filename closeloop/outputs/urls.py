from django.urls import path

from closeloop.outputs.views import output

app_name = "outputs"
urlpatterns = [
    path("meetings/<int:pk>/", output.meeting_output, name="meeting"),
    path("meetings/<int:pk>/output.<str:extension>", output.output_file, name="file"),
    path("minutes/<int:pk>/", output.minutes_output, name="minutes"),
    path("items/<int:item_pk>/columns/", output.item_columns, name="columns"),
    path("items/<int:item_pk>/confirm/", output.allocation_confirm, name="confirm"),
]
