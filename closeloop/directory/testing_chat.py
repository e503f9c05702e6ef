"""Local fakes of DingTalk's and Feishu's OAuth endpoints as their documentation describes them.

Their servers cannot be reached from here; allauth's providers talk to this instead through
SSO_ENDPOINT_OVERRIDES. Each fake checks what the documentation requires (credentials, the code, the token
in the documented header) and records every request, so a test can assert the exchange itself.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

CLIENT_ID, CLIENT_SECRET = "ding-test-app", "ding-test-secret"
APP_ID, APP_SECRET = "cli_test_app", "feishu-test-secret"
CODE = "auth-code-123"
DINGTALK_USER = {"nick": "钉钉张三", "unionId": "union-zhangsan", "openId": "ding-open-zhangsan",
                 "email": "zhangsan@corp.test", "mobile": "13800000000", "stateCode": "86"}
FEISHU_USER = {"name": "飞书李四", "en_name": "Li Si", "open_id": "ou_lisi", "union_id": "on_lisi",
               "user_id": "lisi01", "email": "lisi@corp.test", "tenant_key": "tenant-1"}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def do_POST(self):
        path, body = urlparse(self.path).path, self._body()
        self.server.seen.append(("POST", path, body, dict(self.headers)))
        if path == "/v1.0/oauth2/userAccessToken":
            ok = (body.get("clientId"), body.get("clientSecret"), body.get("code"), body.get("grantType")) == (
                CLIENT_ID, CLIENT_SECRET, CODE, "authorization_code")
            return self._reply(200, {"accessToken": "ding-user-token", "refreshToken": "r", "expireIn": 7200,
                                     "corpId": "ding-corp"} if ok else {"code": "invalidCode"})
        if path == "/open-apis/auth/v3/app_access_token/internal/":
            ok = (body.get("app_id"), body.get("app_secret")) == (APP_ID, APP_SECRET)
            return self._reply(200, {"code": 0, "app_access_token": "feishu-app-token", "expire": 7200} if ok
                               else {"code": 10003, "msg": "invalid app_secret"})
        if path == "/open-apis/authen/v1/access_token":
            ok = (body.get("grant_type"), body.get("code"), body.get("app_access_token")) == (
                "authorization_code", CODE, "feishu-app-token")
            return self._reply(200, {"code": 0, "data": {"access_token": "feishu-user-token", "refresh_token": "r",
                                                          "expires_in": 7200, "open_id": FEISHU_USER["open_id"]}}
                               if ok else {"code": 20003, "msg": "invalid code"})
        return self._reply(404, {"code": 404})

    def do_GET(self):
        path = urlparse(self.path).path
        self.server.seen.append(("GET", path, {}, dict(self.headers)))
        if path == "/v1.0/contact/users/me":
            if self.headers.get("x-acs-dingtalk-access-token") != "ding-user-token":
                return self._reply(401, {"code": "InvalidAuthentication"})
            return self._reply(200, DINGTALK_USER)
        if path == "/open-apis/authen/v1/user_info":
            if self.headers.get("Authorization") != "Bearer feishu-user-token":
                return self._reply(200, {"code": 99991663, "msg": "invalid access token"})
            return self._reply(200, {"code": 0, "data": FEISHU_USER})
        return self._reply(404, {"code": 404})


@pytest.fixture
def chat_platforms(settings):
    """Both fakes on one local port; DingTalk's and Feishu's API origins are pointed at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SSO_ENDPOINT_OVERRIDES = {"https://api.dingtalk.com": base, "https://open.feishu.cn": base}
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["dingtalk"] = {"APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET}]}
    providers["feishu"] = {"APPS": [{"client_id": APP_ID, "secret": APP_SECRET}]}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
