from django.urls import path

from .views import actions, answer_link, edit, memos, pages, policy, resource_link, resources

app_name = "collab"

urlpatterns = [
    path("", pages.request_list, name="list"),
    path("new/", pages.request_new, name="new"),
    path("policy/", policy.policy_edit, name="policy"),
    path("<int:pk>/", pages.request_detail, name="detail"),
    path("<int:pk>/edit/", edit.request_edit, name="edit"),
    path("<int:pk>/record.docx", pages.record_docx, name="record_docx"),
    path("<int:pk>/materials/<int:material_id>/", pages.material, name="material"),
    path("<int:pk>/record.xlsx", pages.record_xlsx, name="record_xlsx"),
    path("<int:pk>/answer/<int:receipt_id>/", actions.answer, name="answer"),
    path("<int:pk>/reply/<int:receipt_id>/", actions.reply, name="reply"),
    path("<int:pk>/delegate/<int:receipt_id>/", actions.delegate, name="delegate"),
    path("<int:pk>/escalate/", actions.escalate, name="escalate"),
    path("<int:pk>/withdraw/", actions.withdraw, name="withdraw"),
    path("<int:pk>/meeting/", actions.plan_meeting, name="plan_meeting"),
    path("<int:pk>/meeting/link/", actions.link_meeting, name="link_meeting"),
    path("<int:pk>/memo/", memos.memo_start, name="memo_start"),
    path("memos/<int:memo_id>/", memos.memo_detail, name="memo"),
    path("memos/<int:memo_id>/save/", memos.memo_save, name="memo_save"),
    path("memos/<int:memo_id>/submit/", memos.memo_submit, name="memo_submit"),
    path("memos/<int:memo_id>/sign/<int:signature_id>/", memos.memo_sign, name="memo_sign"),
    path("memos/<int:memo_id>/return/", memos.memo_return, name="memo_return"),
    path("memos/<int:memo_id>/amend/", memos.memo_amend, name="memo_amend"),
    path("memos/<int:memo_id>/memo.docx", memos.memo_docx, name="memo_docx"),
    path("<int:pk>/resources/new/", resources.resource_new, name="resource_new"),
    path("resources/<int:resource_id>/", resources.resource_detail, name="resource"),
    path("resources/<int:resource_id>/approve/", resources.resource_approve, name="resource_approve"),
    path("resources/<int:resource_id>/return/", resources.resource_return, name="resource_return"),
    path("resources/<int:resource_id>/resend/", resources.resource_resend, name="resource_resend"),
    path("resources/<int:resource_id>/form.docx", resources.resource_docx, name="resource_docx"),
    path("resources/<int:resource_id>/form.xlsx", resources.resource_xlsx, name="resource_xlsx"),
    path("answer/<str:token>/", answer_link.answer_token, name="answer_token"),
    path("memos/sign/<str:token>/", memos.memo_sign_token, name="memo_sign_token"),
    path("resources/decide/<str:token>/", resource_link.resource_token, name="resource_token"),
]
