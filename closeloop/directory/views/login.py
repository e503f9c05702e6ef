"""The login page: what Closeloop is, a language switch, the company's sign-in buttons, the password form
(directory or local) where it applies, and the demo's sign-in hint when the demo is loaded."""

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib.auth import views as auth_views

from closeloop.directory.pages import login_hint


class LoginView(auth_views.LoginView):
    """Django's login form, finished through allauth so that a person with an authenticator is asked for it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # With neither local passwords nor LDAP the form is only for the break-glass administrators: fold it away.
        context["password_form_folded"] = not settings.LOCAL_PASSWORDS and not settings.LDAP_SERVER_URI
        context["demo_hint"] = None if context["password_form_folded"] else login_hint()
        return context

    def form_valid(self, form):
        return perform_login(self.request, form.get_user(), email_verification="none",
                             redirect_url=self.get_success_url())
