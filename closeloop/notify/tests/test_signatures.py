"""Signature test vectors: a fixed secret and timestamp give a known sign, for each platform's documented scheme.

The expected values were computed outside Python with OpenSSL from the documented formulas
(`openssl dgst -sha256 -hmac <key> -binary | base64`), and are recomputed here with hmac for clarity.
DingTalk and Feishu look alike but differ in the key, the message and the time unit.
"""

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

from closeloop.notify.transports.dingtalk import dingtalk_sign, signed_url
from closeloop.notify.transports.feishu import feishu_sign
from closeloop.notify.transports.webhook import webhook_signature

SECRET = "SECd8a2b7c4e1f0964a3b5c7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c"
# One instant, 2020-09-06 02:47:53 UTC: DingTalk counts milliseconds, Feishu seconds.
DINGTALK_TIMESTAMP_MS = 1599360473000
FEISHU_TIMESTAMP_S = 1599360473
DINGTALK_VECTOR = "FHOsP7KAw2cZqQgmYhbAe/TzERiJcXAqKXGQfrl/kPA="
DINGTALK_VECTOR_URL_ENCODED = "FHOsP7KAw2cZqQgmYhbAe%2FTzERiJcXAqKXGQfrl%2FkPA%3D"
FEISHU_VECTOR = "2JN8Qu59gFZwgc0M7KZ5bh60Ja6M1G6CGPvzQGv43l0="


def b64_hmac(key, message):
    return base64.b64encode(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()).decode()


def test_the_dingtalk_vector_is_hmac_keyed_by_the_secret_over_milliseconds_newline_secret():
    assert b64_hmac(SECRET, f"{DINGTALK_TIMESTAMP_MS}\n{SECRET}") == DINGTALK_VECTOR
    assert dingtalk_sign(SECRET, DINGTALK_TIMESTAMP_MS) == DINGTALK_VECTOR


def test_the_dingtalk_sign_travels_url_encoded_in_the_query_with_its_timestamp():
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, DINGTALK_TIMESTAMP_MS)
    query = urlsplit(url).query
    assert query == f"access_token=abc&timestamp={DINGTALK_TIMESTAMP_MS}&sign={DINGTALK_VECTOR_URL_ENCODED}"
    assert parse_qs(query)["sign"] == [DINGTALK_VECTOR]


def test_the_feishu_vector_is_hmac_keyed_by_seconds_newline_secret_over_nothing():
    assert b64_hmac(f"{FEISHU_TIMESTAMP_S}\n{SECRET}", "") == FEISHU_VECTOR
    assert feishu_sign(SECRET, FEISHU_TIMESTAMP_S) == FEISHU_VECTOR


def test_the_two_schemes_differ_in_key_message_and_time_unit():
    # Same secret, same instant: the signs differ.
    assert dingtalk_sign(SECRET, DINGTALK_TIMESTAMP_MS) != feishu_sign(SECRET, FEISHU_TIMESTAMP_S)
    # Time unit: Feishu's formula fed DingTalk's milliseconds (or the reverse) is not the vector.
    assert feishu_sign(SECRET, DINGTALK_TIMESTAMP_MS) != FEISHU_VECTOR
    assert dingtalk_sign(SECRET, FEISHU_TIMESTAMP_S) != DINGTALK_VECTOR
    # Key and message: swapping them turns one scheme into neither.
    string_to_sign = f"{FEISHU_TIMESTAMP_S}\n{SECRET}"
    keyed_by_secret = b64_hmac(SECRET, string_to_sign)  # DingTalk's shape on Feishu's timestamp
    keyed_by_string = b64_hmac(string_to_sign, "")  # Feishu's shape
    assert keyed_by_string == FEISHU_VECTOR and keyed_by_secret != FEISHU_VECTOR
    assert b64_hmac(f"{DINGTALK_TIMESTAMP_MS}\n{SECRET}", "") != DINGTALK_VECTOR


def test_the_webhook_signature_is_hex_hmac_of_timestamp_dot_body():
    # openssl: printf '1599360473.{"id":"k"}' | openssl dgst -sha256 -hmac whsec_test
    expected = "dd09910d8403448c54aef80416209e36ac83014e6266397a23b068fd6e152031"
    assert webhook_signature("whsec_test", 1599360473, b'{"id":"k"}') == f"t=1599360473,v1={expected}"
