from django.urls import path

from closeloop.insight.views import costs, dashboard, loop, panels

app_name = "insight"
urlpatterns = [
    path("", dashboard.index, name="index"),
    path("export.xlsx", dashboard.export, name="export"),
    path("report.docx", dashboard.report, name="report"),
    path("report/send/", dashboard.send_report, name="send_report"),
    path("loop/<str:key>/", loop.loop_list, name="loop"),
    path("costs/", costs.cost_list, name="costs"),
    path("costs/<int:pk>/delete/", costs.cost_delete, name="cost_delete"),
    path("me/", panels.mine, name="mine"),
    path("department/", panels.my_department, name="my_department"),
    path("person/<int:pk>/", panels.person, name="person"),
]
