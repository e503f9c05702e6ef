"""The 跨部门协作备忘录: drafted from the request and minutes, edited with a version check, signed by each
party's head, frozen once signed (by the database too), amended as a new version with a diff."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closeloop.collab import exports, rules, services
from closeloop.collab.models import Memo, MemoSignature
from closeloop.collab.selectors import memo_diff, memo_parties
from closeloop.lib.errors import Conflict
from closeloop.notify.models import OutboxMessage

from .conftest import sign_all_remaining

ACTIONS = ["save", "submit", "sign", "return", "amend"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ACTIONS), max_size=30))
def test_the_memo_moves_only_along_its_transitions(actions):
    """A model of the memo's life: only a draft changes, only a signed memo is amended."""
    state = "draft"
    for action in actions:
        try:
            new = rules.memo_transition(state, action)
        except rules.RuleError as error:
            assert (state, action) not in rules.MEMO_TRANSITIONS and error.field == "state"
            continue
        if action == "save":
            assert state == "draft"
        if action == "amend":
            assert state == "signed"
        state = new
        if action == "sign" and state == "signing":
            state = "signed"  # the last signature
        assert state in ("draft", "signing", "signed")


def test_the_draft_pulls_in_the_goal_the_items_and_each_partys_duties(memo, sent, parties):
    content = memo.content
    assert content["goal"] == sent.goal
    assert "提供产品卖点手册" in content["deliverables"] and "2026-03-20" in content["deliverables"]
    assert [d.name for d in memo_parties(sent)] == ["市场部", "销售部", "产品部"]
    assert "提供产品卖点手册" in content["parties"][str(parties["product"].pk)]["duties"]
    assert content["dispute"] and content["validity"]
    with pytest.raises(ValidationError):
        services.memo_create(actor=parties["host"], request=sent)
    with pytest.raises(PermissionDenied):
        services.memo_save(actor=parties["head"], memo=memo, content={"goal": "x"}, version=memo.version)


def test_a_stale_save_is_refused_and_nothing_is_overwritten(memo, parties):
    saved = services.memo_save(actor=parties["host"], memo=memo, content={"goal": "新目标"}, version=memo.version)
    with pytest.raises(Conflict):
        services.memo_save(actor=parties["host"], memo=memo, content={"goal": "旧副本"}, version=memo.version)
    assert Memo.objects.get(pk=memo.pk).content["goal"] == "新目标" == saved.content["goal"]
    with pytest.raises(ValidationError) as error:
        services.memo_save(actor=parties["host"], memo=memo, content={"parties": {"99999": {"rights": "x"}}},
                           version=saved.version)
    assert "parties" in error.value.message_dict


def test_each_partys_head_signs_and_the_last_signature_freezes_it(memo, parties):
    services.memo_submit(actor=parties["host"], memo=memo)
    memo.refresh_from_db()
    assert memo.state == "signing" and memo.signatures.count() == 3
    mails = OutboxMessage.objects.filter(kind="minutes.memo_sign", channel="email")
    assert {m.recipient_id for m in mails} == {parties["market_head"].pk, parties["head"].pk,
                                              parties["product_head"].pk}
    to_product = mails.get(recipient=parties["product_head"])
    assert "collaboration memo" in to_product.subject and "/requests/memos/sign/" in to_product.link
    with pytest.raises(ValidationError):
        services.memo_save(actor=parties["host"], memo=memo, content={"goal": "x"}, version=memo.version)
    sales = memo.signatures.get(department=parties["sales"])
    with pytest.raises(PermissionDenied):
        services.memo_sign(signature=sales, actor=parties["member"])
    with pytest.raises(PermissionDenied):
        services.memo_sign(signature=sales, token="wrong")
    services.memo_sign(signature=sales, token=sales.token)
    assert MemoSignature.objects.get(pk=sales.pk).method == "link"
    with pytest.raises(ValidationError):
        services.memo_sign(signature=sales, actor=parties["head"])
    memo = sign_all_remaining(memo, parties)
    assert memo.state == "signed" and memo.signed_at is not None
    assert OutboxMessage.objects.filter(kind="minutes.memo_signed", recipient=parties["host"]).exists()


def test_a_head_may_return_the_memo_and_signatures_start_over(memo, parties):
    services.memo_submit(actor=parties["host"], memo=memo)
    services.memo_sign(signature=memo.signatures.get(department=parties["sales"]), actor=parties["head"])
    with pytest.raises(ValidationError):
        services.memo_return(actor=parties["product_head"], memo=memo, reason=" ")
    services.memo_return(actor=parties["product_head"], memo=memo, reason="交付日期太早")
    memo.refresh_from_db()
    assert memo.state == "draft" and memo.signatures.count() == 0


def test_a_signed_memo_is_frozen_by_every_path(memo, parties):
    services.memo_submit(actor=parties["host"], memo=memo)
    memo = sign_all_remaining(memo, parties)
    with pytest.raises(ValidationError):
        services.memo_save(actor=parties["host"], memo=memo, content={"goal": "x"}, version=memo.version)
    for attempt in (
        lambda: Memo.objects.filter(pk=memo.pk).update(content={"goal": "篡改"}),
        lambda: Memo.objects.filter(pk=memo.pk).update(state="draft"),
        lambda: Memo.objects.filter(pk=memo.pk).delete(),
        lambda: MemoSignature.objects.filter(memo=memo).update(signed_at=None),
        lambda: MemoSignature.objects.filter(memo=memo).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE collab_memo SET content = %s WHERE id = %s", ['{"goal": "raw"}', memo.pk])
    memo.refresh_from_db()
    assert memo.content["goal"] != "篡改" and memo.state == "signed"


def test_an_amendment_is_a_new_version_with_a_diff_signed_again(memo, sent, parties):
    services.memo_submit(actor=parties["host"], memo=memo)
    memo = sign_all_remaining(memo, parties)
    with pytest.raises(ValidationError):
        services.memo_amend(actor=parties["host"], memo=memo, reason="")
    amendment = services.memo_amend(actor=parties["host"], memo=memo, reason="交付日期顺延")
    assert amendment.number == 2 and amendment.previous == memo and amendment.state == "draft"
    amendment = services.memo_save(actor=parties["host"], memo=amendment, version=amendment.version, content={
        "validity": "至2026年9月30日", "parties": {str(parties["sales"].pk): {"duties": "7月1日前完成铺货"}}})
    rows = {row["key"]: row for row in memo_diff(memo, amendment, memo_parties(sent))}
    assert rows["validity"]["changed"] and not rows["goal"]["changed"]
    assert rows[f"parties.{parties['sales'].pk}.duties"]["changed"]
    assert any(s.kind == "insert" and "9月30日" in s.text for s in rows["validity"]["segments"])
    with pytest.raises(ValidationError):
        services.memo_amend(actor=parties["host"], memo=memo, reason="再改")  # v1 is no longer the latest
    assert Memo.objects.get(pk=memo.pk).content == memo.content


def test_the_docx_reads_like_an_agreement(memo, sent, parties):
    services.memo_submit(actor=parties["host"], memo=memo)
    memo = sign_all_remaining(memo, parties)
    from django.utils import translation
    with translation.override("zh-hans"):
        data = exports.memo_docx(memo, memo_parties(sent), list(memo.signatures.select_related("department", "head")))
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "跨部门协作备忘录" in text and "甲方" in text and "乙方" in text and "丙方" in text
    assert "第1条" in text and "争议" in text and "有效期" in text
    signatures = document.tables[-1]
    header = [c.text for c in signatures.rows[0].cells]
    assert header == ["签署方", "部门", "负责人", "签署日期", "签署方式"]
    assert [r.cells[2].text for r in signatures.rows[1:]] == ["张经理", "赵经理", "Lina"]
    assert all(r.cells[3].text.startswith("20") for r in signatures.rows[1:])
