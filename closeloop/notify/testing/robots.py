"""A local HTTP receiver on 127.0.0.1 standing in for DingTalk, WeCom, Feishu or a webhook endpoint.

It checks each request's signature the way the platform's public documentation defines it, computing the
sign itself (not with Closeloop's code), and answers as the platform would: success, or the platform's
error for a bad signature. Tests can script the next answers (throttling, 5xx, slowness).

Use the `robot_receiver` fixture: `from closeloop.notify.testing.robots import robot_receiver  # noqa: F401`,
then `receiver = robot_receiver("dingtalk", secret="SEC…")`.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

SUCCESS = {
    "dingtalk": {"errcode": 0, "errmsg": "ok"},
    "wecom": {"errcode": 0, "errmsg": "ok"},
    "feishu": {"code": 0, "msg": "success", "data": {}},
    "webhook": {"ok": True},
}
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "b7a54e4d1c0f4f0a9e8c3d2b1a0f9e8d7c6b5a4f3e2d1c0b"


def documented_dingtalk_sign(secret, timestamp):
    """DingTalk: Base64(HmacSHA256(key=secret, message=timestamp + "\\n" + secret)), timestamp in ms."""
    message = (str(timestamp) + "\n" + secret).encode("utf-8")
    return base64.b64encode(hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()).decode()


def documented_feishu_sign(secret, timestamp):
    """Feishu: Base64(HmacSHA256(key=timestamp + "\\n" + secret, message=empty)), timestamp in seconds."""
    key = (str(timestamp) + "\n" + secret).encode("utf-8")
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


class Receiver:
    def __init__(self, platform, secret=""):
        self.platform, self.secret = platform, secret
        self.requests = []
        self.scripted = []  # [(status, body dict or bytes, headers, delay seconds)]
        self.lock = threading.Lock()
        self.server = None

    @property
    def url(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return {
            "dingtalk": f"{base}/robot/send?access_token={DINGTALK_TOKEN}",
            "wecom": f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}",
            "feishu": f"{base}/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd",
            "webhook": f"{base}/hooks/closeloop",
        }[self.platform]

    def answer_next(self, status=200, body=None, headers=None, delay=0.0, times=1):
        for _ in range(times):
            self.scripted.append((status, body, headers or {}, delay))

    @property
    def accepted(self):
        return [r for r in self.requests if r["verified"] and r["answered"] == "success"]

    def verify(self, path, query, headers, raw):
        """(verified, error answer) per the platform's documentation."""
        now = time.time()
        if self.platform == "dingtalk":
            if query.get("access_token") != [DINGTALK_TOKEN]:
                return False, (200, {"errcode": 300001, "errmsg": "token is not exist"})
            if not self.secret:
                return True, None
            raw_query = path.partition("?")[2]
            try:
                timestamp, sign = int(query["timestamp"][0]), query["sign"][0]
            except (KeyError, ValueError):
                return False, (200, {"errcode": 310000, "errmsg": "sign not match"})
            raw_sign = [p.partition("=")[2] for p in raw_query.split("&") if p.startswith("sign=")][0]
            url_encoded = all(c not in raw_sign for c in "+/=")  # Base64's + / = must arrive URL-encoded
            fresh = abs(now * 1000 - timestamp) < 3600 * 1000
            ok = fresh and url_encoded and hmac.compare_digest(sign, documented_dingtalk_sign(self.secret, timestamp))
            return ok, None if ok else (200, {"errcode": 310000, "errmsg": "sign not match"})
        if self.platform == "wecom":
            ok = query.get("key") == [WECOM_KEY]
            return ok, None if ok else (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
        if self.platform == "feishu":
            body = json.loads(raw)
            if not self.secret:
                return True, None
            timestamp = body.get("timestamp", "")
            fresh = str(timestamp).isdigit() and abs(now - int(timestamp)) < 3600
            ok = fresh and hmac.compare_digest(str(body.get("sign", "")),
                                               documented_feishu_sign(self.secret, timestamp))
            return ok, None if ok else (200, {"code": 19021, "msg": "sign match fail or timestamp is not "
                                                                    "within one hour from current time"})
        header = headers.get("X-Closeloop-Signature", "")
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        expected = hmac.new(self.secret.encode(), f"{parts.get('t', '')}.".encode() + raw, hashlib.sha256).hexdigest()
        fresh = parts.get("t", "").isdigit() and abs(now - int(parts["t"])) < 300
        ok = fresh and hmac.compare_digest(parts.get("v1", ""), expected)
        return ok, None if ok else (401, {"error": "bad signature"})

    def handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        arrived = time.time()  # when the whole post was here: what a platform's rate limit counts
        split = urlsplit(handler.path)
        query = parse_qs(split.query)
        headers = dict(handler.headers.items())
        verified, refusal = self.verify(handler.path, query, headers, raw)
        with self.lock:
            scripted = self.scripted.pop(0) if self.scripted and verified else None
        status, body, extra, delay = scripted or ((refusal[0], refusal[1], {}, 0) if refusal else
                                                  (200, SUCCESS[self.platform], {}, 0))
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        answered = "scripted" if scripted else ("refused" if refusal else "success")
        record = {"path": handler.path, "query": query, "headers": headers, "raw": raw, "json": payload,
                  "verified": verified, "at": arrived, "answered": answered}
        with self.lock:
            self.requests.append(record)
        if delay:
            time.sleep(delay)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            handler.send_response(status)
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:  # the client gave up waiting (timeout tests)
            pass


@pytest.fixture
def robot_receiver(settings):
    """A factory: robot_receiver(platform, secret="") → a running Receiver; 127.0.0.1 is allow-listed."""
    settings.WEBHOOK_ALLOWLIST = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    started = []

    def start(platform, secret=""):
        receiver = Receiver(platform, secret)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.handle(self)

            def log_message(self, *args):
                pass

        receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        receiver.server.daemon_threads = True
        threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.server.shutdown()
        receiver.server.server_close()
