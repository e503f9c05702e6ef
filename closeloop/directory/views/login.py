"""The login page: the company's sign-in buttons, and the password form (directory or local) where it applies."""

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login form, finished through allauth so that a person with an authenticator is asked for it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # With neither local passwords nor LDAP the form is only for the break-glass administrators: fold it away.
        context["password_form_folded"] = not settings.LOCAL_PASSWORDS and not settings.LDAP_SERVER_URI
        return context

    def form_valid(self, form):
        return perform_login(self.request, form.get_user(), email_verification="none",
                             redirect_url=self.get_success_url())
