"""One settings module, driven by environment variables.

Development defaults are safe to run on a laptop; production (DEBUG=False) refuses
to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEBUG = envbool("DEBUG", "True")
# seed_demo creates accounts with a published password: only where the install is a development one.
ALLOW_DEMO_DATA = envbool("ALLOW_DEMO_DATA", str(DEBUG))
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("Set SECRET_KEY (32+ random characters) when DEBUG is off.")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_NAME = os.environ.get("SITE_NAME", "ระบบ ITA องค์กรปกครองส่วนท้องถิ่น")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "assessments",
    "measures",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers static files itself: they carry the policy too.
    "ita_portal.security.ContentSecurityPolicyMiddleware",
    # Static files and fonts served by the app itself, hashed and compressed (docs/deploy.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session not remembered ends after SESSION_IDLE_MINUTES without a request (ita_portal/sessions.py).
    "ita_portal.sessions.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out login into the Thai lockout page (docs/security.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"
WSGI_APPLICATION = "ita_portal.wsgi.application"

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
                "assessments.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://… selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A connection kept for a minute serves many requests (production); 0 in development.
        conn_max_age=envint("DB_CONN_MAX_AGE", "0" if DEBUG else "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked": every transaction takes the
    # write lock at BEGIN (IMMEDIATE) and waits up to 20 s for it (docs/security.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
if os.environ.get("TEST_DB_FILE"):
    # `make mutation`: one SQLite test database kept between the thousands of short test runs
    # (pytest --reuse-db) instead of migrating a new one each time (3–4 s a run).
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_FILE"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's validators with Thai messages (Django ships no Thai translation for them).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "assessments.validators.UserAttributeSimilarityValidator"},
    {"NAME": "assessments.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "assessments.validators.CommonPasswordValidator"},
    {"NAME": "assessments.validators.NumericPasswordValidator"},
]

# Login throttling (django-axes): a username+IP pair is locked after AXES_FAILURE_LIMIT wrong
# passwords for AXES_COOLOFF_MINUTES; the lockout page is Thai (registration/locked_out.html).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from the npm registry at set-up (package.json), never a CDN.
NODE_MODULES = Path(os.environ.get("NODE_MODULES", BASE_DIR / "node_modules"))
if (NODE_MODULES / "bootstrap").exists():
    STATICFILES_DIRS.append(("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"))
FONT_DIR = Path(os.environ.get("FONT_DIR", NODE_MODULES / "font-th-sarabun-new" / "fonts"))
if FONT_DIR.exists():
    STATICFILES_DIRS.append(("vendor/fonts", FONT_DIR))

# In development whitenoise serves straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    # Production serves collected files with content hashes in their names, gzip and brotli beside.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Evidence files (measures/evidence.py): the largest one kept, and the site's address printed in
# reports beside each file, since a PDF's link leaves the site.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_MB", "20") * 2**20
# All files sent at once: a proxy in front refuses a larger request with its own English page, so
# its limit (nginx client_max_body_size, docs/deploy.md) must be above this one.
EVIDENCE_MAX_REQUEST_BYTES = envint("EVIDENCE_MAX_REQUEST_MB", "100") * 2**20
# An Office or ODF file (a zip) unpacked may not exceed this: a small file that inflates to gigabytes
# is refused before anything reads it whole.
EVIDENCE_MAX_UNPACKED_BYTES = envint("EVIDENCE_MAX_UNPACKED_MB", "200") * 2**20
# All evidence files of one organisation together (every year): an upload beyond it is refused in Thai.
EVIDENCE_QUOTA_BYTES = envint("EVIDENCE_QUOTA_MB", "2048") * 2**20
# Without SITE_URL, production uses its first allowed host: a published report never says localhost.
SITE_URL = os.environ.get("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if not DEBUG and ALLOWED_HOSTS else "http://localhost:8000"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

FORMS_URLFIELD_ASSUME_HTTPS = True
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
# A login lasts until the browser closes, or SESSION_REMEMBER_DAYS with "จดจำฉัน" ticked; one not
# remembered also ends after SESSION_IDLE_MINUTES without a request (ita_portal/sessions.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_REMEMBER_DAYS = envint("SESSION_REMEMBER_DAYS", "14")
SESSION_COOKIE_AGE = SESSION_REMEMBER_DAYS * 86400
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "60")
# Files in one upload: more is refused with a Thai page (ita_portal/security.py, bad_request).
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", "50")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    # HTTPS only in production (docs/security.md): redirect plain HTTP, and tell browsers (HSTS).
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
    SECURE_REDIRECT_EXEMPT = [r"^health/?$", r"^healthz/?$"]  # a load balancer's plain-HTTP probe
    if envbool("SECURE_PROXY_SSL_HEADER", "False"):  # behind a proxy that sets X-Forwarded-Proto
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Logs go to stdout, where gunicorn, systemd and containers collect them.
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING" if DEBUG else "INFO")},
}

# Background work (draft report PDFs): the Django Tasks API (the django-tasks backport; built into
# Django 6). The database backend needs nothing else: `manage.py db_worker` runs beside the server
# (`make run` starts both). Hosts that outgrow one machine set TASKS_BACKEND=django_tasks_rq.RQBackend
# and RQ_URL (or REDIS_URL) and run `manage.py rqworker --job-class django_tasks_rq.Job` (docs/deploy.md).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND.startswith("django_tasks_rq"):
    # Only with RQ chosen: django_rq's admin dashboard and rqworker need a reachable Redis.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
# Draft renders are bounded (reports/tasks.py): each user has at most RENDER_MAX_PENDING waiting (a
# new request for the same report replaces the waiting one); finished drafts beyond the newest
# RENDER_KEEP of a report, or older than RENDER_MAX_AGE_HOURS, are deleted with their files.
RENDER_MAX_PENDING = envint("RENDER_MAX_PENDING", "3")
RENDER_KEEP = envint("RENDER_KEEP", "3")
RENDER_MAX_AGE_HOURS = envint("RENDER_MAX_AGE_HOURS", "24")
RQ_URL = os.environ.get("RQ_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
RQ_QUEUES = {"default": {"URL": RQ_URL, "DEFAULT_TIMEOUT": envint("TASKS_TIMEOUT", "900")}}

# E-mail (reminders): printed to the console in development, SMTP in production (EMAIL_HOST …).
_MAIL = "django.core.mail.backends."
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", _MAIL + ("console.EmailBackend" if DEBUG else "smtp.EmailBackend"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ita-portal@localhost")
