from django.urls import path

from . import views, views_change, views_excel, views_feed, views_lists, views_review

app_name = "actions"
urlpatterns = [
    path("", views_lists.mine, name="mine"),
    path("export.xlsx", views_lists.export, {"kind": "mine"}, name="mine_export"),
    path("template.xlsx", views_excel.template, name="template"),
    path("department/", views_lists.my_department, name="my_department"),
    path("department/<int:pk>/", views_lists.department, name="department"),
    path("department/<int:pk>/export.xlsx", views_lists.export, {"kind": "department"}, name="department_export"),
    path("meeting/<int:pk>/", views_lists.meeting, name="meeting"),
    path("meeting/<int:pk>/export.xlsx", views_lists.export, {"kind": "meeting"}, name="meeting_export"),
    path("meeting/<int:pk>/import/", views_excel.import_plan, {"kind": "meeting"}, name="meeting_import"),
    path("meeting/<int:pk>/review/", views_review.review, name="meeting_review"),
    path("meeting/<int:pk>/review/generate/", views_review.generate, name="review_generate"),
    path("meeting/<int:pk>/review/<int:item_pk>/", views_review.update, name="review_update"),
    path("project/<int:pk>/", views_lists.project, name="project"),
    path("project/<int:pk>/export.xlsx", views_lists.export, {"kind": "project"}, name="project_export"),
    path("project/<int:pk>/import/", views_excel.import_plan, {"kind": "project"}, name="project_import"),
    path("feed/", views_feed.manage, name="feed_manage"),
    path("feed/<str:token>.ics", views_feed.feed, name="feed"),
    path("smart-check/", views.smart_check, name="smart_check"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/delay/", views.delay, name="delay"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/change/", views_change.ask, name="change_ask"),
    path("changes/<int:pk>/decide/", views_change.decide, name="change_decide"),
    path("changes/<int:pk>/withdraw/", views_change.withdraw, name="change_withdraw"),
]
