"""OpenID Connect through django-allauth, with the ID token's signature always checked.

allauth trusts an ID token fetched straight from the token endpoint without checking its signature (the spec
allows it over TLS). Inside a company network the provider may sit behind plain HTTP or a proxy, so Closeloop
checks signature, issuer and audience every time: a token signed by another key is refused.
"""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter


class VerifyingOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request, app, token, **kwargs):
        self.did_fetch_access_token = False  # allauth then verifies the signature against the provider's keys
        return super().complete_login(request, app, token, **kwargs)


class VerifiedOpenIDConnectProvider(OpenIDConnectProvider):
    oauth2_adapter_class = VerifyingOAuth2Adapter


provider_classes = [VerifiedOpenIDConnectProvider]
