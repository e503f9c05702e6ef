"""Two-factor sign-in required for administrators and PMO when TOTP_REQUIRED_FOR_ADMINS is on."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect

# Pages a person must still reach before their authenticator is set up.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/")


def requires_totp(person):
    return bool(settings.TOTP_REQUIRED_FOR_ADMINS) and person.is_authenticated and person.is_org_admin


class RequireTwoFactorMiddleware:
    """Sends an administrator without an authenticator app to set one up before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and requires_totp(user) and not request.path.startswith(ALLOWED_PREFIXES)
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class UnconfiguredProviderMiddleware:
    """A sign-in provider that is not configured is a page that does not exist (404), not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.socialaccount.models import SocialApp

        if isinstance(exception, SocialApp.DoesNotExist):
            raise Http404 from exception
        return None
