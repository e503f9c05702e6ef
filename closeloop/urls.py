from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from closeloop.api import api
from closeloop.directory.views.login import LoginView
from closeloop.notify.views.health import healthz


def not_found(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False)),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the login page's language switch
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # allauth's own e-mail, sign-up and password pages are not Closeloop's: people come from administrators or
    # the directory, and change their password above.
    re_path(r"^accounts/(email|signup|password/(change|set|reset)|confirm-email|3rdparty/signup)/",
            not_found),
    path("accounts/", include("allauth.urls")),  # single sign-on, two-factor (django-allauth)
    path("admin/", admin.site.urls),
    path("directory/", include("closeloop.directory.urls")),
    path("org/", include("closeloop.org.urls")),
    path("org/", include("closeloop.workcal.urls")),
    path("org/audit/", include("closeloop.audit.urls")),
    path("meetings/", include("closeloop.meetings.urls")),
    path("actions/", include("closeloop.actions.urls")),
    path("requests/", include("closeloop.collab.urls")),
    path("retrospectives/", include("closeloop.retro.urls")),
    path("minutes/", include("closeloop.minutes.urls")),
    path("outputs/", include("closeloop.outputs.urls")),
    path("record/", include("closeloop.record.urls")),
    path("notify/", include("closeloop.notify.urls")),
    path("archive/", include("closeloop.archive.urls")),
    path("followup/", include("closeloop.followup.urls")),
    path("insight/", include("closeloop.insight.urls")),
    path("search/", include("closeloop.search.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]

