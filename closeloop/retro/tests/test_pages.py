"""The pages: reachable from the request and the meeting, 404 for people not entitled, forms that name the field."""

import datetime as dt

import pytest

from closeloop.retro.models import Improvement

pytestmark = pytest.mark.django_db


def test_the_request_page_offers_completion_and_progress(done, accepted, client, parties):
    client.force_login(parties["host"])
    page = client.get(f"/requests/{accepted.pk}/").content.decode()
    assert 'id="complete-request"' in page and f"/retrospectives/requests/{accepted.pk}/progress/" in page
    response = client.post(f"/retrospectives/requests/{accepted.pk}/complete/")
    retro = accepted.retrospective
    assert response.status_code == 302 and response["Location"] == f"/retrospectives/{retro.pk}/"
    page = client.get(f"/requests/{accepted.pk}/").content.decode()
    assert f'href="/retrospectives/{retro.pk}/"' in page


def test_outsiders_get_404_from_every_page(completed, client, parties):
    client.force_login(parties["outsider"])
    request_id = completed.request_id
    for url in (f"/retrospectives/{completed.pk}/", f"/retrospectives/{completed.pk}/report.docx",
                f"/retrospectives/requests/{request_id}/progress/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/retrospectives/{completed.pk}/plan/", f"/retrospectives/{completed.pk}/send/",
                f"/retrospectives/{completed.pk}/acknowledge/", f"/retrospectives/requests/{request_id}/complete/",
                f"/retrospectives/requests/{request_id}/progress/post/"):
        assert client.post(url).status_code == 404, url
    assert client.get("/retrospectives/policy/").status_code == 404


def test_planning_from_the_page_links_the_meeting_back(completed, client, parties):
    client.force_login(parties["host"])
    response = client.post(f"/retrospectives/{completed.pk}/plan/", {
        "plan-start": "2026-03-27T14:00", "plan-end": "2026-03-27T13:00"})
    assert response.status_code == 422
    completed.refresh_from_db()
    assert completed.meeting is None
    response = client.post(f"/retrospectives/{completed.pk}/plan/", {
        "plan-start": "2026-03-27T14:00", "plan-end": "2026-03-27T15:00", "plan-place": "301"})
    assert response.status_code == 302
    completed.refresh_from_db()
    page = client.get(f"/meetings/{completed.meeting_id}/").content.decode()
    assert f'href="/retrospectives/{completed.pk}/"' in page


def test_a_measure_without_deliverable_is_refused_naming_the_field(completed, client, parties):
    client.force_login(parties["host"])
    response = client.post(f"/retrospectives/{completed.pk}/improvements/", {
        "im-measure": "提前锁定人手", "im-owner": parties["head"].pk, "im-due": "2099-01-05", "im-deliverable": ""})
    assert response.status_code == 422 and not Improvement.objects.exists()
    assert "im-deliverable" in response.content.decode()


def test_the_findings_form_saves_goals_and_detects_a_stale_copy(completed, client, parties):
    client.force_login(parties["host"])
    data = {"as-version": completed.version, "as-goal_1": "明确分工", "as-result_1": "partly",
            "as-evidence_1": "纪要", "as-reason_1": "铺货晚", "as-went_well": "答复及时", "as-stuck": "人手"}
    assert client.post(f"/retrospectives/{completed.pk}/assess/", data).status_code == 302
    completed.refresh_from_db()
    assert [(g.goal, g.result, g.reason) for g in completed.goals.all()] == [("明确分工", "partly", "铺货晚")]
    assert client.post(f"/retrospectives/{completed.pk}/assess/", data).status_code == 409


def test_the_progress_page_posts_an_update(accepted, client, parties):
    client.force_login(parties["member"])
    url = f"/retrospectives/requests/{accepted.pk}/progress/"
    assert 'id="post-progress"' in client.get(url).content.decode()
    response = client.post(f"{url}post/", {"pg-percent": 50, "pg-done": "完成一半", "pg-risks": "人手",
                                           "pg-affected_due": (dt.date.today() + dt.timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "完成一半" in page and "50%" in page


def test_the_open_improvements_page_lists_open_items_only(completed, client, parties):
    client.force_login(parties["admin"])
    page = client.get("/retrospectives/").content.decode()
    assert 'id="improvement-list"' not in page


def test_the_retrospective_is_reachable_from_its_meetings_minutes(completed, client, parties):
    from closeloop.minutes.models import Minutes

    client.force_login(parties["host"])
    client.post(f"/retrospectives/{completed.pk}/plan/", {
        "plan-start": "2026-03-27T14:00", "plan-end": "2026-03-27T15:00", "plan-place": "301"})
    completed.refresh_from_db()
    minutes = Minutes.objects.create(meeting=completed.meeting, number=1, content={})
    page = client.get(f"/minutes/{minutes.pk}/").content.decode()
    assert 'id="retrospective-panel"' in page and f'href="/retrospectives/{completed.pk}/"' in page
