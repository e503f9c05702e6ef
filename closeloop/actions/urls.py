from django.urls import path

from closeloop.actions.views import changes, excel, feed, items, lists, review

app_name = "actions"
urlpatterns = [
    path("", lists.mine, name="mine"),
    path("export.xlsx", lists.export, {"kind": "mine"}, name="mine_export"),
    path("template.xlsx", excel.template, name="template"),
    path("department/", lists.my_department, name="my_department"),
    path("department/<int:pk>/", lists.department, name="department"),
    path("department/<int:pk>/export.xlsx", lists.export, {"kind": "department"}, name="department_export"),
    path("meeting/<int:pk>/", lists.meeting, name="meeting"),
    path("meeting/<int:pk>/export.xlsx", lists.export, {"kind": "meeting"}, name="meeting_export"),
    path("meeting/<int:pk>/import/", excel.import_plan, {"kind": "meeting"}, name="meeting_import"),
    path("meeting/<int:pk>/review/", review.review, name="meeting_review"),
    path("meeting/<int:pk>/review/generate/", review.generate, name="review_generate"),
    path("meeting/<int:pk>/review/<int:item_pk>/", review.update, name="review_update"),
    path("project/<int:pk>/", lists.project, name="project"),
    path("project/<int:pk>/export.xlsx", lists.export, {"kind": "project"}, name="project_export"),
    path("project/<int:pk>/import/", excel.import_plan, {"kind": "project"}, name="project_import"),
    path("feed/", feed.manage, name="feed_manage"),
    path("feed/<str:token>.ics", feed.feed, name="feed"),
    path("smart-check/", items.smart_check, name="smart_check"),
    path("<int:pk>/", items.detail, name="detail"),
    path("<int:pk>/status/", items.status, name="status"),
    path("<int:pk>/delay/", items.delay, name="delay"),
    path("<int:pk>/progress/", items.progress, name="progress"),
    path("<int:pk>/confirm/", items.confirm, name="confirm"),
    path("<int:pk>/hand-over/", items.hand_over, name="hand_over"),
    path("<int:pk>/change/", changes.ask, name="change_ask"),
    path("changes/<int:pk>/decide/", changes.decide, name="change_decide"),
    path("changes/<int:pk>/withdraw/", changes.withdraw, name="change_withdraw"),
]
