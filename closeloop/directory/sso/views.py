"""The OpenID Connect login and callback views, on the verifying adapter."""

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404

from .provider import VerifyingOAuth2Adapter


def login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(VerifyingOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def callback(request, provider_id):
    try:
        return OAuth2CallbackView.adapter_view(VerifyingOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
