"""Closeloop settings: one file, read from environment variables.

With nothing set it runs locally as it is: debug on, localhost allowed, SQLite in ./data,
mail printed to the console.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CLOSELOOP_DATA_DIR", BASE_DIR / "data"))


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.dingtalk",
    "allauth.socialaccount.providers.feishu",
    "allauth.mfa",
    "closeloop.audit",
    "closeloop.org",
    "closeloop.workcal",
    "closeloop.smartminutes",
    "closeloop.directory",
    "closeloop.meetings",
    "closeloop.notify",
    "closeloop.record",
    "closeloop.minutes",
    "closeloop.outputs",
    "closeloop.actions",
    "closeloop.collab",
    "closeloop.retro",
    "closeloop.archive",
    "closeloop.followup",
    "closeloop.insight",
    "closeloop.search",
    "closeloop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "closeloop.lib.api_errors.ApiJsonErrorsMiddleware",
    "closeloop.lib.uploads.RequestSizeLimitMiddleware",
    "closeloop.lib.memo.RequestMemoMiddleware",
    "closeloop.lib.choosers.FullChoicesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "closeloop.org.middleware.PersonPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "closeloop.directory.middleware.RequireTwoFactorMiddleware",
    "closeloop.directory.middleware.UnconfiguredProviderMiddleware",
]

ROOT_URLCONF = "closeloop.urls"
WSGI_APPLICATION = "closeloop.wsgi.application"
AUTH_USER_MODEL = "org.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:list"
LOGOUT_REDIRECT_URL = "login"

# django-ninja's Swagger UI (its templates and static files) is served from this server, not a CDN, without
# listing ninja as an app: an app is imported by every process, and ninja brings pydantic (≈ 8 MB) into the
# worker, which never answers the API. find_spec locates the package without importing it.
NINJA_DIR = Path(find_spec("ninja").origin).parent
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "closeloop" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "closeloop.notify.context_processors.inbox",
            ],
        },
    },
]

# SQLite in WAL mode by default; PostgreSQL (or anything dj-database-url knows) via DATABASE_URL. SQLite gets
# the same options however it is named: WAL, immediate write transactions, a wait for the lock instead of an error.
# Reads through a memory map (up to 256 MB of the file): each request opens a new connection, whose page cache
# starts empty, so a list that looks up a thousand visible items' rows paid a read call for each page (bench/lists.py).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        _pg_settings = []
        if not env_bool("DATABASE_JIT", False):
            # PostgreSQL's JIT compiles any query its planner thinks costly: it spent 12 s compiling the insight
            # page's meeting query, which then ran in 0.7 s (bench/insight.py). Our queries are short; keep it off.
            _pg_settings.append("jit=off")
        # The planner's price of reading a page out of order. Its default (4) is for spinning disks: with it, a
        # member's list of a few hundred items out of 100,000 scanned every item rather than read the few
        # (bench/lists.py). 1.1 is the usual figure for SSDs and for data that sits in memory.
        _pg_settings.append(f"random_page_cost={float(env_str('DATABASE_RANDOM_PAGE_COST', '1.1'))}")
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(f"-c {s}" for s in _pg_settings)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "closeloop.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Local passwords (closeloop.org.backends.PersonBackend), unless LOCAL_PASSWORDS=false leaves them to the
    # break-glass administrators only.
    "closeloop.directory.backends.LocalPasswordBackend",
    # Keeps people signed in through OpenID Connect, DingTalk and Feishu (django-allauth); checks no password.
    "closeloop.directory.backends.SingleSignOnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: lock a username+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)  # no banner on every console command's stderr

# --- Sign-in with the company's directory (closeloop/directory; README "Signing in") ----------
# Local passwords stay on unless LOCAL_PASSWORDS=false; then only superusers and the usernames in
# LOCAL_PASSWORDS_BREAK_GLASS may still use one (the break-glass administrators).
LOCAL_PASSWORDS = env_bool("LOCAL_PASSWORDS", True)
LOCAL_PASSWORDS_BREAK_GLASS = env_list("LOCAL_PASSWORDS_BREAK_GLASS", [])
# Administrators and PMO must set up an authenticator app (TOTP) before they can use Closeloop.
TOTP_REQUIRED_FOR_ADMINS = env_bool("TOTP_REQUIRED_FOR_ADMINS", False)

LDAP_SERVER_URI = env_str("LDAP_SERVER_URI")
LDAP_BIND_DN = env_str("LDAP_BIND_DN")
LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD")
LDAP_USER_BASE = env_str("LDAP_USER_BASE")
LDAP_GROUP_BASE = env_str("LDAP_GROUP_BASE")
LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
LDAP_CA_CERT_FILE = env_str("LDAP_CA_CERT_FILE")
# OpenLDAP defaults; for Active Directory see the README (sAMAccountName, userAccountControl).
LDAP_USER_FILTER = env_str("LDAP_USER_FILTER", "(objectClass=inetOrgPerson)")
LDAP_USERNAME_ATTRIBUTE = env_str("LDAP_USERNAME_ATTRIBUTE", "uid")
LDAP_GROUP_TYPE = env_str("LDAP_GROUP_TYPE", "groupOfNames")
LDAP_ADMIN_GROUP = env_str("LDAP_ADMIN_GROUP")
LDAP_PMO_GROUP = env_str("LDAP_PMO_GROUP")
LDAP_HEAD_GROUP = env_str("LDAP_HEAD_GROUP")
# Empty: the department is the person's organisational unit (OU) below LDAP_USER_BASE, the tree from the OUs.
LDAP_DEPARTMENT_ATTRIBUTE = env_str("LDAP_DEPARTMENT_ATTRIBUTE")
# The worker reads the directory this often (seconds) when LDAP is configured; 0 leaves it to the command.
LDAP_SYNC_EVERY_SECONDS = env_int("LDAP_SYNC_EVERY_SECONDS", 3600)

if LDAP_SERVER_URI:
    if not LDAP_USER_BASE:
        raise ImproperlyConfigured("LDAP_USER_BASE must be set with LDAP_SERVER_URI")
    from closeloop.directory.ldapconf import auth_ldap_settings

    AUTHENTICATION_BACKENDS.insert(1, "django_auth_ldap.backend.LDAPBackend")
    globals().update(auth_ldap_settings(
        server_uri=LDAP_SERVER_URI, bind_dn=LDAP_BIND_DN, bind_password=LDAP_BIND_PASSWORD,
        user_base=LDAP_USER_BASE, group_base=LDAP_GROUP_BASE, start_tls=LDAP_START_TLS,
        ca_cert_file=LDAP_CA_CERT_FILE, user_filter=LDAP_USER_FILTER, username_attribute=LDAP_USERNAME_ATTRIBUTE,
        group_type=LDAP_GROUP_TYPE,
    ))

# OpenID Connect, DingTalk and Feishu through django-allauth; each one appears on the login page once set.
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_NAME = env_str("OIDC_NAME", "OpenID Connect")
DINGTALK_CLIENT_ID = env_str("DINGTALK_CLIENT_ID")
DINGTALK_CLIENT_SECRET = env_str("DINGTALK_CLIENT_SECRET")
FEISHU_APP_ID = env_str("FEISHU_APP_ID")
FEISHU_APP_SECRET = env_str("FEISHU_APP_SECRET")
# Lark (Feishu outside China) or a gateway: its API origin, e.g. https://open.larksuite.com.
FEISHU_BASE_URL = env_str("FEISHU_BASE_URL").rstrip("/")
SSO_ENDPOINT_OVERRIDES = {"https://open.feishu.cn": FEISHU_BASE_URL} if FEISHU_BASE_URL else {}


def _sso_providers():
    providers = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            # Checks the ID token's signature always, not only when it came by another channel.
            "provider_class": "closeloop.directory.sso.provider.VerifiedOpenIDConnectProvider",
            "APPS": [],
        },
        "dingtalk": {"APPS": []},
        "feishu": {"APPS": []},
    }
    if OIDC_SERVER_URL and OIDC_CLIENT_ID:
        providers["openid_connect"]["APPS"].append({
            "provider_id": "oidc", "name": OIDC_NAME, "client_id": OIDC_CLIENT_ID, "secret": OIDC_CLIENT_SECRET,
            "settings": {"server_url": OIDC_SERVER_URL},
        })
    if DINGTALK_CLIENT_ID:
        providers["dingtalk"]["APPS"].append({"client_id": DINGTALK_CLIENT_ID, "secret": DINGTALK_CLIENT_SECRET})
    if FEISHU_APP_ID:
        providers["feishu"]["APPS"].append({"client_id": FEISHU_APP_ID, "secret": FEISHU_APP_SECRET})
        if FEISHU_BASE_URL:
            providers["feishu"]["AUTHORIZE_URL"] = f"{FEISHU_BASE_URL}/open-apis/authen/v1/index"
    return providers


SOCIALACCOUNT_PROVIDERS = _sso_providers()
SOCIALACCOUNT_ADAPTER = "closeloop.directory.sso.adapter.SocialAccountAdapter"
ACCOUNT_ADAPTER = "closeloop.directory.sso.adapter.AccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the login page posts to start a sign-in; a link cannot start one
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linked by the provider's stable subject, never by e-mail alone
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False  # people may share an address (a team mailbox); accounts link by subject
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_USER_DISPLAY = str
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Closeloop")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "closeloop" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide assets (app.css, app.js) live outside any app folder.
STATICFILES_DIRS = [BASE_DIR / "closeloop" / "static", NINJA_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MATERIAL_MAX_BYTES = env_int("MATERIAL_MAX_BYTES", 20 * 1024 * 1024)
# Each uploaded file is counted while it streams and refused at MATERIAL_MAX_BYTES (413).
FILE_UPLOAD_HANDLERS = [
    "closeloop.lib.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MATERIAL_EXTENSIONS = env_list(
    "MATERIAL_EXTENSIONS",
    [".pdf", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".md", ".txt", ".png", ".jpg",
     ".jpeg", ".csv"],
)

# Mail: console by default; SMTP as soon as EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Closeloop <closeloop@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif env_str("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Outbox worker: a failed delivery is retried after base * 2^(attempt-1) seconds (capped), then given up.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)
# A claimed message becomes due again after this long if its worker died while sending it.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 600)
# Robots and webhooks: hosts inside the network (private, loopback, link-local) are refused unless listed here
# (names, addresses or networks, comma-separated) or in the administrators' allow-list.
WEBHOOK_ALLOWLIST = env_list("WEBHOOK_ALLOWLIST", [])
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Follow-up scans run inside the worker: nothing goes out before this local hour; overdue items are
# looked back this many days. Seconds between runs of a scan, by name, override what the scan registered.
FOLLOWUP_DAY_STARTS_HOUR = env_int("FOLLOWUP_DAY_STARTS_HOUR", 8)
FOLLOWUP_LOOKBACK_DAYS = env_int("FOLLOWUP_LOOKBACK_DAYS", 30)
# Each worker writes a heartbeat this often; /healthz answers 503 once the newest is older than WORKER_SILENT_SECONDS.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_SILENT_SECONDS = env_int("WORKER_SILENT_SECONDS", 120)
# While the database is unreachable, the worker tries again after 0.5 s, 1 s, 2 s … up to this many seconds.
WORKER_DB_RETRY_MAX_SECONDS = env_int("WORKER_DB_RETRY_MAX_SECONDS", 60)
# Robots' rate limits keep this margin (milliseconds) on top of each platform's window, for the time between
# taking a slot and the post arriving.
ROBOT_RATE_MARGIN_MS = env_int("ROBOT_RATE_MARGIN_MS", 1000)
SCAN_INTERVALS = {}

# Security. Production (DEBUG off) passes `closeloop check --deploy` without warnings.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy: no inline script or style, no eval (htmx is told not to eval).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Signing in with a provider posts a form that is redirected to the provider: allow its origin.
for _sso_origin in filter(None, [
    "/".join(OIDC_SERVER_URL.split("/")[:3]) if OIDC_SERVER_URL else "",
    "https://login.dingtalk.com" if DINGTALK_CLIENT_ID else "",
    (FEISHU_BASE_URL or "https://open.feishu.cn") if FEISHU_APP_ID else "",
]):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_sso_origin)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The one default page size of every API list (no endpoint overrides it; README says so); page_size asks for more.
NINJA_PAGINATION_PER_PAGE = 50
