from django.urls import path

from . import views

app_name = "minutes"
urlpatterns = [
    path("meetings/<int:meeting_pk>/", views.meeting_minutes, name="meeting"),
    path("meetings/<int:meeting_pk>/create/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/redraft/", views.redraft, name="redraft"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/distribute/", views.distribute, name="distribute"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/signoff/", views.sign_off, name="signoff"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/minutes.docx", views.docx, name="docx"),
    path("<int:pk>/minutes.md", views.markdown, name="markdown"),
    path("signoff/<str:token>/", views.signoff_token, name="signoff_token"),
]
