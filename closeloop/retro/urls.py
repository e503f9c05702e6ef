from django.urls import path

from .views import policy, progress, retros

app_name = "retro"

urlpatterns = [
    path("", retros.improvements, name="improvements"),
    path("policy/", policy.policy, name="policy"),
    path("<int:pk>/", retros.detail, name="detail"),
    path("<int:pk>/plan/", retros.plan, name="plan"),
    path("<int:pk>/assess/", retros.assess, name="assess"),
    path("<int:pk>/improvements/", retros.improvement_add, name="improvement_add"),
    path("<int:pk>/improvements/<int:improvement_id>/remove/", retros.improvement_remove, name="improvement_remove"),
    path("<int:pk>/send/", retros.send, name="send"),
    path("<int:pk>/acknowledge/", retros.acknowledge, name="acknowledge"),
    path("<int:pk>/report.docx", retros.report_docx, name="report_docx"),
    path("requests/<int:request_id>/complete/", retros.complete, name="complete"),
    path("requests/<int:request_id>/progress/", progress.page, name="progress"),
    path("requests/<int:request_id>/progress/post/", progress.post, name="progress_post"),
    path("requests/<int:request_id>/changes/", progress.change_ask, name="change_ask"),
    path("requests/<int:request_id>/changes/<int:change_id>/answer/<int:department_id>/", progress.change_answer,
         name="change_answer"),
    path("requests/<int:request_id>/changes/<int:change_id>/withdraw/", progress.change_withdraw,
         name="change_withdraw"),
]
