"""Settings for the emulation portal, driven entirely by the environment.

With no environment at all the portal runs embedded: SQLite under ``var/``, media under
``var/media/``, Celery tasks executed eagerly, e-mail printed to the console. Every
variable is documented in ``.env.example``. A secret may be given directly (``NAME``) or
as a path to a file holding it (``NAME_FILE``), as container secrets are mounted.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from emulation_portal.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

# DJANGO_DEBUG (default true) is the embedded development mode: a development secret,
# plain-HTTP cookies, static files served from the apps' folders. Django's own DEBUG (its
# technical pages, which show code and settings) stays off unless DJANGO_DEBUG_PAGES asks for
# it, so even the default run answers with the portal's Vietnamese 403/404/500 pages.
DEV_MODE = env_bool("DJANGO_DEBUG", True)
DEBUG = DEV_MODE and env_bool("DJANGO_DEBUG_PAGES", False)

_DEV_SECRET = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env("DJANGO_SECRET_KEY", _DEV_SECRET if DEV_MODE else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "emulation_portal",
    "units",
    "campaigns",
    "awards",
]

MIDDLEWARE = [
    # First, so that a database still busy after its timeout answers 503 wherever it shows.
    "emulation_portal.busy.BusyDatabaseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the user chose English; browsers' Accept-Language is not asked.
    "emulation_portal.language.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emulation_portal.urls"
WSGI_APPLICATION = "emulation_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "emulation_portal.nav.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        # Persistent connections: a new PostgreSQL connection per request cost the home page
        # about half its time. Checked before reuse, so a dropped connection is replaced.
        # Behind pgbouncer in transaction mode, see the README's production section.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
# WAL lets the server read while a long import writes; the busy timeout (seconds) rides out
# short locks. IMMEDIATE: a transaction takes the write lock at BEGIN, waiting for it there.
# Begun deferred, a transaction that read first and then writes while another writer holds
# the lock fails at once with "database is locked", whatever the timeout. What still waits
# past the timeout answers 503 (emulation_portal.busy).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "emulation_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins lock the username, from that address, for a while (django-axes).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# A username is locked only from the address that failed: by username alone anyone could
# lock out a named account (the office's) at will. The cost: staff behind one NAT address
# share a lock for an account, and a guesser rotating addresses gets 5 tries from each.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address (django-ipware): REMOTE_ADDR, unless a reverse proxy in front sets a
# header the client cannot: then e.g. AXES_CLIENT_IP_HEADERS=HTTP_X_REAL_IP,REMOTE_ADDR with
# nginx's `proxy_set_header X-Real-IP $remote_addr`. Never X-Forwarded-For as it comes: a
# client writes its start, and would choose the address it is locked by.
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_CLIENT_IP_HEADERS", ["REMOTE_ADDR"])

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves static files straight from the apps' folders (no
# collectstatic needed), as runserver does with DEBUG on.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEV_MODE
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEV_MODE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "thidua@localhost")

# --- Security: strict by default outside the development mode ----------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEV_MODE:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Pages load nothing from outside the site: ministries run closed networks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad token a 401 (with
    # the session class first DRF answers 403, as the session class has no such header).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "emulation_portal.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "emulation_portal.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
    # A service's Django ValidationError is a 400 with its messages, for every viewset.
    "EXCEPTION_HANDLER": "emulation_portal.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Thi đua - Khen thưởng API",
    "DESCRIPTION": "Units, people, campaigns, pledges, eligibility and nominations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page describe the whole API: for logged-in callers only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
# With no broker the portal works alone: tasks run in-process, errors surface at once.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager calls still borrow a producer; without a URL Celery would build one for
    # amqp://localhost and warn on every enqueue. The in-memory transport never leaves the process.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "portal")
# PDF rendering is slow and CPU-bound: a queue of its own, so it never holds up mail,
# imports or eligibility, and can get workers of its own (README, "Processes").
PORTAL_PDF_QUEUE = env("PORTAL_PDF_QUEUE", "pdf")
PORTAL_PDF_TASKS = ("decisions.render_*", "dossiers.*")
CELERY_TASK_ROUTES = {name: {"queue": PORTAL_PDF_QUEUE} for name in PORTAL_PDF_TASKS}
CELERY_TASK_ACKS_LATE = False  # only idempotent tasks opt in, per task
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that enqueues must answer at once even with the broker gone (jobs.py's outbox
# keeps the work): connecting and every socket read are bounded, and the Redis result
# backend gives up after a second or so instead of its default 20 reconnects (about 19 s).
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": env_int("CELERY_BROKER_SOCKET_TIMEOUT", 5),
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = env_int("CELERY_BROKER_SOCKET_TIMEOUT", 5)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "awards-nightly-verdicts": {
        "task": "awards.nightly_verdicts",
        "schedule": crontab(hour=2, minute=0),
    },
    "nominations-deadline-reminders": {
        "task": "nominations.remind_deadlines",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"days": 3},
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # An expected 403/404 is one line: no traceback for a refusal the portal meant to give.
    "filters": {"expected_refusal": {"()": "emulation_portal.logfilters.ExpectedRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["expected_refusal"]},
        # WeasyPrint logs each rendering step and fontTools each subsetting step at INFO:
        # hundreds of lines per PDF.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- The portal ---------------------------------------------------------------------------
PORTAL_ISSUING_BODY = env("PORTAL_ISSUING_BODY", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
PORTAL_DOCUMENT_SYMBOL = env("PORTAL_DOCUMENT_SYMBOL", "BNNMT")
PORTAL_PLACE = env("PORTAL_PLACE", "Hà Nội")
