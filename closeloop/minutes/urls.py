from django.urls import path

from closeloop.minutes.views import minutes

app_name = "minutes"
urlpatterns = [
    path("meetings/<int:meeting_pk>/", minutes.meeting_minutes, name="meeting"),
    path("meetings/<int:meeting_pk>/create/", minutes.create, name="create"),
    path("<int:pk>/", minutes.detail, name="detail"),
    path("<int:pk>/save/", minutes.save, name="save"),
    path("<int:pk>/redraft/", minutes.redraft, name="redraft"),
    path("<int:pk>/submit/", minutes.submit, name="submit"),
    path("<int:pk>/return/", minutes.return_, name="return"),
    path("<int:pk>/approve/", minutes.approve, name="approve"),
    path("<int:pk>/distribute/", minutes.distribute, name="distribute"),
    path("<int:pk>/correct/", minutes.correct, name="correct"),
    path("<int:pk>/signoff/", minutes.sign_off, name="signoff"),
    path("<int:pk>/diff/", minutes.diff, name="diff"),
    path("<int:pk>/minutes.docx", minutes.docx, name="docx"),
    path("<int:pk>/minutes.md", minutes.markdown, name="markdown"),
    path("signoff/<str:token>/", minutes.signoff_token, name="signoff_token"),
]
