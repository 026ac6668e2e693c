"""Settings for QuestionsRT.

With no environment set, the project runs as a local demo: DEBUG on, SQLite and the
in-memory channel layer. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL) and REDIS_URL (channels-redis); see docs/deploy.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from QuestionsRT.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

_DEMO_SECRET_KEY = "demo-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or (_DEMO_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEMO_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "csp",
    "django_bootstrap5",
    "usuarios",
    "preguntas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "QuestionsRT.security.SocketOriginCSPMiddleware",
    "QuestionsRT.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "QuestionsRT.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = None
ASGI_APPLICATION = "QuestionsRT.asgi.application"

_DATABASE_URL = env_str("DATABASE_URL")
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # Browser tests serve the app from another process: SQLite must be on disk.
            "TEST": {"NAME": BASE_DIR / "db-test.sqlite3"},
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
        }
    }

_REDIS_URL = env_str("REDIS_URL")
# CHANNEL_LAYER_BACKEND (with REDIS_URL): "pubsub" (default) or "core", the list-based
# RedisChannelLayer, kept selectable for the load benchmark (bench/run.sh --layer core).
_CHANNEL_LAYER_BACKENDS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
_CHANNEL_LAYER_BACKEND = env_str("CHANNEL_LAYER_BACKEND").strip().lower() or "pubsub"
if _CHANNEL_LAYER_BACKEND not in _CHANNEL_LAYER_BACKENDS:
    raise ImproperlyConfigured(f"CHANNEL_LAYER_BACKEND must be 'pubsub' or 'core', got {_CHANNEL_LAYER_BACKEND!r}")
if _REDIS_URL:
    # The pub/sub layer keeps one subscription per process; the list-based layer's
    # connection pool refused bursts of simultaneous connects (docs/performance.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": _CHANNEL_LAYER_BACKENDS[_CHANNEL_LAYER_BACKEND],
            "CONFIG": {"hosts": [_REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# django-axes refuses a locked (username, address) before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "usuarios:login"
LOGIN_REDIRECT_URL = "preguntas:aulas"
LOGOUT_REDIRECT_URL = "usuarios:login"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Question images, as preguntas/images.py re-encodes them. MEDIA_ROOT: beside the SQLite file in
# the local demo; in production a directory of its own, backed up with the database
# (docs/deploy.md). QRT_SERVE_MEDIA: the app serves /media/ itself (QuestionsRT/media.py), as
# the local demo needs; off, nginx serves it.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
if not MEDIA_ROOT.is_absolute():
    raise ImproperlyConfigured(f"MEDIA_ROOT must be an absolute path, got {str(MEDIA_ROOT)!r}")
MEDIA_URL = "/media/"
QRT_SERVE_MEDIA = env_bool("QRT_SERVE_MEDIA", default=DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Bootstrap is served from our own static files: classrooms may have no internet.
BOOTSTRAP5 = {
    "css_url": {"url": "/static/vendor/bootstrap/bootstrap.min.css"},
    "javascript_url": {"url": "/static/vendor/bootstrap/bootstrap.bundle.min.js"},
    "field_renderers": {"default": "preguntas.forms.FieldRenderer"},
}

# Email (password reset). Without EMAIL_HOST, messages are printed to the console (the log):
# the local demo needs no mail server. With it, they go out by SMTP (docs/deploy.md).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=not env_bool("EMAIL_USE_SSL", default=False))
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: SSL is port 465, STARTTLS port 587.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "QuestionsRT <no-reply@localhost>"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# Limits of the live quiz; docs/protocol.md documents the error each one produces.
QRT_MAX_FRAME_BYTES = env_int("QRT_MAX_FRAME_BYTES", 4096)
QRT_MAX_NAME_LENGTH = env_int("QRT_MAX_NAME_LENGTH", 40)
QRT_MAX_STUDENTS_PER_CLASSROOM = env_int("QRT_MAX_STUDENTS_PER_CLASSROOM", 3000)
QRT_RATE_LIMIT_FRAMES = env_int("QRT_RATE_LIMIT_FRAMES", 20)  # frames per window per socket
QRT_RATE_LIMIT_WINDOW = env_int("QRT_RATE_LIMIT_WINDOW", 5)  # seconds
QRT_TALLY_INTERVAL_MS = env_int("QRT_TALLY_INTERVAL_MS", 100)

# Security headers and login lockout (docs/security.md). Django's defaults already send
# nosniff, Referrer-Policy same-origin, COOP same-origin and X-Frame-Options DENY: spelled
# out so that changing one is deliberate. django-csp sends the Content-Security-Policy
# (QuestionsRT/security.py adds ws(s)://<host> to connect-src) and QuestionsRT/security.py
# the Permissions-Policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Scripts, styles, images and fonts from this site only, and a WebSocket back to it: no
# inline scripts, inline event handlers or inline styles, no eval, no framing, no plugins.
# Math needs nothing more: KaTeX and its fonts are served from here (static/vendor/katex/), and
# the few style attributes it sets go through the CSSOM, which style-src does not govern
# (static/js/math.js).
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's CSS draws a few icons (select arrows, close buttons) as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env_bool("QRT_CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = None, _CSP
else:
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP, None
# Login lockout by django-axes: failed passwords are counted in the database, which every
# server process shares, per username and client address. The login forms show the lock
# (usuarios/forms.py); AxesMiddleware answers for any other login that Axes refuses.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("QRT_LOGIN_MAX_FAILURES", 5)
# Failures are forgotten this long after the last one; a lock lasts this long after the failure that set it.
AXES_COOLOFF_TIME = timedelta(seconds=env_int("QRT_LOGIN_LOCKOUT_SECONDS", 900))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # retrying while locked does not make the lock longer
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "usuarios.lockout.username"
# The client address is REMOTE_ADDR, which Daphne's --proxy-headers takes from the
# X-Forwarded-For that nginx sets (docs/deploy.md); a header the client sends is never read.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_DISABLE_ACCESS_LOG = True  # failed attempts only, no log of every successful login
# Password-reset requests per email address per hour (ten times as many per client address;
# usuarios/views.py), counted in each process's cache.
QRT_PASSWORD_RESETS_PER_HOUR = env_int("QRT_PASSWORD_RESETS_PER_HOUR", 3)

if not DEBUG:
    # Production (docs/deploy.md): HTTPS ends at the reverse proxy, which says so in
    # X-Forwarded-Proto; Daphne serves plain HTTP on a local port or unix socket.
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (e.g. quiz.example.org).")
    _bad_origins = [origin for origin in CSRF_TRUSTED_ORIGINS if "://" not in origin]
    if _bad_origins:
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS needs full origins (https://host), got {_bad_origins}")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Health probes talk to each Daphne process directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is the domain owner's decision, hard to undo
        # (hstspreload.org), so it stays opt-in and check --deploy's reminder is silenced.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REFERRER_POLICY = "same-origin"
    # collectstatic writes here and WhiteNoise serves from here.
    STATIC_ROOT = Path(env_str("STATIC_ROOT") or STATIC_ROOT)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
