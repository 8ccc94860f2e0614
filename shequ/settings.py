"""Shequ settings: one module, read from environment variables.

The embedded defaults (SQLite, local media, database task backend) need no variable at all.
Production sets ``SHEQU_ENV=production`` plus the variables listed in README.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


PRODUCTION = env_str("SHEQU_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

# The development key is public; production refuses to start without a real one.
DEV_SECRET_KEY = "django-insecure-shequ-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "shequ.site.errors.csrf_failure"

# Key for encrypting sensitive fields (ID numbers) and for their lookup hashes: a url-safe base64
# 32-byte key. Several keys may be given, comma-separated: the first encrypts, all decrypt.
DEV_FIELD_KEY = "c2hlcXUtZGV2ZWxvcG1lbnQtZmllbGQta2V5LTMyYg=="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [] if PRODUCTION else [DEV_FIELD_KEY])
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is required in production")

# Key of the audit log's keyed hashes (each row's and the chain's): keep it for as long as the log is kept.
DEV_AUDIT_KEY = "shequ-development-audit-key-do-not-use-in-production"
AUDIT_KEY = env_str("AUDIT_KEY", None if PRODUCTION else DEV_AUDIT_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_prometheus",
    "shequ.core",
    "shequ.orgs",
    "shequ.accounts",
    "shequ.audit",
    "shequ.ledgers",
    "shequ.residents",
    "shequ.plans",
    "shequ.records",
    "shequ.cases",
    "shequ.portal",
    "shequ.surveys",
    "shequ.groups",
    "shequ.education",
    "shequ.letters",
    "shequ.documents",
    "shequ.care",
    "shequ.reports",
    "shequ.assessment",
    "shequ.dossier",
    "shequ.site",
]

MIDDLEWARE = [
    # First and last: django-prometheus times the whole request (/metrics, shequ/core/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id, the request's log line and its slow queries (shequ/core/logs.py).
    "shequ.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "shequ.core.middleware.RejectNulBytesMiddleware",
    "shequ.core.images.PixelBudgetMiddleware",
    "shequ.core.middleware.StatementTimeoutMiddleware",
    "shequ.core.replica.PinAfterWriteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shequ.accounts.middleware.SessionLimitMiddleware",
    "shequ.accounts.middleware.MembershipMiddleware",
    "shequ.accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: both explain why they send the user elsewhere.
    "shequ.accounts.middleware.SecondFactorMiddleware",
    "shequ.accounts.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shequ.audit.middleware.RefusalAuditMiddleware",
    # axes last, as its documentation asks (django-prometheus's counting only reads the response after it).
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "shequ.urls"
WSGI_APPLICATION = "shequ.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shequ" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "shequ.site.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or any dj-database-url URL) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "shequ.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# A PostgreSQL read replica (DATABASE_REPLICA_URL) serves the reads of the pages that may be seconds stale
# (shequ/core/replica.py): the workbench, the overviews, the ledgers. Writes, forms and the pages a browser opens
# within REPLICA_PIN_SECONDS of writing read the primary. In the tests the replica is a mirror of the test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (a replica of PostgreSQL)")
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["shequ.core.replica.ReplicaRouter"]
# django-prometheus's wrapper of the same engine counts queries, their time and errors for /metrics.
for _db in DATABASES.values():
    _db["ENGINE"] = _db["ENGINE"].replace("django.db.backends.", "django_prometheus.db.backends.", 1)
# /metrics answers scrapers only: these addresses (reached directly, not through a proxy) or the bearer token.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
PROMETHEUS_LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, float("inf"))

# A runaway query cannot hold a worker: on PostgreSQL, web requests' statements are cancelled after
# DB_STATEMENT_TIMEOUT seconds (503 "查询超时，请缩小范围"), well before gunicorn kills the worker after
# WEB_TIMEOUT seconds (gunicorn.conf.py reads the same variable). Set them together; 0 turns the first off.
WEB_TIMEOUT = env_int("WEB_TIMEOUT", 30)
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shequ.accounts.backends.UsernameOrPhoneBackend",
]
# The password policy (shequ/accounts/passwords.py): 8+ characters of three classes, nothing of the account's
# name, phone or pinyin, nothing common; staff change it at first login and every PASSWORD_MAX_AGE_DAYS days.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "shequ.accounts.passwords.ComplexityValidator"},
    {"NAME": "shequ.accounts.passwords.PersonalInfoValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "shequ.accounts.passwords.CommonListValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# The second factor (TOTP): the name authenticator apps show.
OTP_TOTP_ISSUER = "社区工作平台"
# Demo accounts keep their published password and may skip the second factor's enrolment: development only.
DEMO_ACCOUNTS_RELAXED = env_bool("DEMO_ACCOUNTS_RELAXED", not PRODUCTION)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions: idle timeout (cookie age renewed on every request) and an absolute limit.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock the account (by username, whatever the IP) after 5 failures, for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "shequ.accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None
# Failed logins per client address, counted before any account's lockout (an office behind one NAT address
# shares it, so it is set above what one office mistypes in a morning).
LOGIN_IP_RATE = env_str("LOGIN_IP_RATE", "20/15m")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "shequ" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Where `manage.py backup` writes its archives when it is not given a path.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))


def s3_media_storage(bucket: str, *, endpoint_url: str = "", region: str = "", addressing_style: str = "") -> dict:
    """The media storage on an S3-compatible store (django-storages). Nothing is served from the bucket directly:
    every file goes through a view that checks its object's scope, so the bucket stays private."""
    if addressing_style not in ("", "path", "virtual"):
        raise ImproperlyConfigured("MEDIA_S3_ADDRESSING_STYLE must be path or virtual (or unset)")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "addressing_style": addressing_style or None,
            "default_acl": None,
            "querystring_auth": True,
            # A stored file opened for reading is copied into memory up to this size, into a temporary file beyond.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }


# Media on any S3-compatible store when MEDIA_S3_BUCKET is set (MinIO, Ceph RGW, Alibaba OSS, Tencent COS …),
# with boto3's usual credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); else in MEDIA_ROOT.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
default_storage = (
    s3_media_storage(
        MEDIA_S3_BUCKET,
        endpoint_url=env_str("MEDIA_S3_ENDPOINT_URL", ""),
        region=env_str("MEDIA_S3_REGION", ""),
        addressing_style=env_str("MEDIA_S3_ADDRESSING_STYLE", ""),
    )
    if MEDIA_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Residents import: spreadsheets are read whole, so larger ones are refused with a request to split them
# (a csv is read as a stream at any size); how many rows one import takes.
RESIDENTS_IMPORT_MAX_SHEET_MB = env_int("RESIDENTS_IMPORT_MAX_SHEET_MB", 10)
RESIDENTS_IMPORT_MAX_ROWS = env_int("RESIDENTS_IMPORT_MAX_ROWS", 1_000_000)
# Uploaded import files are kept sealed (encrypted) only while their import needs them, and never longer than this.
RESIDENTS_IMPORT_RETENTION_DAYS = env_int("RESIDENTS_IMPORT_RETENTION_DAYS", 7)
# Persons who moved away or died this many years ago are anonymised by manage.py anonymise_persons (0: never).
RESIDENTS_RETENTION_YEARS = env_int("RESIDENTS_RETENTION_YEARS", 5)
# The dashboards of a street or a district read each target's last worked-out state (plans.TargetStanding) for at
# most this many seconds; `manage.py plans_standings`, run more often than that, keeps them fresh.
PLANS_STANDING_MAX_AGE = env_int("PLANS_STANDING_MAX_AGE", 600)
# Target definitions the process that works out the standings keeps between runs (about 2 KB each): a district's
# year fits; a city's task worker sets its number of targets.
PLANS_KEPT_TARGETS = env_int("PLANS_KEPT_TARGETS", 20_000)
# Uploaded images: the most pixels one image may have (read from its header, before it is decoded) and the most
# all images of one request may have together.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
IMAGE_MAX_PIXELS_PER_REQUEST = env_int("IMAGE_MAX_PIXELS_PER_REQUEST", 160_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# The task queue: django-tasks' database backend (the default, nothing more to run than `manage.py db_worker`) or,
# with TASKS_BACKEND=rq and REDIS_URL, RQ on Redis (`manage.py rqworker`); both carry the enqueuing request's id to
# the worker (shequ/core/tasks.py). Any other value is a backend's dotted path.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
# `manage.py schedule` prunes the audit log of rows older than this many days, daily (0: never; at least
# AUDIT_RETENTION_DAYS).
AUDIT_PRUNE_DAYS = env_int("AUDIT_PRUNE_DAYS", 0)
TASKS = {
    "default": {
        "BACKEND": {"database": "shequ.core.tasks.DatabaseBackend", "rq": "shequ.core.tasks_rq.RQBackend"}.get(
            TASKS_BACKEND, TASKS_BACKEND
        ),
        "QUEUES": ["default"],
    }
}

# Redis (REDIS_URL) makes the web processes stateless: the cache (rate limits, refusal counts, phone codes), the
# progress of long imports and the sessions are shared by every process on every machine. Without it the cache
# is each process's own memory and the sessions live in the database; it holds the figures kept per org (every
# community's care figures and card, every street's and district's counts), so not Django's default of 300 entries,
# which a district of 200 communities outgrows (the oldest thrown away, worked out again by the next reader).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "shequ"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
    ),
    # Progress of long imports, shared between the task worker and the web processes.
    "progress": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "progress"}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("PROGRESS_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "progress")),
        }
    ),
}
# Sessions: "db" (the database), "cached_db" (read from Redis, written through to the database: the default with
# Redis, a Redis restart logs nobody out) or "cache" (Redis alone: no database write per request; Redis must then
# keep its data, AOF on).
SESSION_STORE = env_str("SESSION_STORE", "cached_db" if REDIS_URL else "db")
if SESSION_STORE not in ("db", "cached_db", "cache"):
    raise ImproperlyConfigured(f"SESSION_STORE must be db, cached_db or cache, got {SESSION_STORE!r}")
if SESSION_STORE != "db" and not REDIS_URL:
    raise ImproperlyConfigured(f"SESSION_STORE={SESSION_STORE} needs REDIS_URL")
SESSION_ENGINE = f"django.contrib.sessions.backends.{SESSION_STORE}"
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS.append("django_rq")
    # The longest task (a street's dossier, an import of a million rows) must end within TASK_TIMEOUT seconds: RQ
    # stops a job that runs longer (its own default is three minutes).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("TASK_TIMEOUT", 3600)}}
    # `manage.py rqworker default` runs django-tasks' tasks (the job class that calls a task and sends its signals).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# Content-Security-Policy: only our own files, inline scripts only with the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Audit rows younger than this can never be deleted.
AUDIT_RETENTION_DAYS = 180
# A burst of refusals (403/404) from one account alerts the administrators above it (the bell).
REFUSAL_ALERT_COUNT = env_int("REFUSAL_ALERT_COUNT", 20)
REFUSAL_ALERT_MINUTES = env_int("REFUSAL_ALERT_MINUTES", 10)

# Logs: one line per request with its id (shequ/core/logs.py); JSON lines in production, readable text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
SLOW_REQUEST_MS = env_int("SLOW_REQUEST_MS", 1000)
SLOW_QUERY_MS = env_int("SLOW_QUERY_MS", 200)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shequ.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "shequ.core.logs.JsonFormatter"},
        "text": {"()": "shequ.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Accounts are locked by username (AXES_LOCKOUT_PARAMETERS); an office behind one NAT address must
# not lock each other out, so the IP-based lockout that axes.W006 asks for is deliberately off.
# HSTS preload (security.W021) is a commitment of the domain's owner (its submission to the browsers' list), not
# a default: SECURE_HSTS_PRELOAD=true sets it; without, the deploy check is not failed for it.
# The records' community index carries the title and area on PostgreSQL (INCLUDE); the embedded SQLite keeps the
# index without them, which models.W040 would report on every command.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    "security.W021",
    *(["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []),
]

# Text messages (shequ/core/sms.py): "console" writes them to the log; "http" posts them to an SMS gateway.
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
# One-time codes to a phone: how long they live, wrong tries allowed, requests per client address.
PHONE_CODE_MINUTES = env_int("PHONE_CODE_MINUTES", 10)
PHONE_CODE_TRIES = 5
PHONE_CODE_IP_RATE = env_str("PHONE_CODE_IP_RATE", "10/h")
# Residents register themselves on the portal only where codes reach their phones (not through the console).
PORTAL_SELF_REGISTRATION = env_bool("PORTAL_SELF_REGISTRATION", not PRODUCTION or SMS_BACKEND != "console")

# API tokens (staff only) expire after at most this many days.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 90)

# API paging: bounded so that no request can ask for an absurd page.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_MAX_OFFSET = 100_000_000
