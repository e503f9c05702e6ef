"""The one outbound HTTP call refuses addresses inside the network unless an administrator allow-listed them."""

import ipaddress

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from closeloop.lib.http import Allowlist, UnsafeURL, check_url, post_json, refusal
from closeloop.notify.models import AllowedWebhookHost, OutboxMessage, OutboxState, Robot
from closeloop.notify.services import allowed_host_add, robot_create
from closeloop.notify.tests.conftest import SECRETS, queue_for
from closeloop.notify.transports import TransportError, transport_for
from closeloop.notify.worker import drain_outbox

INSIDE = [
    ("http://127.0.0.1:8080/hook", "loopback"),
    ("http://127.8.9.10/hook", "loopback"),
    ("http://[::1]/hook", "loopback"),
    ("http://10.1.2.3/hook", "private"),
    ("http://172.16.0.9/hook", "private"),
    ("https://192.168.1.20/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://0.0.0.0/hook", "private"),
    ("http://100.64.0.1/hook", "not public"),
]


@pytest.mark.parametrize("url, reason", INSIDE)
def test_addresses_inside_the_network_are_refused(url, reason):
    with pytest.raises(UnsafeURL) as caught:
        check_url(url)
    assert caught.value.reason == reason


def test_a_host_name_resolving_to_loopback_is_refused_too():
    with pytest.raises(UnsafeURL) as caught:
        check_url("http://localhost:9/hook")
    assert caught.value.reason == "loopback"


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://127.0.0.1/", "http:///x"])
def test_only_http_and_https_with_a_host_can_be_called(url):
    with pytest.raises(UnsafeURL):
        check_url(url)


def test_public_addresses_pass():
    assert refusal(ipaddress.ip_address("8.8.8.8")) is None
    check_url("https://1.1.1.1/robot/send?access_token=x")  # an address: no DNS needed


def test_allow_listed_hosts_addresses_and_networks_pass():
    check_url("http://127.0.0.1:1/hook", Allowlist.parse(["127.0.0.1"]))
    check_url("http://localhost:1/hook", Allowlist.parse(["LOCALHOST"]))
    check_url("http://10.9.8.7/hook", Allowlist.parse(["10.0.0.0/8"]))
    with pytest.raises(UnsafeURL):
        check_url("http://10.9.8.7/hook", Allowlist.parse(["10.0.0.0/16"]))


def test_nothing_reaches_a_local_receiver_unless_it_is_allow_listed(robot_receiver):
    receiver = robot_receiver("wecom")
    with pytest.raises(UnsafeURL):
        post_json(receiver.url, {"msgtype": "text"})
    assert receiver.requests == []
    answer = post_json(receiver.url, {"msgtype": "text"}, allowlist=Allowlist.parse(["127.0.0.1"]))
    assert answer.status == 200 and len(receiver.requests) == 1


def test_a_redirect_is_not_followed(robot_receiver):
    receiver = robot_receiver("wecom")
    receiver.answer_next(status=302, body=b"", headers={"Location": "http://169.254.169.254/latest/"})
    answer = post_json(receiver.url, b"{}", allowlist=Allowlist.parse(["127.0.0.1"]))
    assert answer.status == 302 and len(receiver.requests) == 1


# --- saving a robot, and sending ------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def inside_refusal(url):
    """The refusal of an inside address, in the server's language (zh-hans): it names the kind, the address
    and the allow-list."""
    kind, ip = {"http://127.0.0.1:9000/hook": ("a loopback address", "127.0.0.1"),
                "http://127.0.0.1:9/hook": ("a loopback address", "127.0.0.1"),
                "http://192.168.10.5/hook": ("a private address", "192.168.10.5"),
                "http://169.254.169.254/latest/meta-data/": ("a link-local address", "169.254.169.254")}[url]
    with translation.override("zh-hans"):
        return _("Its host resolves to %(kind)s (%(ip)s), inside the network; an administrator must allow-list "
                 "the host first.") % {"kind": _(kind), "ip": ip}


def robot_data(people, url, platform="webhook"):
    return {"department": people["departments"]["sales"], "platform": platform, "name": "销售部群", "url": url,
            "secret": "s3cret-value", "kinds": ["reminder"], "language": "zh-hans", "enabled": True}


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hook", "http://192.168.10.5/hook",
                                 "http://169.254.169.254/latest/meta-data/"])
def test_saving_a_robot_with_an_inside_address_names_the_url_field(people, url):
    with pytest.raises(ValidationError) as caught:
        robot_create(actor=people["admin"], data=robot_data(people, url))
    assert list(caught.value.message_dict) == ["url"]
    assert caught.value.message_dict["url"] == [inside_refusal(url)]
    assert not Robot.objects.exists()


def test_an_administrator_allow_lists_a_host_and_then_the_robot_saves(people):
    with pytest.raises(ValidationError):
        robot_create(actor=people["admin"], data=robot_data(people, "http://10.20.30.40/hook"))
    allowed_host_add(actor=people["admin"], host="10.20.0.0/16", note="内网告警网关")
    robot = robot_create(actor=people["admin"], data=robot_data(people, "http://10.20.30.40/hook"))
    assert robot.pk and AllowedWebhookHost.objects.get().host == "10.20.0.0/16"


def test_only_administrators_change_the_allow_list_and_entries_are_checked(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        allowed_host_add(actor=people["head"], host="10.0.0.1")
    with pytest.raises(ValidationError) as caught:
        allowed_host_add(actor=people["admin"], host="not a host!")
    assert "host" in caught.value.message_dict


def test_the_admin_form_refuses_an_inside_address_on_the_url_field(people, client):
    from closeloop.notify.admin import RobotAdminForm

    form = RobotAdminForm(data={"department": people["departments"]["sales"].pk, "platform": "webhook",
                                "name": "群", "kinds": '["reminder"]', "language": "zh-hans", "enabled": "on",
                                "new_url": "http://127.0.0.1:9/hook", "new_secret": "abc12345"},
                          actor=people["admin"])
    assert not form.is_valid()
    assert form.errors.get("new_url") == [inside_refusal("http://127.0.0.1:9/hook")]


def test_a_saved_robot_whose_host_is_no_longer_allowed_fails_for_good_at_sending(robot_receiver, make_robot, people,
                                                                                 settings):
    receiver = robot_receiver("webhook")
    robot = make_robot(receiver)
    queue_for(robot, people["member"])
    settings.WEBHOOK_ALLOWLIST = []  # the allow-list entry was removed after the robot was saved
    with pytest.raises(TransportError) as caught:
        transport_for("webhook").send(OutboxMessage.objects.get())
    assert caught.value.permanent and "loopback" in str(caught.value)
    drain_outbox()
    assert OutboxMessage.objects.get().state == OutboxState.FAILED
    assert receiver.requests == []


def test_the_organisations_allow_list_lets_a_local_robot_through(robot_receiver, make_robot, people, settings):
    receiver = robot_receiver("webhook", secret=SECRETS["webhook"])
    robot = make_robot(receiver)
    settings.WEBHOOK_ALLOWLIST = []
    allowed_host_add(actor=people["admin"], host="127.0.0.1")
    queue_for(robot, people["member"])
    drain_outbox()
    assert OutboxMessage.objects.get().state == OutboxState.SENT and receiver.requests[0]["verified"]
