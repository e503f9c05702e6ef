"""SQLite is configured the same way whether it is the default or named by DATABASE_URL."""

import json
import os
import subprocess
import sys

SHOW = ("import django, json; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(json.dumps({'engine': d['ENGINE'], 'options': d['OPTIONS']}))")


def database_settings(**env):
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="closeloop.settings", **env)
    out = subprocess.run([sys.executable, "-c", SHOW], env=environ, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_sqlite_database_url_keeps_wal_immediate_transactions_and_the_lock_timeout(tmp_path):
    named = database_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    default = database_settings(CLOSELOOP_DATA_DIR=str(tmp_path))
    assert named["engine"] == default["engine"] == "django.db.backends.sqlite3"
    assert named["options"] == default["options"]
    assert "journal_mode=WAL" in named["options"]["init_command"]
    assert named["options"]["transaction_mode"] == "IMMEDIATE" and named["options"]["timeout"] >= 5


def test_postgresql_gets_no_sqlite_options():
    options = database_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/closeloop")["options"]
    assert "transaction_mode" not in options and "init_command" not in options


def test_postgresql_plans_for_pages_in_memory_unless_told_otherwise():
    url = "postgres://postgres@127.0.0.1:5432/closeloop"
    assert database_settings(DATABASE_URL=url)["options"]["options"] == "-c jit=off -c random_page_cost=1.1"
    told = database_settings(DATABASE_URL=url, DATABASE_RANDOM_PAGE_COST="4", DATABASE_JIT="true")["options"]
    assert told["options"] == "-c random_page_cost=4.0"
