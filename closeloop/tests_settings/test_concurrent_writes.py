"""Eight processes writing at once through the API, on SQLite named by DATABASE_URL, served by gunicorn with
several workers: every request succeeds (WAL, immediate transactions and the lock timeout do their work),
including the first requests of a new organisation, which all look for its policy at the same moment."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CLIENTS = 8
ITEMS_EACH = 12

SETUP = """
from closeloop.org.choices import Role
from closeloop.org.models import Organisation, Person
from closeloop.org.services import token_create
org = Organisation.objects.create(name="并发公司", time_zone="Asia/Shanghai", country="CN")
admin = Person.objects.create(username="admin", organisation=org, role=Role.ADMIN, display_name="管理员",
                              email="admin@example.com")
print(admin.pk, token_create(person=admin, name="load")[1])
"""

# One client: ITEMS_EACH items posted one after the other; prints the status codes it got.
CLIENT = """
import json, sys, urllib.error, urllib.request
url, secret, owner, me, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
codes = []
for i in range(n):
    body = json.dumps({"task": f"提交第{i}份周报（{me}）", "owner_id": owner, "due": "2026-06-18",
                       "deliverable": "周报经部门负责人确认"}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            codes.append(response.status)
    except urllib.error.HTTPError as error:
        codes.append(error.code)
print(json.dumps(codes))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=120):
    """Until the server answers at all (the health check says 503 here: no worker runs in this test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_eight_processes_writing_through_the_api_on_sqlite_get_no_error(tmp_path):
    database = tmp_path / "load.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=f"sqlite:///{database}", CLOSELOOP_DATA_DIR=str(tmp_path), LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="closeloop.settings")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    out = subprocess.run([*manage, "shell", "-c", SETUP], env=env, cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.split()
    owner, secret = out[-2], out[-1]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "closeloop.wsgi", "-w", "4", "--threads", "2",
                               "-b", f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        url = f"http://127.0.0.1:{port}/api/v1/actions"
        clients = [subprocess.Popen([sys.executable, "-c", CLIENT, url, secret, owner, str(n), str(ITEMS_EACH)],
                                    stdout=subprocess.PIPE, text=True) for n in range(CLIENTS)]
        codes = [code for client in clients for code in json.loads(client.communicate(timeout=500)[0])]
    finally:
        server.terminate()
        errors = server.communicate(timeout=60)[1]
    assert len(codes) == CLIENTS * ITEMS_EACH
    assert [c for c in codes if c != 201] == [], errors[-3000:]
    count = subprocess.run([*manage, "shell", "-c", "from closeloop.actions.models import ActionItem; "
                            "from closeloop.org.models import Policy; "
                            "print(ActionItem.objects.count(), Policy.objects.count())"],
                           env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    assert count[-2:] == [str(CLIENTS * ITEMS_EACH), "1"]  # every item, and one policy for the organisation
