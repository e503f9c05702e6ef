from django.urls import path

from .views import actions, pages

app_name = "collab"

urlpatterns = [
    path("", pages.request_list, name="list"),
    path("new/", pages.request_new, name="new"),
    path("<int:pk>/", pages.request_detail, name="detail"),
    path("<int:pk>/record.docx", pages.record_docx, name="record_docx"),
    path("<int:pk>/materials/<int:material_id>/", pages.material, name="material"),
    path("<int:pk>/record.xlsx", pages.record_xlsx, name="record_xlsx"),
    path("<int:pk>/answer/<int:receipt_id>/", actions.answer, name="answer"),
    path("<int:pk>/reply/<int:receipt_id>/", actions.reply, name="reply"),
    path("<int:pk>/delegate/<int:receipt_id>/", actions.delegate, name="delegate"),
    path("<int:pk>/escalate/", actions.escalate, name="escalate"),
    path("<int:pk>/withdraw/", actions.withdraw, name="withdraw"),
    path("<int:pk>/meeting/", actions.plan_meeting, name="plan_meeting"),
]
