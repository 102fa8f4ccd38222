"""Crossroads settings: one module, read from the environment.

Unset, every variable falls back to the embedded default (SQLite under var/, in-memory
channel layer, local-memory cache, console e-mail). Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, SITE_URL and EMAIL_URL; see platform/.env.example.
"""

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # Said in one line, so that the process manager's log shows exactly what to fix.
        sys.exit("Crossroads refuses to start: SECRET_KEY is not set and DEBUG is off. "
                 "Set SECRET_KEY in the environment (see platform/.env.example).")
    SECRET_KEY = "development-only-key-never-used-when-debug-is-off-0123456789abcdef"

# `make run` serves on PORT; unless SITE_URL says otherwise, links in mails and iCal feeds follow it.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
SITE_NAME = "Crossroads"  # in mails and page titles
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_countries",
    "csp",
    "core",
    "accounts",
    "moderation",
    "directory",
    "events",
    "forums",
    "chat",
    "expertise",
    # After core: core's db_worker command extends the package's (retries, heartbeats, lost jobs).
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The page's language: the member's profile, else the visitor's cookie or Accept-Language.
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.MemberMiddleware",
    "core.audit.AuditMiddleware",
    "accounts.middleware.LoginToContinueMiddleware",
    "core.middleware.SiteErrorPagesUnderDebugMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that its 400 pages get every header the others add.
    "core.errors.InputMiddleware",
]

# Django's form templates, with selects written in Python (a country or time zone select is hundreds of options).
FORM_RENDERER = "core.formrenderer.FormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.site",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'crossroads.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Kept on purpose: with persistent connections, Django checks a reused connection with one `SELECT 1` before the
# request's first query, so a PostgreSQL restart or failover, or a connection an idle timeout closed, costs a
# reconnect instead of one failed request per worker. Its cost was within the noise in-process (the member's
# practice page: 28.5-29.8 ms of CPU with it, 29.6-30.7 without; bench/results/FINDINGS.md, "Caching"). Without
# persistent connections (CONN_MAX_AGE=0, and SQLite below) there is no reused connection and no check.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; the timeout lets a second writer wait.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # In a file, not in memory: the chat's live tests start ASGI server processes that share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_crossroads.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

REDIS_URL = env.str("REDIS_URL", default="")
# The channel layer's Redis read timeout outlasts channels-redis's 5 s blocking pop (redis-py 8's default of
# 5 s raced it and dropped idle sockets), and still bounds a hung Redis: the consumer then ends and the client
# reconnects. chat.layers.CancellableConnection keeps a finite timeout from losing a socket's cancellation on
# Python 3.11 (the consumer that never ended, the test hang; see its module's docstring).
CHANNEL_LAYER_READ_TIMEOUT = env.float("CHANNEL_LAYER_READ_TIMEOUT", default=15.0)
# Seconds a socket's channel-layer group membership lasts without a heartbeat (the client pings every 25 s).
CHAT_GROUP_EXPIRY = 300
# How long a chat write over HTTP may wait for its live broadcast before giving up (the message is saved
# either way, and sockets catch up from the database).
CHAT_BROADCAST_TIMEOUT = 1.0
# Threads (each with a database connection) per ASGI worker for the chat sockets' database work.
CHAT_DB_THREADS = env.int("CHAT_DB_THREADS", default=4)
if REDIS_URL:
    # With Redis unreachable the cache logs, misses and drops writes instead of failing the request;
    # the short timeouts bound what an outage costs a request.
    CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "crossroads",
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    # redis-py 8 reads with a 5 s socket timeout by default, and channels-redis waits for a socket's next
    # message with a 5 s blocking pop: the read timed out as the pop ended, and every idle socket died.
    # The read timeout must outlast the blocking pop; it still bounds a hung Redis (the consumer then ends
    # and the client reconnects). A group membership lasts GROUP_EXPIRY unless its socket's heartbeat renews
    # it, so a socket that vanished without cleanup stops costing group sends within minutes, not a day.
    # chat.layers: channels-redis with a commit's events sent as one batch per worker process.
    CHANNEL_LAYERS = {"default": {"BACKEND": "chat.layers.ChatChannelLayer",
                                  "CONFIG": {"hosts": [{"address": REDIS_URL,
                                                        "socket_timeout": CHANNEL_LAYER_READ_TIMEOUT,
                                                        "socket_connect_timeout": 2}],
                                             "prefix": "crossroads", "capacity": 1500, "expiry": 60,
                                             "group_expiry": CHAT_GROUP_EXPIRY}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "crossroads"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Rendered pages and fragments in the cache, under versioned keys (core/versions.py): visitors' public pages whole
# (core/pagecache.py), members' shared sections (core/fragments.py). CACHE_SECONDS bounds what no service bumps
# (time passing, writes outside the services); event pages use a minute. Off, every page is rendered afresh.
CACHE_RENDERED = env.bool("CACHE_RENDERED", default=True)
CACHE_SECONDS = env.int("CACHE_SECONDS", default=300)

# --- Accounts --------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Crossroads] "
# allauth's defaults limit log-in failures, sign-ups, password resets and confirmation mails;
# they count in the cache, which is shared by every process when REDIS_URL is set.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# In production nginx proxies to the workers on 127.0.0.1 and appends the client's address to
# X-Forwarded-For (platform/nginx/crossroads.conf): allauth must take the client's address from there,
# or every visitor shares the proxy's address and one client's failed log-ins lock everyone out.
# One proxy in front by default with DEBUG off; 0 for `make run`, where nothing stands in front.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Crossroads"

# --- Internationalisation and time ---------------------------------------------------------

# The six official UN languages, each named in itself (the language menu shows these names). Only
# languages whose catalogues are complete are listed (tests/core/test_translations.py); see README, Languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"),
             ("ru", "Русский"), ("zh-hans", "中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A visitor's menu choice; a member's lives in the profile (accounts.middleware.LanguageMiddleware).
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Named date formats per language; only English's are the project's own (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Static and uploaded files -------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Files sent with a chat message: each at most this size, at most CHAT_MAX_FILES per message.
CHAT_FILE_MAX_BYTES = env.int("CHAT_FILE_MAX_BYTES", default=5 * 1024 * 1024)
CHAT_MAX_FILES = env.int("CHAT_MAX_FILES", default=4)

# --- E-mail ------------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Crossroads <no-reply@crossroads.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ----------------------------------------------------------------------
# Django's tasks framework (the django-tasks backport). By default jobs are rows in the database
# (django-tasks-db) and `manage.py db_worker` runs them; `make run` starts one beside the server.
# Larger sites may queue in Redis instead: TASKS_BACKEND=rq (platform/SCALING.md).

TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL: RQ keeps its queues in Redis.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {name: {"URL": env.str("RQ_URL", default="") or REDIS_URL, "DEFAULT_TIMEOUT": 600}
                 for name in TASKS["default"]["QUEUES"]}
# A transient failure (the mail server refusing, a timeout) is tried again after 30 s, 60 s, 120 s, ...
# up to TASKS_MAX_ATTEMPTS runs in all; then the job is marked failed with its error (admin: Task results).
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=6)
TASKS_RETRY_BACKOFF_SECONDS = env.float("TASKS_RETRY_BACKOFF_SECONDS", default=30)
TASKS_RETRY_BACKOFF_MAX_SECONDS = env.float("TASKS_RETRY_BACKOFF_MAX_SECONDS", default=3600)
# Each worker writes a heartbeat; a running job whose worker has not beaten for TASKS_WORKER_TIMEOUT_SECONDS
# (killed, machine lost) is put back in the queue for another worker.
TASKS_HEARTBEAT_SECONDS = env.float("TASKS_HEARTBEAT_SECONDS", default=10)
TASKS_WORKER_TIMEOUT_SECONDS = env.float("TASKS_WORKER_TIMEOUT_SECONDS", default=60)
# Fan-out tasks create notifications and mails for this many recipients at a time.
TASKS_FANOUT_BATCH = env.int("TASKS_FANOUT_BATCH", default=200)

# --- API ---------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.drf.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.drf.exception_handler",
    # DRF's parsers, refusing with 400 bodies too deep to parse and text the database cannot store.
    "DEFAULT_PARSER_CLASSES": ["core.drf.JSONParser", "core.drf.FormParser", "core.drf.MultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Crossroads API",
    "DESCRIPTION": "Directory, clearinghouse, events, forums, chat and expertise exchange of the Crossroads platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every error body, documented once (core.errors, core.drf).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.drf.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.models.Event.Status",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "EventKindEnum": "events.models.Event.Kind",
        "PracticeStatusEnum": "directory.models.Practice.Status",
        "ResourceKindEnum": "directory.models.Resource.Kind",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
        "ContentLanguageEnum": "directory.models.LANGUAGE_CHOICES",
        "EventVisibilityEnum": "events.models.Event.Visibility",
        "SupportRequestKindEnum": "expertise.models.SupportRequest.Kind",
        "SupportRequestStatusEnum": "expertise.models.SupportRequest.Status",
        "SupportRequestVisibilityEnum": "expertise.models.SupportRequest.Visibility",
        "WorkLanguageEnum": "expertise.models.WORK_LANGUAGES",
    },
}

# --- Security ----------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# No inline script or style anywhere, nothing from another origin: the page's own files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, "ws:", "wss:"] if DEBUG else [SELF, "wss:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_traceback_below_500": {"()": "core.logfilters.NoTracebackBelow500"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["no_traceback_below_500"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

if not DEBUG and SECRET_KEY.startswith("development-only"):
    raise ImproperlyConfigured("The development SECRET_KEY must not be used with DEBUG off.")

# --- Events ------------------------------------------------------------------------------

# Minutes before an event's start at which registrants are reminded, unless the event sets its own.
EVENTS_REMINDER_OFFSETS_MINUTES = env.list("EVENTS_REMINDER_OFFSETS_MINUTES", cast=int, default=[24 * 60, 60])
# How long a registration waits for another one holding the event's seat lock before it gives up.
EVENTS_LOCK_TIMEOUT_SECONDS = env.float("EVENTS_LOCK_TIMEOUT_SECONDS", default=10.0)
# Certificates of attendance are drawn with these fonts, from Debian packages (`make fonts`):
# fonts-noto-core covers Latin, Cyrillic and Arabic, fonts-wqy-microhei Chinese. The first is the main font,
# the others fill in the characters it lacks.
EVENTS_CERTIFICATE_FONTS = env.list("EVENTS_CERTIFICATE_FONTS", default=[
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
])
