"""DingTalk and Feishu sign-in through allauth's providers, against local fakes of their documented endpoints."""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount

from closeloop.directory.selectors import chat_user_id
from closeloop.directory.testing_chat import APP_ID, CLIENT_ID, CODE, DINGTALK_USER, FEISHU_USER

pytestmark = pytest.mark.django_db


def _start(client, provider):
    response = client.post(f"/accounts/{provider}/login/")
    assert response.status_code == 302
    return urlparse(response["Location"]), parse_qs(urlparse(response["Location"]).query)


def test_dingtalk_sign_in_exchanges_the_code_and_links_the_person_by_their_dingtalk_id(client, chat_platforms):
    url, query = _start(client, "dingtalk")
    assert url.netloc == "login.dingtalk.com" and query["client_id"] == [CLIENT_ID]
    # DingTalk sends the code back as authCode.
    response = client.get("/accounts/dingtalk/login/callback/", {"authCode": CODE, "state": query["state"][0]})
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    account = SocialAccount.objects.get(provider="dingtalk")
    assert account.uid == DINGTALK_USER["openId"]
    assert account.user.display_name == "钉钉张三"
    assert chat_user_id(account.user, "dingtalk") == DINGTALK_USER["openId"]
    exchange = [s for s in chat_platforms.seen if s[1] == "/v1.0/oauth2/userAccessToken"]
    assert exchange[0][2]["code"] == CODE


def test_feishu_sign_in_takes_an_app_token_then_the_users_and_links_by_open_id(client, chat_platforms):
    url, query = _start(client, "feishu")
    assert url.netloc == "open.feishu.cn" and query["app_id"] == [APP_ID]
    response = client.get("/accounts/feishu/login/callback/", {"code": CODE, "state": query["state"][0]})
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    account = SocialAccount.objects.get(provider="feishu")
    assert account.uid == FEISHU_USER["open_id"] and account.user.display_name == "飞书李四"
    paths = [s[1] for s in chat_platforms.seen]
    assert paths == ["/open-apis/auth/v3/app_access_token/internal/", "/open-apis/authen/v1/access_token",
                     "/open-apis/authen/v1/user_info"]


def test_a_wrong_code_is_refused(client, chat_platforms):
    _url, query = _start(client, "dingtalk")
    client.get("/accounts/dingtalk/login/callback/", {"authCode": "forged", "state": query["state"][0]})
    assert "_auth_user_id" not in client.session and not SocialAccount.objects.exists()


def test_a_callback_without_the_state_of_this_browser_is_refused(client, chat_platforms):
    _start(client, "feishu")
    client.get("/accounts/feishu/login/callback/", {"code": CODE, "state": "someone-elses"})
    assert "_auth_user_id" not in client.session and not SocialAccount.objects.exists()
