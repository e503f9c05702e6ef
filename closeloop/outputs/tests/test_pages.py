"""The output pages: live (an item's status change shows at once), reachable from the meeting and the minutes,
the record page's prompt for the scenario's columns, the columns form's errors, and 404 for outsiders."""

import pytest

from closeloop.actions.services.items import action_item_set_status
from closeloop.outputs.models import ItemColumns

pytestmark = pytest.mark.django_db


def test_a_status_change_shows_on_the_output_until_all_are_closed(rectification, meeting, cast, client_for):
    host = client_for(cast["host"])
    page = host.get(f"/outputs/meetings/{meeting.pk}/")
    assert page.status_code == 200 and 'id="output-open"' in page.text
    assert f'id="output-item-{rectification["cost"].pk}" class="status-row-not_started"' in page.text
    action_item_set_status(actor=cast["member"], item=rectification["cost"], status="done", note="成本报告已提交")
    page = host.get(f"/outputs/meetings/{meeting.pk}/")
    assert f'id="output-item-{rectification["cost"].pk}" class="status-row-done"' in page.text
    assert "未关闭 1 / 共 2 项" in page.text
    action_item_set_status(actor=cast["recorder"], item=rectification["page"], status="cancelled",
                           reason="并入新版官网改版")
    page = host.get(f"/outputs/meetings/{meeting.pk}/")
    assert 'id="output-all-closed"' in page.text


def test_the_files_are_live_too(rectification, meeting, cast, client_for):
    host = client_for(cast["host"])
    action_item_set_status(actor=cast["member"], item=rectification["cost"], status="in_progress")
    response = host.get(f"/outputs/meetings/{meeting.pk}/output.xlsx")
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    statuses = {row[3].value: row[7].value for row in sheet.iter_rows(min_row=3)}
    assert statuses == {"提交成本报告": "进行中", "优化落地页引导": "未开始"}
    assert host.get(f"/outputs/meetings/{meeting.pk}/output.docx").status_code == 200
    assert host.get(f"/outputs/meetings/{meeting.pk}/output.pdf").status_code == 404


def test_the_meeting_and_the_minutes_link_to_their_output(rectification, meeting, cast, client_for, approve):
    host = client_for(cast["host"])
    assert f'href="/outputs/meetings/{meeting.pk}/" id="scenario-output-link"' in \
        host.get(f"/meetings/{meeting.pk}/").text
    minutes = approve()
    assert 'id="scenario-output-link"' in host.get(f"/minutes/{minutes.pk}/").text
    page = host.get(f"/outputs/minutes/{minutes.pk}/")
    assert page.status_code == 200 and "随第 1 版会议纪要生成" in page.text


def test_a_decision_meeting_has_no_output_page_nor_link(held, meeting, cast, client_for):
    host = client_for(cast["host"])
    assert 'id="scenario-output-link"' not in host.get(f"/meetings/{meeting.pk}/").text
    assert host.get(f"/outputs/meetings/{meeting.pk}/").status_code == 404


def test_the_live_record_asks_for_the_root_cause_and_verification_standard(scenario, items, meeting, cast,
                                                                           client_for):
    scenario("problem_analysis")
    page = client_for(cast["recorder"]).get(f"/record/meetings/{meeting.pk}/")
    assert 'id="output-panel"' in page.text
    assert f'id="oc{items["cost"].pk}-root_cause"' in page.text and "验证标准" in page.text
    scenario("kickoff")
    page = client_for(cast["recorder"]).get(f"/record/meetings/{meeting.pk}/")
    assert f'id="oc{items["cost"].pk}-milestone"' in page.text and "root_cause" not in page.text


def test_the_recorder_saves_the_columns_from_the_record_page(scenario, items, meeting, cast, client_for):
    scenario("problem_analysis")
    item = items["cost"]
    response = client_for(cast["recorder"]).post(f"/outputs/items/{item.pk}/columns/", {
        "version": "0", "problem": "客户投诉激增", "root_cause": "宣传与功能不符", "verification": "投诉量下降50%",
        "next": f"/record/meetings/{meeting.pk}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/record/meetings/{meeting.pk}/#columns-{item.pk}"
    assert ItemColumns.objects.get(item=item).root_cause == "宣传与功能不符"


def test_a_stale_form_is_refused_and_what_was_typed_stays(rectification, meeting, cast, client_for):
    item = rectification["cost"]
    response = client_for(cast["recorder"]).post(f"/outputs/items/{item.pk}/columns/", {
        "version": "0", "root_cause": "我的新分析"})
    assert response.status_code == 409 and "刚才有人修改了这些字段" in response.text and "我的新分析" in response.text
    assert ItemColumns.objects.get(item=item).root_cause == "产品功能与宣传不符"


def test_a_bad_priority_is_named(scenario, items, cast, client_for):
    scenario("resource_review")
    response = client_for(cast["recorder"]).post(f"/outputs/items/{items['cost'].pk}/columns/", {
        "version": "0", "priority": "0"})
    assert response.status_code == 422 and 'id="columns-errors"' in response.text and "优先级" in response.text
    assert not ItemColumns.objects.exists()


def test_a_participant_reads_but_does_not_write_the_columns(rectification, meeting, cast, client_for):
    member = client_for(cast["member"])
    page = member.get(f"/outputs/meetings/{meeting.pk}/")
    assert page.status_code == 200 and 'id="output-columns"' not in page.text
    response = member.post(f"/outputs/items/{rectification['cost'].pk}/columns/", {"version": "1", "problem": "x"})
    assert response.status_code == 403
    assert ItemColumns.objects.get(item=rectification["cost"]).problem == "客户投诉激增"


def test_an_outsider_gets_404_everywhere(rectification, meeting, cast, client_for, approve):
    minutes = approve()
    outsider = client_for(cast["outsider"])
    item = rectification["cost"]
    for url in (f"/outputs/meetings/{meeting.pk}/", f"/outputs/meetings/{meeting.pk}/output.docx",
                f"/outputs/meetings/{meeting.pk}/output.xlsx", f"/outputs/minutes/{minutes.pk}/",
                f"/outputs/items/{item.pk}/columns/"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/outputs/items/{item.pk}/columns/", {"version": "1"}).status_code == 404
    assert outsider.post(f"/outputs/items/{item.pk}/confirm/").status_code == 404
    assert ItemColumns.objects.get(item=item).version == 1
