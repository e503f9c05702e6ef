"""The API docs page works on an intranet: everything loads from this server, under the strict CSP."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_planning_path(client, people):
    client.force_login(people["member"])
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    for path in ["/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}", "/api/v1/departments",
                 "/api/v1/people", "/api/v1/projects", "/api/v1/policy", "/api/v1/meetings",
                 "/api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting_id}/topics",
                 "/api/v1/meetings/{meeting_id}/topics/reorder", "/api/v1/meetings/{meeting_id}/topics/{topic_id}",
                 "/api/v1/meetings/{meeting_id}/participants",
                 "/api/v1/meetings/{meeting_id}/participants/{participant_id}",
                 "/api/v1/meetings/{meeting_id}/materials",
                 "/api/v1/meetings/{meeting_id}/materials/{material_id}/download", "/api/v1/series"]:
        assert path in paths, path
    assert set(paths["/api/v1/meetings/{meeting_id}"]) == {"get", "patch"}


# The loop before and after the meeting: requests, memos, resources (stage 1 and 3), retrospectives, progress and
# scenario outputs (stage 4 and 5), insight; projects and series with their detail.
LOOP_PATHS = {
    "/api/v1/requests": {"get", "post"}, "/api/v1/requests/{request_id}": {"get", "patch"},
    "/api/v1/requests/{request_id}/answer": {"post"}, "/api/v1/requests/{request_id}/escalate": {"post"},
    "/api/v1/requests/{request_id}/record.docx": {"get"}, "/api/v1/requests/{request_id}/record.xlsx": {"get"},
    "/api/v1/memos": {"get", "post"}, "/api/v1/memos/{memo_id}/sign": {"post"},
    "/api/v1/resource-requests": {"get", "post"}, "/api/v1/resource-requests/{resource_id}/approve": {"post"},
    "/api/v1/retrospectives": {"get", "post"}, "/api/v1/retrospectives/{retro_id}": {"get", "patch"},
    "/api/v1/retrospectives/improvements": {"get"},
    "/api/v1/retrospectives/progress/{request_id}/updates": {"post"},
    "/api/v1/minutes/{minutes_id}/outputs/{kind}.docx": {"get"},
    "/api/v1/minutes/{minutes_id}/outputs/{kind}.xlsx": {"get"},
    "/api/v1/insight/departments": {"get"}, "/api/v1/insight/loop": {"get"},
    "/api/v1/projects/{project_id}": {"get", "put", "patch"},
    "/api/v1/series/{series_id}": {"get"}, "/api/v1/series/{series_id}/next": {"post"},
}


def test_the_schema_documents_the_loop_before_and_after_the_meeting(client, people):
    client.force_login(people["member"])
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    for path, methods in LOOP_PATHS.items():
        assert set(schema["paths"].get(path, {})) >= methods, path
    put = schema["paths"]["/api/v1/projects/{project_id}"]["put"]
    assert "409" in put["responses"]
    project = schema["components"]["schemas"]["ProjectOut"]["properties"]
    assert {"departments", "members", "version"} <= set(project)
    series = schema["components"]["schemas"]["SeriesDetailOut"]["properties"]
    assert {"next_meeting", "next_day", "members"} <= set(series)


def test_the_docs_page_loads_its_scripts_and_styles_from_this_server(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*\bhref="([^"]+)"', html)
    assert scripts and styles
    for url in scripts + styles:
        assert url.startswith("/static/"), url
    # No inline script may run under the CSP: only the JSON settings block, which is data.
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for url in scripts + styles:  # shipped with the app (collectstatic / whitenoise serve them)
        assert finders.find(url.removeprefix("/static/")), url


@pytest.mark.browser
def test_swagger_ui_renders_in_chromium_without_csp_violations(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        try:
            page = browser.new_page()
            page.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
            problems, foreign = [], []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None)
            page.goto(f"{live_server.url}/api/v1/docs")
            page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
            assert "Closeloop API" in page.inner_text(".swagger-ui .info .title")
            page.wait_for_selector(
                ".opblock-summary-path[data-path='/api/v1/meetings/{meeting_id}/topics/reorder']", timeout=15000)
            page.wait_for_timeout(300)
            csp = [p for p in problems if "Content Security Policy" in p] + page.evaluate("window.__csp")
            assert csp == [], csp
            assert foreign == [], foreign
        finally:
            browser.close()
