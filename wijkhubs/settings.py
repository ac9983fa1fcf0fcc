"""One settings module, driven by the environment (see .env.example).

Defaults make `make run` work on a bare machine (SQLite, file e-mail, a Celery
broker on the filesystem). With DEBUG off, unsafe values fail loudly.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-make-run-and-tests"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "accounts",
    "hubs",
    "scheduling",
    "questions",
    "proposals",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wijkhubs.middleware.DutchUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "audit.services.AuditContextMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "wijkhubs.urls"
# Django's form renderer with the plain widgets written in Python (wijkhubs/rendering.py).
FORM_RENDERER = "wijkhubs.rendering.FastWidgetRenderer"
WSGI_APPLICATION = "wijkhubs.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'wijkhubs.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue
    # instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Model choice fields read their options with .iterator(), which on PostgreSQL is a
    # server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a short list.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wijkhubs",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # No broker server needed: web and worker exchange messages as files.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    for _sub in ("processed", "control"):
        (VAR_DIR / "celery" / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "refresh-closing-days": {
        "task": "hubs.tasks.refresh_closing_days",
        "schedule": timedelta(hours=24),
    },
    "generate-shifts": {
        "task": "scheduling.tasks.generate_shifts",
        "schedule": timedelta(hours=6),
    },
    # Sweepers: each notification is claimed before it is sent, so running them
    # often (or twice) never sends twice.
    "shift-reminders": {
        "task": "scheduling.tasks.send_shift_reminders",
        "schedule": timedelta(minutes=30),
    },
    "understaffing-alerts": {
        "task": "scheduling.tasks.send_understaffing_alerts",
        "schedule": timedelta(minutes=30),
    },
    "callback-team-digests": {
        "task": "questions.tasks.send_team_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "callback-escalations": {
        "task": "questions.tasks.send_callback_escalations",
        "schedule": timedelta(hours=1),
    },
    "purge-callbacks": {
        "task": "questions.tasks.purge_callbacks",
        "schedule": crontab(hour=3, minute=15),
    },
    "purge-audit-and-sessions": {
        "task": "audit.tasks.purge_expired",
        "schedule": crontab(hour=3, minute=25),
    },
    "proposal-deadlines": {
        "task": "proposals.tasks.send_proposal_deadlines",
        "schedule": crontab(hour=8, minute=0),
    },
    "proposals-into-force": {
        "task": "proposals.tasks.bring_proposals_into_force",
        "schedule": crontab(hour=0, minute=10),
    },
    # Report figures: this week and last week every quarter of an hour, the last
    # eight weeks at night (late corrections), and the wijkmanagers' Monday digest.
    "reports-refresh-recent": {
        "task": "reports.tasks.refresh_recent",
        "schedule": timedelta(minutes=15),
    },
    "reports-refresh-weeks-back": {
        "task": "reports.tasks.refresh_weeks_back",
        "schedule": crontab(hour=2, minute=40),
    },
    "reports-weekly-digest": {
        "task": "reports.tasks.send_weekly_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
}

# --- Auth (django-allauth) ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "public:hub_list"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Wijkhubs] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wijkhubs Rotterdam"
# Coordinators and wijkmanagers must set up TOTP before using the portal.
MFA_REQUIRED_FOR_MANAGERS = env.bool("MFA_REQUIRED_FOR_MANAGERS", default=not DEBUG)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
PASSWORD_RESET_TIMEOUT = INVITATION_VALID_DAYS * 24 * 3600

# The city's single sign-on, switched on by environment variables (README).
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {}
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
if OIDC_CLIENT_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.openid_connect")
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="gemeente"),
                "name": env("OIDC_NAME", default="Gemeente Rotterdam"),
                "client_id": OIDC_CLIENT_ID,
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ]
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="filemail://" + str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Wijkhubs Rotterdam <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------
# A staff session ends after this many minutes without a request
# (accounts.middleware.SessionTimeoutMiddleware), and at the latest this many hours
# after logging in. "Last seen" is written at most once a minute, not on every request.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Domain settings ------------------------------------------------------------------
# How many weeks ahead the norm report and public pages look.
NORM_WEEKS_AHEAD = env.int("NORM_WEEKS_AHEAD", default=8)

# --- Rostering ----------------------------------------------------------------------
SHIFT_HORIZON_WEEKS = env.int("SHIFT_HORIZON_WEEKS", default=8)
# The week grid shows this many hubs at a time, those that need people first.
ROSTER_HUBS_PER_PAGE = env.int("ROSTER_HUBS_PER_PAGE", default=10)
SHIFT_CANCELLATION_CUTOFF_HOURS = env.int("SHIFT_CANCELLATION_CUTOFF_HOURS", default=48)
# Go/no-go is decided SHIFT_DECISION_DAYS_BEFORE days before, at SHIFT_DECISION_HOUR:00.
SHIFT_DECISION_DAYS_BEFORE = env.int("SHIFT_DECISION_DAYS_BEFORE", default=1)
SHIFT_DECISION_HOUR = env.int("SHIFT_DECISION_HOUR", default=12)
# What residents see for a dagdeel still short at decision time: "tentative" or "closed".
PUBLIC_UNDERSTAFFED = env.str("PUBLIC_UNDERSTAFFED", default="tentative")
if PUBLIC_UNDERSTAFFED not in ("tentative", "closed"):
    raise ImproperlyConfigured("PUBLIC_UNDERSTAFFED must be 'tentative' or 'closed'.")
# Understaffing alerts look this many days ahead.
UNDERSTAFFED_ALERT_DAYS = env.int("UNDERSTAFFED_ALERT_DAYS", default=3)

# --- Questions and callbacks ------------------------------------------------------------
# The author of a desk entry may correct it for this many minutes.
QUESTION_CORRECTION_MINUTES = env.int("QUESTION_CORRECTION_MINUTES", default=15)
# Personal data of a closed callback is removed this many days after closing.
CALLBACK_RETENTION_DAYS = env.int("CALLBACK_RETENTION_DAYS", default=30)

# --- Audit log ------------------------------------------------------------------------------
# Security events (logins, MFA, roles, views of residents' data, exports, purges) are
# kept this many days. The PostgreSQL trigger refuses deleting anything younger than 30.
AUDIT_RETENTION_DAYS = max(30, env.int("AUDIT_RETENTION_DAYS", default=365))
# The client's address (audit log, rate limits) comes from X-Forwarded-For: switch on
# only behind a proxy that sets that header itself.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
# Requests per client address to the feeds anyone can fetch ("" switches a limit off).
PUBLIC_FEED_RATE_LIMIT = env.str("PUBLIC_FEED_RATE_LIMIT", default="120/m")
PERSONAL_FEED_RATE_LIMIT = env.str("PERSONAL_FEED_RATE_LIMIT", default="30/m")
# The public feeds, the resident pages' content and the desk's openings of the day are
# served from the cache for this many seconds (0: never); any change to opening data
# makes them stale at once (hubs/feedcache.py).
PUBLIC_FEED_CACHE_SECONDS = env.int("PUBLIC_FEED_CACHE_SECONDS", default=60)

# --- Reports ------------------------------------------------------------------------------
# A rendered report is kept this long, and never past the next rollup refresh; a
# proposal's counts of past questions as long (proposals/selectors.py) (0: off).
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=900)

# --- Wijkraad proposals -------------------------------------------------------------------
# The city answers a submitted proposal within this many weeks.
PROPOSAL_ANSWER_WEEKS = env.int("PROPOSAL_ANSWER_WEEKS", default=4)
# Files attached to proposals live under MEDIA_ROOT (a volume in docker-compose.yml).
# MEDIA_URL is deliberately not served: a file is only reachable through the download
# view, which checks who may see the proposal.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
PROPOSAL_ATTACHMENT_MAX_MB = env.int("PROPOSAL_ATTACHMENT_MAX_MB", default=10)
PROPOSAL_ATTACHMENT_MAX_COUNT = 10
