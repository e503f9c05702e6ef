"""The settings pages: the policy (administrators change it), the audit trail (administrators only), my profile."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from closeloop.audit.models import AuditEntry
from closeloop.meetings.models import Meeting
from closeloop.meetings.services.planning import meeting_update
from closeloop.org.forms import POLICY_GROUPS, policy_field_names
from closeloop.org.models import ApiToken, Policy
from closeloop.org.selectors import policy_for
from closeloop.org.services import policy_update, token_create

pytestmark = pytest.mark.django_db


def _policy_post(policy, **overrides):
    data = {name: getattr(policy, name) for name in policy_field_names()}
    data["version"] = policy.version
    data.update(overrides)
    return data


def _english(person):
    person.language = "en"
    person.save()
    return person


# Policy ---------------------------------------------------------------------------------------

def test_every_policy_rule_appears_in_exactly_one_group():
    names = policy_field_names()
    expected = {f.name for f in Policy._meta.concrete_fields} - {"id", "organisation", "version"}
    assert len(names) == len(set(names)) and set(names) == expected
    assert all(mode.endswith("_mode") for _title, _values, modes in POLICY_GROUPS for mode in modes)


def test_the_administrator_sees_each_rule_with_its_warn_or_block_choice(client, people):
    client.force_login(_english(people["admin"]))
    body = client.get(reverse("org:policy")).content.decode()
    assert "Notice lead time" in body and "Follow-up meeting" in body
    modes = [name for name in policy_field_names() if name.endswith("_mode")]
    assert body.count('type="radio"') == 2 * len(modes) and len(modes) >= 13
    assert 'name="notice_lead_workdays" value="3"' in body
    assert 'name="version"' in body


def test_the_administrator_changes_a_rule_and_it_is_audited(client, people, org):
    policy = policy_for(org)
    client.force_login(people["admin"])
    response = client.post(reverse("org:policy"), _policy_post(policy, meeting_max_minutes=120,
                                                               meeting_minutes_mode="block"))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.meeting_max_minutes, policy.meeting_minutes_mode, policy.version) == (120, "block", 2)
    entry = AuditEntry.objects.get(action="policy.update")
    assert entry.actor == people["admin"] and entry.after["meeting_max_minutes"] == 120


def test_the_administrator_edits_the_list_of_vague_words(client, people, org):
    policy = policy_for(org)
    client.force_login(people["admin"])
    response = client.post(reverse("org:policy"), _policy_post(policy, vague_words="尽快\n适当\n争取",
                                                               smart_vague_mode="block"))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.vague_words.split() == ["尽快", "适当", "争取"] and policy.smart_vague_mode == "block"


def test_a_policy_that_makes_no_sense_is_refused_naming_the_field(client, people, org):
    policy = policy_for(org)
    client.force_login(_english(people["admin"]))
    response = client.post(reverse("org:policy"), _policy_post(policy, topics_min=6, topics_max=5))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>Topics per meeting, at least</strong>" in body
    assert 'name="topics_min" value="6"' in body  # the typed value stays
    policy.refresh_from_db()
    assert policy.topics_min == 3


def test_a_stale_policy_save_is_refused_keeping_the_typed_values(client, people, org):
    policy = policy_for(org)
    loaded = policy.version
    policy_update(actor=people["admin"], organisation=org, data={"topic_max_minutes": 20}, version=loaded)
    second_admin = _english(people["host"])
    second_admin.role = "admin"
    second_admin.save()
    client.force_login(second_admin)
    response = client.post(reverse("org:policy"), _policy_post(policy, meeting_max_minutes=75, version=loaded))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed the policy" in body
    assert 'name="meeting_max_minutes" value="75"' in body
    assert "One topic, minutes at most" in body and "PMO 管理员" in body  # what they changed, and who
    policy.refresh_from_db()
    assert (policy.meeting_max_minutes, policy.topic_max_minutes) == (90, 20)


def test_others_read_the_policy_but_may_not_change_it(client, people, org):
    policy = policy_for(org)
    client.force_login(_english(people["member"]))
    response = client.get(reverse("org:policy"))
    body = response.content.decode()
    assert response.status_code == 200 and "Only administrators can change the policy." in body
    assert "<form method=\"post\" novalidate>" not in body and 'type="radio"' not in body
    response = client.post(reverse("org:policy"), _policy_post(policy, meeting_max_minutes=300))
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.meeting_max_minutes == 90


# Audit trail ----------------------------------------------------------------------------------

def _audit_rows(body):
    """The rows of the audit table (the filter's options name the same actions)."""
    if '<table class="audit">' not in body:
        return []
    table = body[body.index('<table class="audit">'):]
    return table.split("<tbody>")[1].split('<td class="nowrap">')[1:]


def _is(row, what, kind="会议"):
    """The row says `what` happened (已修改) to an object of `kind` (会议)."""
    return f"<td>{what}</td>" in row and f'<span class="muted">{kind}</span>' in row


def test_the_audit_trail_shows_the_newest_change_first_with_its_diff(client, people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"place": "5楼大会议室"})
    client.force_login(people["admin"])
    rows = _audit_rows(client.get(reverse("audit:list")).content.decode())
    updated = next(i for i, r in enumerate(rows) if _is(r, "已修改"))
    created = next(i for i, r in enumerate(rows) if _is(r, "已创建"))
    assert updated < created
    assert "3楼会议室A" in rows[updated] and "5楼大会议室" in rows[updated] and "张主持" in rows[updated]


def test_the_audit_trail_filters_by_object_type_and_actor(client, people, meeting):
    client.force_login(people["admin"])
    url = reverse("audit:list")
    topics_only = "".join(_audit_rows(client.get(url, {"object_type": "meetings.topic"}).content.decode()))
    assert "&quot;topic.add&quot;" in topics_only and "meeting.create" not in topics_only
    by_admin = "".join(_audit_rows(client.get(url, {"actor": people["admin"].pk}).content.decode()))
    assert "topic.add" not in by_admin


def test_the_audit_trail_is_paginated(client, people, meeting):
    for i in range(55):
        meeting_update(actor=people["host"], meeting=meeting, data={"place": f"会议室{i}"})
    client.force_login(people["admin"])
    first = "".join(_audit_rows(client.get(reverse("audit:list")).content.decode()))
    assert "会议室54" in first and "meeting.create" not in first
    second = "".join(_audit_rows(client.get(reverse("audit:list"), {"page": 2}).content.decode()))
    assert "meeting.create" in second


def test_the_audit_trail_reads_as_words_with_local_minutes_a_link_and_raw_data_behind_details(
        client, people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"place": "5楼大会议室"})
    entry = AuditEntry.objects.filter(action="meeting.update").latest("id")
    client.force_login(people["admin"])  # reads Chinese, organisation time zone Asia/Shanghai
    rows = _audit_rows(client.get(reverse("audit:list")).content.decode())
    row = next(r for r in rows if _is(r, "已修改"))
    local = timezone.localtime(entry.at, zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert f">{local:%Y-%m-%d %H:%M}</time>" in row and f">{local:%Y-%m-%d %H:%M:%S}" not in row  # to the minute
    # The object by its name, linked, with its kind beside it.
    assert f'<a href="/meetings/{meeting.pk}/">项目Q3推广跨部门协作会</a> <span class="muted">会议</span>' in row
    assert '<span class="field">地点</span> <span class="before">3楼会议室A</span> → <span class="after">5楼大会议室' \
        in row.split("<details")[0]  # the change on one line
    cells = row.split("<details")[0]
    assert "meeting.update" not in cells and "meetings.meeting" not in cells  # no codes outside the details
    details = row.split('<details class="raw"><summary>详情</summary>')[1]  # the full table and the raw record
    assert '<table class="diff">' in details and "<pre>" in details and "&quot;meeting.update&quot;" in details


def test_the_audit_trail_filters_by_what_and_when(client, people, meeting):
    meeting_update(actor=people["host"], meeting=meeting, data={"place": "5楼大会议室"})
    client.force_login(people["admin"])
    url = reverse("audit:list")
    body = client.get(url, {"action": "meeting.update"}).content.decode()
    assert '<option value="meeting.update" selected>会议 · 已修改</option>' in body
    rows = "".join(_audit_rows(body))
    assert "5楼大会议室" in rows and "已创建" not in rows and "议题" not in rows
    today = timezone.localdate()
    day = "%Y-%m-%d"
    since_today = "".join(_audit_rows(client.get(url, {"since": f"{today:{day}}", "until": f"{today:{day}}"}).content
                                      .decode()))
    assert "<td>已修改</td>" in since_today and "<td>已创建</td>" in since_today
    for since, until in ((today + dt.timedelta(days=1), None), (None, today - dt.timedelta(days=1))):
        params = {k: f"{v:{day}}" for k, v in (("since", since), ("until", until)) if v}
        assert not _audit_rows(client.get(url, params).content.decode()), params
    wrong = client.get(url, {"since": "2026-06-10", "until": "2026-06-01"}).content.decode()
    assert "结束日期早于开始日期。" in wrong


def test_the_audit_trail_is_hidden_from_everyone_but_administrators(client, people, meeting):
    for who in ("host", "member", "head", "outsider"):
        client.force_login(people[who])
        assert client.get(reverse("audit:list")).status_code == 404, who


def test_the_audit_trail_needs_the_same_number_of_queries_for_more_entries(client, people, meeting):
    client.force_login(people["admin"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:list"))
    for i in range(10):
        meeting_update(actor=people["recorder"], meeting=meeting, data={"place": f"会议室{i}"})
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit:list"))
    assert len(many) == len(few)


# Profile --------------------------------------------------------------------------------------

def test_changing_my_language_switches_the_pages(client, people):
    host = people["host"]
    client.force_login(host)
    assert '<html lang="zh-hans">' in client.get(reverse("org:profile")).content.decode()
    response = client.post(reverse("org:profile"), {"language": "en", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    host.refresh_from_db()
    assert (host.language, host.time_zone) == ("en", "Europe/Berlin")
    body = client.get(reverse("org:profile")).content.decode()
    assert '<html lang="en">' in body and "Personal API tokens" in body
    assert AuditEntry.objects.filter(action="person.preferences", actor=host).exists()


def test_an_unknown_time_zone_is_refused_naming_the_field(client, people):
    client.force_login(_english(people["member"]))
    response = client.post(reverse("org:profile"), {"language": "en", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    people["member"].refresh_from_db()
    assert people["member"].time_zone == ""


def test_the_profile_links_to_the_password_change(client, people):
    client.force_login(people["member"])
    assert reverse("password_change") in client.get(reverse("org:profile")).content.decode()


def test_creating_a_token_shows_the_secret_once_and_keeps_only_its_hash(client, people):
    client.force_login(_english(people["member"]))
    response = client.post(reverse("org:token_create"), {"name": "周报脚本"})
    body = response.content.decode()
    token = ApiToken.objects.get(person=people["member"])
    secret = body.split('<code class="secret">')[1].split("</code>")[0]
    assert token.digest == ApiToken.hash(secret) and secret not in token.digest
    assert response["Cache-Control"] == "no-store"
    assert secret not in client.get(reverse("org:profile")).content.decode()
    client.logout()
    api = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200 and api.json()["username"] == "member"


def test_a_token_needs_a_name(client, people):
    client.force_login(_english(people["member"]))
    response = client.post(reverse("org:token_create"), {"name": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_my_token(client, people):
    token, secret = token_create(person=people["member"], name="脚本")
    client.force_login(people["member"])
    response = client.post(reverse("org:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_nobody_can_revoke_someone_elses_token_from_their_profile(client, people):
    token, _secret = token_create(person=people["member"], name="脚本")
    client.force_login(people["admin"])
    assert client.post(reverse("org:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_flash_after_a_language_change_is_in_the_new_language_and_the_name_shows_once(client, people):
    host = people["host"]  # reads Chinese
    client.force_login(host)
    response = client.post(reverse("org:profile"), {"language": "en", "time_zone": ""}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body and "Your preferences are saved." in body
    assert "您的偏好" not in body and "已保存" not in body
    for language, page in (("en", body), ("zh-hans", None)):
        if page is None:
            client.post(reverse("org:profile"), {"language": language, "time_zone": ""})
            page = client.get(reverse("org:profile")).content.decode()
        brand = page.split('class="brand"')[1].split("</a>")[0]
        assert brand == ' href="/">Closeloop <span lang="zh-Hans">闭环协作</span>', language
        assert "· 闭环协作" not in page and page.count("闭环协作") <= 2  # header once (and the window title)


def test_the_audit_diff_names_fields_choices_and_people_instead_of_codes_and_ids(client, people, meeting):
    client.force_login(people["admin"])
    rows = _audit_rows(client.get(reverse("audit:list")).content.decode())
    created = next(r for r in rows if _is(r, "已创建"))  # the full table opens with "details"
    host = people["host"]
    with translation.override("zh-hans"):
        type_label = str(Meeting._meta.get_field("type").verbose_name)
        created_by = str(Meeting._meta.get_field("created_by").verbose_name)
    assert f'<th scope="row">{type_label}</th>' in created and '<th scope="row">type</th>' not in created
    assert '<th scope="row">id</th>' not in created
    by = created.split(f'<th scope="row">{created_by}</th>')[1].split("</tr>")[0]
    assert str(host) in by and f">{host.pk}<" not in by  # the person's name, not the id
    assert "决策" in created and ">decision<" not in created and ">False<" not in created
    summary = created.split("<details")[0]  # the row itself: what the meeting holds, no bookkeeping
    assert '<span class="field">类型</span>' in summary and ">version<" not in summary and "版本" not in summary
