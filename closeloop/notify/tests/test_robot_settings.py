"""Department robot settings: administrators set up any department's robots, heads their own departments',
others none. URLs and secrets are write-only everywhere."""

import pytest
from django.urls import reverse

from closeloop.audit.models import AuditEntry
from closeloop.notify.models import OutboxMessage, Robot
from closeloop.org.models import Department

pytestmark = pytest.mark.django_db

TOKEN = "b7a54e4d1c0f4f0a9e8c3d2b1a0f9e8d7c6b5a4f3e2d1c0b"
SECRET = "SECfeedfacecafebeef0123456789abcdef0123456789abcdef0123456789abcd"


@pytest.fixture(autouse=True)
def local_hosts_allowed(settings):
    settings.WEBHOOK_ALLOWLIST = ["127.0.0.1"]


def url(port=9):
    return f"http://127.0.0.1:{port}/robot/send?access_token={TOKEN}"


def robot_in(department, name="群机器人"):
    return Robot.objects.create(organisation=department.organisation, department=department, platform="dingtalk",
                                name=name, url=url(), secret=SECRET, kinds=["reminder"])


def form_data(department, **extra):
    data = {"name": "销售部钉钉群", "department": department.pk, "platform": "dingtalk", "url": url(),
            "secret": SECRET, "kinds": ["reminder", "escalation"], "language": "zh-hans", "enabled": "on"}
    data.update(extra)
    return data


@pytest.fixture
def east(org, people):
    """A sub-department of sales, which the sales head also manages."""
    return Department.objects.create(organisation=org, name="华东销售", parent=people["departments"]["sales"])


def test_an_administrator_adds_a_robot_from_the_page_and_never_sees_its_secrets_again(client, people):
    client.force_login(people["admin"])
    sales = people["departments"]["sales"]
    response = client.post(reverse("notify:robots"), form_data(sales))
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert robot.url == url() and robot.secret == SECRET and robot.kinds == ["reminder", "escalation"]
    for page in (reverse("notify:robots"), reverse("notify:robot_edit", args=[robot.pk])):
        html = client.get(page).content.decode()
        assert TOKEN not in html and SECRET not in html
        assert f"http://127.0.0.1:9/***{TOKEN[-4:]}" in html


def test_leaving_url_and_secret_empty_keeps_them(client, people):
    robot = robot_in(people["departments"]["sales"])
    client.force_login(people["admin"])
    response = client.post(reverse("notify:robot_edit", args=[robot.pk]),
                           form_data(robot.department, name="改名", url="", secret=""))
    assert response.status_code == 302
    robot.refresh_from_db()
    assert robot.name == "改名" and robot.url == url() and robot.secret == SECRET


def test_the_page_names_the_field_of_a_bad_url_or_a_missing_secret(client, people):
    client.force_login(people["admin"])
    sales = people["departments"]["sales"]
    response = client.post(reverse("notify:robots"), form_data(sales, url="http://10.0.0.8/robot/send?access_token=x"))
    assert "url" in response.context["form"].errors
    response = client.post(reverse("notify:robots"), form_data(sales, url="http://127.0.0.1:9/robot/send"))
    assert "access_token" in response.context["form"].errors["url"][0]
    response = client.post(reverse("notify:robots"), form_data(sales, secret=""))
    assert "secret" in response.context["form"].errors
    response = client.post(reverse("notify:robots"), form_data(sales, kinds=[]))
    assert "kinds" in response.context["form"].errors
    assert not Robot.objects.exists()


def test_a_head_manages_the_robots_of_their_department_and_its_sub_departments_only(client, people, east):
    head = people["head"]
    own, sub = robot_in(people["departments"]["sales"], "销售群"), robot_in(east, "华东群")
    other = robot_in(people["departments"]["finance"], "财务群")
    client.force_login(head)
    html = client.get(reverse("notify:robots")).content.decode()
    assert "销售群" in html and "华东群" in html and "财务群" not in html
    assert client.get(reverse("notify:robot_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("notify:robot_delete", args=[other.pk])).status_code == 404
    assert client.post(reverse("notify:robot_test", args=[other.pk])).status_code == 404
    response = client.post(reverse("notify:robots"), form_data(people["departments"]["finance"]))
    assert "department" in response.context["form"].errors
    assert client.post(reverse("notify:robot_delete", args=[sub.pk])).status_code == 302
    assert set(Robot.objects.values_list("name", flat=True)) == {"销售群", "财务群"}
    assert own.pk


@pytest.mark.parametrize("persona", ["member", "outsider", "host"])
def test_people_who_lead_no_department_cannot_reach_the_robot_pages(client, people, persona):
    robot = robot_in(people["departments"]["sales"])
    client.force_login(people[persona])
    assert client.get(reverse("notify:robots")).status_code == 403
    assert client.post(reverse("notify:robots"), form_data(robot.department)).status_code == 403
    assert client.get(reverse("notify:robot_edit", args=[robot.pk])).status_code == 403
    assert client.post(reverse("notify:robot_delete", args=[robot.pk])).status_code == 403
    assert Robot.objects.count() == 1


def test_a_test_message_is_queued_for_the_robot(client, people):
    robot = robot_in(people["departments"]["sales"])
    client.force_login(people["head"])
    assert client.post(reverse("notify:robot_test", args=[robot.pk])).status_code == 302
    message = OutboxMessage.objects.get()
    assert message.channel == "dingtalk" and message.address == f"robot:{robot.pk}"


def test_only_administrators_see_and_change_the_allow_list(client, people):
    client.force_login(people["head"])
    assert "allowed-hosts" not in client.get(reverse("notify:robots")).content.decode()
    assert client.post(reverse("notify:allowed_host_add"), {"host": "10.0.0.1"}).status_code == 403
    client.force_login(people["admin"])
    assert client.post(reverse("notify:allowed_host_add"), {"host": "10.0.0.0/8", "note": "内网"}).status_code == 302
    response = client.post(reverse("notify:allowed_host_add"), {"host": "bad host!"})
    assert "host" in response.context["host_form"].errors


def test_the_audit_trail_records_robot_changes_without_secrets(client, people):
    client.force_login(people["admin"])
    client.post(reverse("notify:robots"), form_data(people["departments"]["sales"]))
    entry = AuditEntry.objects.get(action="robot.create")
    assert entry.after["has_secret"] is True
    assert TOKEN not in str(entry.after) and SECRET not in str(entry.after)


def test_the_robots_list_and_the_audit_show_a_feishu_url_as_host_and_last_four_characters(client, people):
    """Feishu puts its token in the path; a short one was shown in full."""
    client.force_login(people["admin"])
    hook = "https://open.feishu.cn/open-apis/bot/hook/a1b2c3d4e5"
    Robot.objects.create(organisation=people["admin"].organisation, department=people["departments"]["sales"],
                         platform="feishu", name="飞书群", url=hook, secret=SECRET, kinds=["reminder"])
    page = client.get(reverse("notify:robots")).content.decode()
    assert "https://open.feishu.cn/***d4e5" in page and "a1b2c3" not in page and "open-apis" not in page
    robot = Robot.objects.get(name="飞书群")
    client.post(reverse("notify:robot_delete", args=[robot.pk]))
    entry = AuditEntry.objects.get(action="robot.delete")
    assert entry.before["url"] == "https://open.feishu.cn/***d4e5" and "a1b2c3" not in str(entry.before)


# --- API ------------------------------------------------------------------------------------------------

def api_payload(department, **extra):
    data = {"department_id": department.pk, "platform": "dingtalk", "name": "销售部钉钉群", "url": url(),
            "secret": SECRET, "kinds": ["reminder"]}
    data.update(extra)
    return data


def test_the_api_creates_a_robot_and_never_returns_its_url_or_secret(client, people):
    client.force_login(people["head"])
    answer = client.post("/api/v1/notify/robots", api_payload(people["departments"]["sales"]),
                         content_type="application/json")
    assert answer.status_code == 201
    body = answer.json()
    assert body["has_secret"] is True and body["url_display"] == f"http://127.0.0.1:9/***{TOKEN[-4:]}"
    assert "secret" not in body and "url" not in body
    assert TOKEN not in answer.content.decode() and SECRET not in answer.content.decode()
    listed = client.get("/api/v1/notify/robots")
    assert [r["name"] for r in listed.json()["items"]] == ["销售部钉钉群"] and TOKEN not in listed.content.decode()


def test_the_api_patch_keeps_what_is_left_out_and_names_bad_fields(client, people):
    robot = robot_in(people["departments"]["sales"])
    client.force_login(people["admin"])
    answer = client.patch(f"/api/v1/notify/robots/{robot.pk}", {"name": "新名字", "enabled": False},
                          content_type="application/json")
    assert answer.status_code == 200 and answer.json()["enabled"] is False
    robot.refresh_from_db()
    assert robot.url == url() and robot.secret == SECRET
    bad = client.patch(f"/api/v1/notify/robots/{robot.pk}", {"url": "http://169.254.169.254/robot/send?access_token=x"},
                       content_type="application/json")
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["url"]
    bad = client.patch(f"/api/v1/notify/robots/{robot.pk}", {"department_id": 999999},
                       content_type="application/json")
    assert bad.status_code == 422 and "department_id" in bad.json()["errors"]
    robot.refresh_from_db()
    assert robot.url == url()


def test_the_api_permission_matrix(client, people):
    sales_robot = robot_in(people["departments"]["sales"])
    finance_robot = robot_in(people["departments"]["finance"])
    client.force_login(people["member"])
    assert client.get("/api/v1/notify/robots").status_code == 403
    assert client.get(f"/api/v1/notify/robots/{sales_robot.pk}").status_code == 404
    assert client.post("/api/v1/notify/robots", api_payload(people["departments"]["sales"]),
                       content_type="application/json").status_code == 403
    client.force_login(people["head"])
    assert client.get(f"/api/v1/notify/robots/{finance_robot.pk}").status_code == 404
    assert client.patch(f"/api/v1/notify/robots/{finance_robot.pk}", {"name": "x"},
                        content_type="application/json").status_code == 404
    assert client.delete(f"/api/v1/notify/robots/{finance_robot.pk}").status_code == 404
    answer = client.post("/api/v1/notify/robots", api_payload(people["departments"]["finance"]),
                         content_type="application/json")
    assert answer.status_code == 422 and "department_id" in answer.json()["errors"]
    assert client.delete(f"/api/v1/notify/robots/{sales_robot.pk}").status_code == 204
    client.force_login(people["admin"])
    assert client.delete(f"/api/v1/notify/robots/{finance_robot.pk}").status_code == 204
    assert not Robot.objects.exists()
