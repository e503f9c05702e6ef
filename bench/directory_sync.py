"""How long `closeloop directory sync` takes for a company of N people in a real slapd, and its queries.

Starts Debian's slapd (as the tests do), adds N people in D departments (each with a manager), then times
a dry run, the first sync (creates everyone) and a second sync with nothing new, and counts the second's
queries. Works in a temporary SQLite file unless DATABASE_URL names an empty database made for it.

    .venv/bin/python bench/directory_sync.py [--people 1000] [--departments 20]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeloop.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--departments", type=int, default=20)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="closeloop-bench-dir-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["CLOSELOOP_DATA_DIR"] = data
    import django

    django.setup()
    import ldap
    import ldap.modlist
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from closeloop.directory.services import directory_sync
    from closeloop.directory.testing import PEOPLE, Slapd, ssha
    from closeloop.org.models import Organisation

    call_command("migrate", verbosity=0)
    Organisation.objects.create(name="基准测试公司")
    server = Slapd(tempfile.mkdtemp(prefix="closeloop-bench-slapd-")).start()
    try:
        conn = server.connect()
        started = time.perf_counter()
        for d in range(args.departments):
            conn.add_s(f"ou=部门{d:02d},{PEOPLE}", ldap.modlist.addModlist(
                {"objectClass": [b"organizationalUnit"], "ou": [f"部门{d:02d}".encode()]}))
        for i in range(args.people):
            d = i % args.departments
            head = f"uid=b{d:04d},ou=部门{d:02d},{PEOPLE}"
            attrs = {"objectClass": [b"inetOrgPerson"], "uid": [f"b{i:04d}".encode()], "cn": [f"员工{i}".encode()],
                     "sn": [b"X"], "mail": [f"b{i:04d}@bench.test".encode()], "userPassword": [ssha("x").encode()]}
            if i >= args.departments:
                attrs["manager"] = [head.encode()]
            conn.add_s(f"uid=b{i:04d},ou=部门{d:02d},{PEOPLE}", ldap.modlist.addModlist(attrs))
        conn.unbind_s()
        print(f"loaded {args.people} people in {args.departments} departments into slapd "
              f"in {time.perf_counter() - started:.1f} s")
        values = {"LDAP_SERVER_URI": server.uri, "LDAP_BIND_DN": "cn=admin,dc=closeloop,dc=test",
                  "LDAP_BIND_PASSWORD": "slapd-root-pw", "LDAP_USER_BASE": PEOPLE, "LDAP_GROUP_BASE": "",
                  "LDAP_START_TLS": True, "LDAP_CA_CERT_FILE": str(server.ca_file)}
        for name, value in values.items():
            setattr(settings, name, value)
        for label, dry in [("dry run", True), ("first sync", False), ("second sync, nothing new", False)]:
            queries = []

            def counting(execute, sql, params, many, context, seen=queries):
                seen.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counting):
                started = time.perf_counter()
                run = directory_sync(dry_run=dry)
                elapsed = time.perf_counter() - started
            assert run.ok, run.error
            print(f"{label:26} {elapsed:7.2f} s  {len(run.changes):5} changes  {len(queries):6} queries  "
                  f"({len(queries) / args.people:.1f} per person)")
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
