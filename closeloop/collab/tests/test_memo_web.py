"""The memo from the API, the pages and the admin: who may do what, 404 for the others, frozen once signed."""

import io

import pytest
from docx import Document

from closeloop.collab import services
from closeloop.collab.models import Memo

from .conftest import sign_all_remaining

PERSONAS = ["admin", "host", "recorder", "member", "head", "outsider", "market_head", "product_head"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_the_memo_and_who_gets_404(client, parties, memo, persona):
    client.force_login(parties[persona])
    status = 404 if persona == "outsider" else 200
    for path in (f"/api/v1/memos/{memo.pk}", f"/api/v1/memos/{memo.pk}/memo.docx", f"/api/v1/memos/{memo.pk}/diff",
                 f"/requests/memos/{memo.pk}/", f"/requests/memos/{memo.pk}/memo.docx"):
        assert client.get(path).status_code == status, (persona, path)
    response = client.patch(f"/api/v1/memos/{memo.pk}", {"version": memo.version, "content": {"goal": "x"}},
                            content_type="application/json")
    may_edit = persona in ("admin", "host", "market_head")
    assert response.status_code == (200 if may_edit else 403 if status == 200 else 404), persona


def test_the_whole_memo_through_the_api(client, parties, sent, with_meeting):
    client.force_login(parties["member"])
    assert client.post("/api/v1/memos", {"request": sent.pk}, content_type="application/json").status_code == 403
    client.force_login(parties["host"])
    response = client.post("/api/v1/memos", {"request": sent.pk}, content_type="application/json")
    assert response.status_code == 201
    memo = response.json()
    stale = memo["version"]
    response = client.patch(f"/api/v1/memos/{memo['id']}", {"version": stale, "content": {"goal": "铺货与培训"}},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["content"]["goal"] == "铺货与培训"
    response = client.patch(f"/api/v1/memos/{memo['id']}", {"version": stale, "content": {"goal": "旧的"}},
                            content_type="application/json")
    assert response.status_code == 409 and response.json()["current_version"] == stale + 1
    assert client.post(f"/api/v1/memos/{memo['id']}/submit").json()["state"] == "signing"
    for persona in ("market_head", "head", "product_head"):
        client.force_login(parties[persona])
        response = client.post(f"/api/v1/memos/{memo['id']}/sign", {"comment": "同意"},
                               content_type="application/json")
        assert response.status_code == 200, response.json()
    assert response.json()["state"] == "signed" and all(s["signed_at"] for s in response.json()["signatures"])
    signed_version = response.json()["version"]
    client.force_login(parties["member"])
    assert client.post(f"/api/v1/memos/{memo['id']}/sign", {}, content_type="application/json").status_code == 403
    client.force_login(parties["host"])
    response = client.patch(f"/api/v1/memos/{memo['id']}", {"version": signed_version, "content": {"goal": "改"}},
                            content_type="application/json")
    assert response.status_code == 422 and "state" in response.json()["errors"]
    response = client.post(f"/api/v1/memos/{memo['id']}/amend", {"reason": "顺延"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["number"] == 2
    amended = response.json()
    client.patch(f"/api/v1/memos/{amended['id']}", {"version": amended["version"], "content": {"validity": "延至9月"}},
                 content_type="application/json")
    rows = client.get(f"/api/v1/memos/{amended['id']}/diff").json()
    assert [r["key"] for r in rows if r["changed"]] == ["validity"]
    listed = client.get(f"/api/v1/memos?request={sent.pk}").json()["items"]
    assert [m["number"] for m in listed] == [2, 1]


def test_the_memo_pages_from_draft_to_signature_by_link(client, parties, sent, with_meeting):
    client.force_login(parties["host"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "起草备忘录" in page
    response = client.post(f"/requests/{sent.pk}/memo/")
    memo = Memo.objects.get(request=sent)
    assert response["Location"] == f"/requests/memos/{memo.pk}/"
    page = client.get(f"/requests/memos/{memo.pk}/").content.decode()
    assert "提供产品卖点手册" in page and 'id="memo-editor"' in page
    fields = {"version": memo.version, "goal": "新的协作目标", "dispute": "由营销副总裁裁决"}
    assert client.post(f"/requests/memos/{memo.pk}/save/", fields).status_code == 302
    response = client.post(f"/requests/memos/{memo.pk}/save/", {**fields, "goal": "过期的副本"})
    assert response.status_code == 409 and "过期的副本" in response.content.decode()
    assert Memo.objects.get(pk=memo.pk).content["goal"] == "新的协作目标"
    assert client.post(f"/requests/memos/{memo.pk}/submit/").status_code == 302
    memo.refresh_from_db()
    # 产品部's head signs from the link in the message, without signing in.
    client.logout()
    signature = memo.signatures.get(department=parties["product"])
    page = client.get(f"/requests/memos/sign/{signature.token}/").content.decode()
    assert "新的协作目标" in page and "Sign for 产品部" in page  # in the head's language
    assert client.post(f"/requests/memos/sign/{signature.token}/", {"comment": "OK"}).status_code == 302
    assert client.get("/requests/memos/sign/not-a-token/").status_code == 404
    for persona in ("market_head", "head"):
        client.force_login(parties[persona])
        sig = memo.signatures.get(department__head=parties[persona])
        assert client.post(f"/requests/memos/{memo.pk}/sign/{sig.pk}/", {"comment": ""}).status_code == 302
    memo.refresh_from_db()
    assert memo.state == "signed"
    client.force_login(parties["host"])
    page = client.get(f"/requests/{sent.pk}/").content.decode()
    assert "已签署" in page
    response = client.get(f"/requests/memos/{memo.pk}/memo.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "跨部门协作备忘录" in text and "由营销副总裁裁决" in text


def test_the_admin_cannot_change_or_delete_a_memo(client, parties, memo):
    parties["admin"].is_staff = parties["admin"].is_superuser = True
    parties["admin"].save()
    services.memo_submit(actor=parties["host"], memo=memo)
    sign_all_remaining(memo, parties)
    client.force_login(parties["admin"])
    assert client.get(f"/admin/collab/memo/{memo.pk}/change/").status_code == 200  # view only
    response = client.post(f"/admin/collab/memo/{memo.pk}/change/", {"amendment_reason": "篡改"})
    assert response.status_code == 403
    assert client.post(f"/admin/collab/memo/{memo.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Memo.objects.get(pk=memo.pk).amendment_reason == ""
