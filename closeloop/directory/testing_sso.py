"""A real OpenID Connect provider for tests, started in its own process (see `testing_oidc`).

Fixtures: `oidc_provider` (for the Django test client, whose host is `testserver`) and `oidc_provider_live`
(for a browser against pytest-django's live server). `provider.configure(settings)` adds it to the login page.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .testing import free_port
from .testing_oidc import CLIENT_ID, CLIENT_SECRET

CALLBACK = "/accounts/oidc/oidc/login/callback/"


def _rsa_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class OIDCProvider:
    def __init__(self, folder, redirect_uris):
        self.folder = Path(folder)
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.origin}/o"
        self.redirect_uris = redirect_uris
        self.process = None

    def start(self):
        (self.folder / "oidc-key.pem").write_text(_rsa_pem())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "closeloop.directory.testing_oidc", str(self.folder), str(self.port),
             " ".join(self.redirect_uris)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"})
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.process.kill()
            raise RuntimeError("the test OpenID Connect provider did not start: " + self.process.stderr.read()[-3000:])
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(5)

    def set_mode(self, mode):
        """"wrong-signature" or "wrong-audience" from the next ID token on; "" for honest tokens."""
        (self.folder / "mode").write_text(mode)

    def configure(self, settings, *, client_id=CLIENT_ID, name="公司统一身份认证"):
        providers = {**settings.SOCIALACCOUNT_PROVIDERS}
        providers["openid_connect"] = {**providers["openid_connect"], "APPS": [{
            "provider_id": "oidc", "name": name, "client_id": client_id, "secret": CLIENT_SECRET,
            "settings": {"server_url": self.issuer},
        }]}
        settings.SOCIALACCOUNT_PROVIDERS = providers
        csp = {**settings.CONTENT_SECURITY_POLICY, "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
        csp["DIRECTIVES"]["form-action"] = [*csp["DIRECTIVES"]["form-action"], self.origin]
        settings.CONTENT_SECURITY_POLICY = csp


def _provider(redirect_uris):
    folder = tempfile.mkdtemp(prefix="closeloop-oidc-")
    provider = OIDCProvider(folder, redirect_uris)
    try:
        yield provider.start()
    finally:
        provider.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def oidc_provider():
    yield from _provider([f"http://testserver{CALLBACK}"])


@pytest.fixture
def oidc_provider_live(live_server):
    yield from _provider([f"{live_server.url}{CALLBACK}"])
