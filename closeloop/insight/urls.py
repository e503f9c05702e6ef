from django.urls import path

from closeloop.insight.views import dashboard, panels

app_name = "insight"
urlpatterns = [
    path("", dashboard.index, name="index"),
    path("export.xlsx", dashboard.export, name="export"),
    path("report.docx", dashboard.report, name="report"),
    path("report/send/", dashboard.send_report, name="send_report"),
    path("me/", panels.mine, name="mine"),
    path("department/", panels.my_department, name="my_department"),
    path("person/<int:pk>/", panels.person, name="person"),
]
