"""Settings for the contact-center configuration service.

Everything that differs between a laptop and production comes from environment variables, read
strictly (see contactcenter/env.py). With none set, the project runs on an SQLite file and local
storage in the data folder, so a newcomer needs no setup at all.
"""

import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from contactcenter.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "contactcenter.apps.ContactCenterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-import-export is a library here (config_objects' Resources and widgets), not an app: its
    # admin mixins and its `import` / `export` commands would write around the bulk engine (no job, no
    # history, no row-level report), and the admin's autodiscovery of its admin module (tablib's
    # formats: openpyxl, yaml) cost every command 0.05 s of its start.
    "simple_history",
    "django_q",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # dalf: list filters over references that search as the user types (config_objects/admin_lists.py).
    "dalf",
    "config_objects",
    "bulkops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of each request: the admin's language switch (kept in the session/cookie), else
    # the browser's Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "contactcenter.urls"
WSGI_APPLICATION = "contactcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web process and the worker share one file: WAL lets readers go on while a job writes,
        # and the busy timeout makes a writer wait for the other instead of failing at once.
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests get a file, not memory, so that a worker process or a browser's server can share it.
        config["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(f"DATABASE_URL names {config['ENGINE']}; use postgres://... or sqlite:///...")
    return config


DATABASES = {"default": _database(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The history tables' job index carries each record's type for PostgreSQL's index-only counts;
# SQLite builds the same index without it, which is all models.W040 says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The product speaks English and Serbian in Latin script (SPEC section 10). LANGUAGE_CODE is the
# default: what commands, the worker's messages for jobs without a submitter and a browser that
# asks for neither language get. The Serbian catalogue is locale/sr_Latn (see README, "Languages").
LANGUAGES = [("en", "English"), ("sr-latn", "Serbian Latin")]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en").lower().replace("_", "-")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of the product's languages: {', '.join(dict(LANGUAGES))}."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only needed by `collectstatic`; WhiteNoise otherwise serves straight from the apps.
STATIC_ROOT = env_str("STATIC_ROOT", "") or None

# Uploaded and generated files live here. No URL serves this folder: files reach users only through
# views that check permissions, so MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "files"))).resolve()
MEDIA_URL = "/private-files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3 (or any S3-compatible store) instead of the local disk, for uploads, job files and audio, when
# S3_BUCKET is set: several hosts then share one bucket. Objects are private; nothing is public.
S3_BUCKET = env_str("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "region_name": env_str("S3_REGION", "") or None,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# WhiteNoise serves the admin's CSS and JavaScript straight from the installed apps, in development
# and production alike, so no collectstatic step or separate static host is needed.
WHITENOISE_USE_FINDERS = True

# HTTPS=true when the site is served over TLS (directly or behind a proxy that sets
# X-Forwarded-Proto): secure cookies, HSTS and the redirect from plain HTTP.
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Bulk operations. Limits are per file; a job that stops beating for BULK_STALE_SECONDS is failed.
BULK_MAX_ROWS = env_int("BULK_MAX_ROWS", 1_000_000, minimum=1)
BULK_MAX_FILE_BYTES = env_int("BULK_MAX_FILE_MB", 200, minimum=1) * 1_000_000
BULK_CHUNK_ROWS = env_int("BULK_CHUNK_ROWS", 2000, minimum=1)
BULK_BATCH_SIZE = env_int("BULK_BATCH_SIZE", 1000, minimum=1)
# Change history (SPEC section 8). Reverting an object to an old version from its History page
# would go around the bulk rules; a whole job is reverted as a job instead.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_DATE_INDEX = False
# Off only to measure what history costs (the benchmark): bulk jobs then record no history and no
# changes, so there is nothing to preview or revert.
BULK_HISTORY = env_bool("BULK_HISTORY", True)
# On PostgreSQL a chunk is written on a thread of its own while the next is planned; off only to
# measure what that gains (the benchmark).
BULK_OVERLAP = env_bool("BULK_OVERLAP", True)
BULK_HEARTBEAT_SECONDS = env_int("BULK_HEARTBEAT_SECONDS", 5, minimum=1)
BULK_STALE_SECONDS = env_int("BULK_STALE_SECONDS", 20, minimum=2)
BULK_QUEUE_TIMEOUT_SECONDS = env_int("BULK_QUEUE_TIMEOUT_SECONDS", 600, minimum=10)
BULK_JOB_TIMEOUT_SECONDS = env_int("BULK_JOB_TIMEOUT_SECONDS", 6 * 3600, minimum=60)
# Scheduled imports watch folders under this root of file storage, and nowhere else.
SCHEDULED_IMPORTS_ROOT = env_str("SCHEDULED_IMPORTS_ROOT", "imports").strip("/") or "imports"
AUDIO_MAX_TOTAL_BYTES = env_int("AUDIO_MAX_TOTAL_MB", 500, minimum=1) * 1_000_000
AUDIO_MAX_RATIO = env_int("AUDIO_MAX_RATIO", 100, minimum=1)
# True runs a submitted job at once in the submitting process (tests, one-off scripts).
BULK_JOBS_SYNC = env_bool("BULK_JOBS_SYNC", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024


def _redis_url() -> str:
    """REDIS_URL, checked strictly: redis://[:password@]host[:port][/db], rediss://... (TLS) or
    unix:///path/to/socket[?db=N]. Redis's own parser takes redis://host/abc as database 0 and
    redis://host/1/2 as database 12, so the URL is checked here. The message never repeats the URL (it
    may hold a password)."""
    url = env_str("REDIS_URL", "")
    problem = _redis_url_problem(url) if url else ""
    if problem:
        raise ImproperlyConfigured(
            f"REDIS_URL is not usable: {problem}. Use redis://host:6379/0 (rediss:// for TLS, unix:///path.sock)."
        )
    return url


def _redis_url_problem(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        return "it does not start with redis://, rediss:// or unix://"
    try:
        _port = parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError:
        return "its port is not a number from 0 to 65535"
    numbers = parse_qs(parts.query).get("db", [])
    if parts.scheme == "unix":
        if not parts.path:
            return "a unix:// URL needs the path of the socket"
    elif not parts.hostname:
        return "it names no host"
    elif parts.path.strip("/"):
        numbers.append(parts.path.strip("/"))
    if any(not re.fullmatch(r"[0-9]+", number) for number in numbers):
        return "its database number is not a whole number"
    return ""


# django-q2 runs bulk jobs. Its queue is a table of the project's database (no Redis needed), or a
# Redis list when REDIS_URL is set; bulkops/worker/queue.py reads either, and nothing else changes: the
# one-active-job rule is the database's. One worker, so jobs run one at a time; retry comes after the
# timeout, and a task is tried once, so a long job is never handed out twice.
REDIS_URL = _redis_url()
# The queue's name (the Redis list django_q:NAME:q, or the ORM queue's key): sites sharing one Redis
# database need different names. It is also django-q2's "name": its scheduler runs schedules that name
# no cluster only where the cluster's name equals "name", so two different values would leave every
# scheduled import unrun. Tasks are signed with it (and SECRET_KEY): every host of a site sets the same.
Q_CLUSTER_NAME = env_str("Q_CLUSTER_NAME", "contactcenter")
if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", Q_CLUSTER_NAME):
    raise ImproperlyConfigured(
        f"Q_CLUSTER_NAME={Q_CLUSTER_NAME!r} may hold only letters, digits, '.', '_' and '-' (at most 100)."
    )
Q_CLUSTER = {
    "name": Q_CLUSTER_NAME,
    "cluster_name": Q_CLUSTER_NAME,
    "workers": 1,
    "recycle": 50,
    "timeout": BULK_JOB_TIMEOUT_SECONDS,
    "retry": BULK_JOB_TIMEOUT_SECONDS + 300,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    # How long the idle worker waits between looks at the ORM queue: on SQLite a submitted job starts
    # within it (on PostgreSQL at once: the queued task's notification wakes the worker). One indexed
    # query per look; 0.2 s starts a small job at once without loading the database. (On Redis the
    # worker waits on the list itself and takes a task as it is pushed.)
    "poll": env_int("BULK_WORKER_POLL_MS", 200, minimum=10) / 1000,
    "log_level": "WARNING" if BULK_JOBS_SYNC else "INFO",
}
if REDIS_URL:
    # django-q2's Redis broker, pushing a task when the transaction that queued it commits and keeping
    # a taken task visible until its worker is done with it (bulkops/worker/redis_broker.py).
    Q_CLUSTER |= {"redis": REDIS_URL, "broker_class": "bulkops.worker.redis_broker.RedisBroker"}
else:
    # The database's queue table, read as soon as a task is queued on PostgreSQL (bulkops/worker/queue.py).
    Q_CLUSTER |= {"orm": "default", "broker_class": "bulkops.worker.queue.DatabaseBroker"}

# The HTTP API (SPEC section 9): a token per user (managed in the admin, or `manage.py
# drf_create_token USER`) or the admin's session; JSON only, errors as {"detail": "..."}.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["bulkops.api.access.IsActiveStaff"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.MultiPartParser", "rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bulkops.api.errors.json_errors",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contact Center bulk operations API",
    # What the API's readers see (the schema and /api/v1/docs/): the product's words, never the SPEC's.
    "DESCRIPTION": (
        "Bulk import and export jobs of the contact-center configuration objects: submit a file, follow its "
        "job, download its errors and changes, revert it. Every request carries a token (Authorization: "
        "Token <key>), made in the admin (Auth Token: Tokens) for an active staff login."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
