"""A real OpenLDAP server (Debian's slapd) on 127.0.0.1 for tests, loaded with a small demo organisation.

Use the `ldap_server` fixture (`from closeloop.directory.testing import ldap_server  # noqa: F401`): a fresh
slapd per test, on a free port, with StartTLS through a self-signed certificate made here, running as the
unprivileged `openldap` user when the tests run as root. `ldap_server.configure(settings)` points Closeloop at it.
"""

import base64
import datetime as dt
import hashlib
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import ldap
import ldap.modlist
import pytest

from .ldapconf import auth_ldap_settings

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SUFFIX = "dc=closeloop,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-pw"
READER_DN = f"cn=closeloop-reader,{SUFFIX}"
READER_PASSWORD = "reader-pw"
PASSWORD = "closeloop-demo"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMINS = f"cn=closeloop-admins,{GROUPS}"
PMO = f"cn=closeloop-pmo,{GROUPS}"
HEADS = f"cn=department-heads,{GROUPS}"

# (uid, display name, surname, given name, units outermost first, title, manager uid)
DEMO_PEOPLE = [
    ("pmo", "周敏", "周", "敏", ["PMO"], "PMO负责人", ""),
    ("zhao.assistant", "赵婷", "赵", "婷", ["PMO"], "项目助理", "pmo"),
    ("zhang.market", "张伟", "张", "伟", ["市场部"], "市场部经理", ""),
    ("liu.market", "刘洋", "刘", "洋", ["市场部"], "市场专员", "zhang.market"),
    ("wang.sales", "王强", "王", "强", ["销售部"], "销售部经理", ""),
    ("sun.sales", "孙磊", "孙", "磊", ["销售部"], "销售专员", "wang.sales"),
    ("chen.sales", "陈静", "陈", "静", ["销售部", "大客户组"], "大客户销售主管", "wang.sales"),
    ("zhou.sales", "周杰", "周", "杰", ["销售部", "大客户组"], "大客户经理", "chen.sales"),
    ("li.product", "李娜", "李", "娜", ["产品部"], "产品部经理", ""),
    ("emma.product", "Emma Wilson", "Wilson", "Emma", ["产品部"], "Product designer", ""),
]
GROUP_MEMBERS = {ADMINS: ["pmo"], PMO: ["zhao.assistant"], HEADS: ["li.product"]}


def person_dn(uid, units):
    return ",".join([f"uid={uid}", *[f"ou={u}" for u in reversed(units)], PEOPLE])


def ssha(password):
    salt = os.urandom(8)
    return "{SSHA}" + base64.b64encode(hashlib.sha1(password.encode() + salt).digest() + salt).decode()


def _ldif_value(name, value):
    # Non-ASCII values (the Chinese names) go base64-encoded, as LDIF requires.
    if all(32 <= ord(c) < 127 for c in value) and not value.startswith((" ", ":", "<")):
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def demo_ldif():
    """The demo organisation as LDIF: units for departments, people with managers, three groups."""
    records = [
        [("objectClass", "dcObject"), ("objectClass", "organization"), ("dc", "closeloop"), ("o", "示例科技有限公司")],
        [("objectClass", "organizationalRole"), ("objectClass", "simpleSecurityObject"),
         ("cn", "closeloop-reader"), ("userPassword", ssha(READER_PASSWORD))],
        [("objectClass", "organizationalUnit"), ("ou", "people")],
        [("objectClass", "organizationalUnit"), ("ou", "groups")],
    ]
    dns = [SUFFIX, READER_DN, PEOPLE, GROUPS]
    units = sorted({tuple(p[4][:i]) for p in DEMO_PEOPLE for i in range(1, len(p[4]) + 1)}, key=len)
    for unit in units:
        dns.append(",".join([*[f"ou={u}" for u in reversed(unit)], PEOPLE]))
        records.append([("objectClass", "organizationalUnit"), ("ou", unit[-1])])
    by_uid = {p[0]: p for p in DEMO_PEOPLE}
    for uid, name, sn, given, unit, title, manager in DEMO_PEOPLE:
        dns.append(person_dn(uid, unit))
        record = [("objectClass", "inetOrgPerson"), ("uid", uid), ("cn", name), ("sn", sn), ("givenName", given),
                  ("displayName", name), ("title", title), ("mail", f"{uid}@closeloop.test"),
                  ("userPassword", ssha(PASSWORD))]
        if manager:
            record.append(("manager", person_dn(manager, by_uid[manager][4])))
        records.append(record)
    for group, members in GROUP_MEMBERS.items():
        dns.append(group)
        records.append([("objectClass", "groupOfNames"), ("cn", group.split(",")[0][3:]),
                        *[("member", person_dn(m, by_uid[m][4])) for m in members]])
    blocks = []
    for dn, record in zip(dns, records, strict=True):
        blocks.append("\n".join([_ldif_value("dn", dn), *[_ldif_value(k, v) for k, v in record]]))
    return "\n\n".join(blocks) + "\n"


def self_signed_certificate(folder):
    """A key and a certificate for 127.0.0.1 / localhost; the certificate is also the CA file clients trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return folder / "cert.pem"


SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
TLSCertificateFile {folder}/cert.pem
TLSCertificateKeyFile {folder}/key.pem
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {folder}/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Slapd:
    """A running slapd: its address, the CA file to trust, and a root connection to change the directory."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process = None
        self.ca_file = None

    def start(self):
        folder = self.folder
        (folder / "db").mkdir()
        self.ca_file = self_signed_certificate(folder)
        (folder / "slapd.conf").write_text(SLAPD_CONF.format(
            folder=folder, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD))
        (folder / "demo.ldif").write_text(demo_ldif(), encoding="utf-8")
        subprocess.run([SLAPADD, "-q", "-f", str(folder / "slapd.conf"), "-l", str(folder / "demo.ldif")],
                       check=True, capture_output=True)
        command = [SLAPD, "-d", "0", "-f", str(folder / "slapd.conf"), "-h", self.uri + "/"]
        if os.geteuid() == 0:
            # Never run a server as root in tests: hand the folder to the unprivileged openldap user.
            user = pwd.getpwnam("openldap")
            for path in [folder, *folder.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)
            command += ["-u", "openldap", "-g", "openldap"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while True:
            try:
                self.connect().unbind_s()
                return self
            except ldap.SERVER_DOWN:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("slapd did not start: " + self.process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def connect(self, dn=ROOT_DN, password=ROOT_PASSWORD, start_tls=True):
        conn = ldap.initialize(self.uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        if start_tls:
            conn.set_option(ldap.OPT_X_TLS_CACERTFILE, str(self.ca_file))
            conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
            conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
            conn.start_tls_s()
        conn.simple_bind_s(dn, password)
        return conn

    # Changing the directory the way its administrators would.
    def modify(self, dn, **attributes):
        conn = self.connect()
        try:
            conn.modify_s(dn, [(ldap.MOD_REPLACE, name, [v.encode() for v in values])
                               for name, values in attributes.items()])
        finally:
            conn.unbind_s()

    def delete(self, dn):
        conn = self.connect()
        try:
            conn.delete_s(dn)
        finally:
            conn.unbind_s()

    def move(self, dn, new_superior):
        conn = self.connect()
        try:
            conn.rename_s(dn, dn.split(",")[0], new_superior)
        finally:
            conn.unbind_s()

    def add(self, dn, **attributes):
        conn = self.connect()
        try:
            conn.add_s(dn, ldap.modlist.addModlist(
                {k: [v.encode() for v in values] for k, values in attributes.items()}))
        finally:
            conn.unbind_s()

    def configure(self, settings, *, start_tls=True, **extra):
        """Point Closeloop's settings (the pytest-django `settings` fixture) at this server."""
        values = {
            "LDAP_SERVER_URI": self.uri, "LDAP_BIND_DN": READER_DN, "LDAP_BIND_PASSWORD": READER_PASSWORD,
            "LDAP_USER_BASE": PEOPLE, "LDAP_GROUP_BASE": GROUPS, "LDAP_START_TLS": start_tls,
            "LDAP_CA_CERT_FILE": str(self.ca_file), "LDAP_USER_FILTER": "(objectClass=inetOrgPerson)",
            "LDAP_USERNAME_ATTRIBUTE": "uid", "LDAP_GROUP_TYPE": "groupOfNames", "LDAP_ADMIN_GROUP": ADMINS,
            "LDAP_PMO_GROUP": PMO, "LDAP_HEAD_GROUP": HEADS, "LDAP_DEPARTMENT_ATTRIBUTE": "",
        }
        values.update(extra)
        for name, value in values.items():
            setattr(settings, name, value)
        for name, value in auth_ldap_settings(
                server_uri=values["LDAP_SERVER_URI"], bind_dn=values["LDAP_BIND_DN"],
                bind_password=values["LDAP_BIND_PASSWORD"], user_base=values["LDAP_USER_BASE"],
                group_base=values["LDAP_GROUP_BASE"], start_tls=values["LDAP_START_TLS"],
                ca_cert_file=values["LDAP_CA_CERT_FILE"], user_filter=values["LDAP_USER_FILTER"],
                username_attribute=values["LDAP_USERNAME_ATTRIBUTE"], group_type=values["LDAP_GROUP_TYPE"]).items():
            setattr(settings, name, value)
        from closeloop.directory import signals  # noqa: F401  (connected at start-up only when LDAP is configured)

        backends = [b for b in settings.AUTHENTICATION_BACKENDS if "LDAPBackend" not in b]
        settings.AUTHENTICATION_BACKENDS = [backends[0], "django_auth_ldap.backend.LDAPBackend", *backends[1:]]


@pytest.fixture
def ldap_server():
    if not (os.path.exists(SLAPD) and os.path.exists(SLAPADD)):
        pytest.skip("Debian's slapd is not installed (make ldap installs it)")
    folder = tempfile.mkdtemp(prefix="closeloop-slapd-")
    server = Slapd(folder)
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
