"""The provider's claims, and its deliberate mistakes for the refusal tests."""

import base64
import json

from django.conf import settings
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator


def _decode(part):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "preferred_username": "profile", "name": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {"preferred_username": user.username, "name": user.first_name, "email": user.email,
                "email_verified": True}

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        mode_file = settings.FOLDER / "mode"
        mode = mode_file.read_text().strip() if mode_file.exists() else ""
        if not mode:
            return serialized
        header_part, claims_part, _signature = serialized.split(".")
        header, claims, key = _decode(header_part), _decode(claims_part), request.client.jwk_key
        if mode == "wrong-audience":
            claims["aud"] = "another-client"
        elif mode == "wrong-signature":
            key = jwk.JWK.generate(kty="RSA", size=2048)  # same kid in the header, another key's signature
        bad = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
        bad.make_signed_token(key)
        return bad.serialize()
