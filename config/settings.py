"""Settings read from the environment; see docs/configuration.md for the contract.

With DEBUG off the app refuses to start unless the secret and the keys are real.
"""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured

from config.env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default="")
DEMO_PASSWORD = env("DEMO_PASSWORD", default="")


def _require_real_secrets() -> None:
    """Fail loudly: a production start with missing or toy keys would store PII badly protected."""
    from cryptography.fernet import Fernet

    from config.keys import fernet_key_problem, text_key_problem

    problems = []
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        problems.append("SECRET_KEY must be a random string of 50+ characters")
    elif problem := text_key_problem(SECRET_KEY, min_length=50):
        problems.append(f"SECRET_KEY {problem}")
    if not FIELD_ENCRYPTION_KEYS:
        problems.append("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key")
    for key in FIELD_ENCRYPTION_KEYS:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            problems.append("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key")
            break
        if problem := fernet_key_problem(key):
            problems.append(f"FIELD_ENCRYPTION_KEYS holds a key that {problem}")
            break
    if len(BLIND_INDEX_KEY) < 32:
        problems.append("BLIND_INDEX_KEY must be at least 32 characters")
    elif problem := text_key_problem(BLIND_INDEX_KEY, min_length=32):
        problems.append(f"BLIND_INDEX_KEY {problem}")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


_require_real_secrets()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])

INSTALLED_APPS = [
    "config.apps.ProjectAdminConfig",  # django.contrib.admin, refusing malformed addresses (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "cases",
    "referrals",
    "services",
    "legal",
    "evidence",
    "takedown",
    "safety",
    "bench",
    "accounts",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before the host check, HTTPS redirect, sessions, sign-in (config/health.py).
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from gunicorn itself: compressed, with hashed names cached for a year (scripts/prod setup).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a value: a NUL character gets a 400 page, never PostgreSQL's 500.
    "cases.input_guard.RejectNulCharactersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cases.middleware.LoadAccessMiddleware",  # groups and permissions in one query (cases.roles)
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "cases.middleware.NoStoreForSignedInMiddleware",
    # After CSRF and auth, so only a genuine post of a known user is kept as a draft or claimed.
    "cases.middleware.SessionIdleMiddleware",
    "cases.middleware.FormGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled during the request into the response.
    "axes.middleware.AxesMiddleware",
]

# Evidence fingerprints (guideline 4-3-2E): two images whose perceptual hashes (64 bits, computed in the
# browser) differ in at most this many bits are reported as the same image posted again.
EVIDENCE_PHASH_THRESHOLD = env.int("EVIDENCE_PHASH_THRESHOLD", default=10)

# Retention (個人資料保護法第 11 條; cases/retention.py): `manage.py anonymise_expired` removes the victim's
# personal data from cases closed longer ago than this, keeping what the statistics count.
RETENTION_YEARS_AFTER_CLOSURE = env.int("RETENTION_YEARS_AFTER_CLOSURE", default=7)
if RETENTION_YEARS_AFTER_CLOSURE < 1:
    raise ImproperlyConfigured("RETENTION_YEARS_AFTER_CLOSURE must be at least 1 (years after closure)")

# The images never enter the system (guideline 4-3-2E): with no upload handler, the file parts of a
# multipart request are read and dropped; no file is ever buffered, written to a temporary file or seen
# by a view (request.FILES is always empty). No form of the app is multipart.
FILE_UPLOAD_HANDLERS: list[str] = []

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                # The navigation's links come from {% nav_menu %} (cases/templatetags/navigation.py).
                "cases.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds): set it for Celery workers, which otherwise open a connection per task.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite (the development default) with a real worker: WAL lets the worker write while a request reads, and
# IMMEDIATE transactions take the write lock when they begin, so they wait (timeout) for the worker
# instead of failing with "database is locked" when it wrote first.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
    }
    # The covering indexes (include=) serve PostgreSQL; SQLite builds them without the extra columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in (docs/configuration.md "Sign-in"). django-axes first, so a locked account name or address is
# refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Every account signs in with a second factor (TOTP, or a recovery code) when this is on; development
# (DEBUG) leaves it off unless asked, so `make run` signs in with the demo password alone.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# How long the second step may follow the password, in seconds.
SIGNIN_PENDING_SECONDS = env.int("SIGNIN_PENDING_SECONDS", default=300)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="數位性影像案件服務系統")
# Passkeys (WebAuthn, django-otp-webauthn) as the second factor, never instead of the password. A passkey
# belongs to one RP ID (the site's host name, never an IP address) and is accepted only from the listed
# origins (scheme://host[:port] as the browser shows it). Default: the first ALLOWED_HOSTS name over https;
# in development http://localhost:8000 (open the site there, not at 127.0.0.1, to try a passkey).
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h.strip(".*")), "")
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default="localhost" if DEBUG else _first_host)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS",
    default=["http://localhost:8000"] if DEBUG else [f"https://{OTP_WEBAUTHN_RP_ID}"],
)
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Lockout: this many failures (wrong password or wrong code) per account name, and separately per
# address, lock that name or address for AXES_COOLOFF_MINUTES, or until a supervisor unlocks it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ADMIN = False  # supervisors unlock on accounts:lockouts
# Masked in the posted data axes keeps with each failure (the password always is): a mistyped code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token", "new_password1", "new_password2"]
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: the address is REMOTE_ADDR, and
# a client's own X-Forwarded-For is never believed).
SIGNIN_PROXY_COUNT = env.int("SIGNIN_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.rules.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Production serves what `collectstatic` wrote: gzip/brotli copies and hashed names (whitenoise); runserver
# (DEBUG) serves the files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Sessions are in the database and the cache must be shared too, so any web process serves any request.
# Production refuses a per-process cache (config/production.py): CACHE_URL=redis://… or dbcache://….
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions: a shared office PC must not stay logged in to victims' files.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle sign-out (cases.middleware.SessionIdleMiddleware): after this many minutes without a request the
# next one signs the user out; SESSION_COOKIE_AGE stays the absolute limit from sign-in. The page warns
# SESSION_IDLE_WARNING_MINUTES before. A form posted after the timeout is kept encrypted for
# FORM_DRAFT_MINUTES and filled in again after signing in (docs/configuration.md). Minutes may be
# fractional (tests use seconds).
SESSION_IDLE_TIMEOUT_MINUTES = env.float("SESSION_IDLE_TIMEOUT_MINUTES", default=15)
SESSION_IDLE_WARNING_MINUTES = env.float("SESSION_IDLE_WARNING_MINUTES", default=2)
FORM_DRAFT_MINUTES = env.float("FORM_DRAFT_MINUTES", default=30)
if not 0 < SESSION_IDLE_WARNING_MINUTES < SESSION_IDLE_TIMEOUT_MINUTES <= SESSION_COOKIE_AGE / 60:
    raise ImproperlyConfigured(
        "need 0 < SESSION_IDLE_WARNING_MINUTES < SESSION_IDLE_TIMEOUT_MINUTES <= SESSION_COOKIE_AGE (minutes)"
    )
if FORM_DRAFT_MINUTES <= 0:
    raise ImproperlyConfigured("FORM_DRAFT_MINUTES must be more than 0")

# Security headers; everything (Bootstrap included) is served locally, so the policy is strict.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Believe X-Forwarded-Proto only when told that a proxy we run overwrites it on every request;
    # otherwise a client could send it and pass for HTTPS.
    if env.bool("PROXY_SETS_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A balancer probes over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Celery: without a broker (the embedded default) tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker logs through LOGGING below (JSON lines), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A save must not wait long for a broker that is down: the SMS outbox sweeper re-enqueues later.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 5,
    # A publisher tries twice, at once, then gives up (the worker's consumer has its own retry policy).
    "max_retries": 1,
    "interval_start": 0,
}
# Periodic jobs, all in one place. Every job is idempotent, so a missed or doubled beat is harmless.
CELERY_BEAT_SCHEDULE: dict = {
    "deadline-reminders": {"task": "cases.tasks.send_deadline_reminders", "schedule": 30 * 60},
    "sms-sweep": {"task": "cases.tasks.sms_sweep", "schedule": 60},
    "sms-victim-reminders": {"task": "cases.tasks.sms_victim_reminders", "schedule": 30 * 60},
    "forms-sweep": {"task": "cases.tasks.forms_sweep", "schedule": 5 * 60},
    "intake-alerts": {"task": "cases.tasks.send_intake_alerts", "schedule": 10 * 60},
    # The supervisor overview's charts (cases/dashboards.py STATISTICS_MINUTES; the page says how old).
    "unit-statistics": {"task": "cases.tasks.refresh_unit_statistics", "schedule": 15 * 60},
}

# Oversight (issue 21, docs/oversight.md). 緊急調閱: how long a worker may read a case not assigned to
# them after giving a reason. An intake neither dispatched nor closed after INTAKE_ALERT_HOURS (after
# INTAKE_ALERT_DANGER_HOURS when 有立即危險) alerts the hotline and the supervisors, again at 2x, 4x …
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=4)
INTAKE_ALERT_HOURS = env.int("INTAKE_ALERT_HOURS", default=3)
INTAKE_ALERT_DANGER_HOURS = env.int("INTAKE_ALERT_DANGER_HOURS", default=1)
if not (1 <= BREAK_GLASS_HOURS <= 24 and 1 <= INTAKE_ALERT_DANGER_HOURS <= INTAKE_ALERT_HOURS):
    raise ImproperlyConfigured(
        "BREAK_GLASS_HOURS must be 1-24, and 1 <= INTAKE_ALERT_DANGER_HOURS <= INTAKE_ALERT_HOURS"
    )

# Deadline reminders go out this many days before the due date (0 = on the day).
DEADLINE_REMINDER_DAYS = env.list("DEADLINE_REMINDER_DAYS", cast=int, default=[30, 14, 7, 3, 1, 0])

# SMS to victims (docs/sms.md): "console" prints, "file" writes to SMS_FILE_PATH (tests), "mitake"
# posts to a Mitake-style gateway.
SMS_BACKEND = env("SMS_BACKEND", default="console")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms.log"))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_USERNAME = env("SMS_GATEWAY_USERNAME", default="")
SMS_GATEWAY_PASSWORD = env("SMS_GATEWAY_PASSWORD", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
# Delivery reports: the public URL of cases:sms_delivery_report, and the secret the gateway must send.
SMS_CALLBACK_URL = env("SMS_CALLBACK_URL", default="")
SMS_CALLBACK_SECRET = env("SMS_CALLBACK_SECRET", default="")
# What {hotline} fills in; the time zone of quiet hours is TIME_ZONE.
SMS_HOTLINE_NUMBER = env("SMS_HOTLINE_NUMBER", default="(02)23615295分機226")
# What {callback} fills in for appointment and deadline reminders: a number kept apart from the
# public hotline, because a reminder naming the violence-prevention centre's public number tells
# whoever reads the phone where it is from (issue 21). The template page warns when they are equal.
SMS_REMINDER_CALLBACK_NUMBER = env("SMS_REMINDER_CALLBACK_NUMBER", default="")
SMS_QUIET_HOURS_START = env("SMS_QUIET_HOURS_START", default="22:00")
SMS_QUIET_HOURS_END = env("SMS_QUIET_HOURS_END", default="08:00")
SMS_MAX_SEGMENTS = env.int("SMS_MAX_SEGMENTS", default=5)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
SMS_RETRY_BASE_SECONDS = env.int("SMS_RETRY_BASE_SECONDS", default=60)
SMS_RETRY_MAX_SECONDS = env.int("SMS_RETRY_MAX_SECONDS", default=3600)
# A message still 'sending' after this long is marked for a person to check, never resent by itself.
SMS_SENDING_TIMEOUT = env.int("SMS_SENDING_TIMEOUT", default=600)
# A queued message whose task has not run after this long is enqueued again by the sweeper.
SMS_REENQUEUE_AFTER = env.int("SMS_REENQUEUE_AFTER", default=120)
SMS_SWEEP_BATCH = env.int("SMS_SWEEP_BATCH", default=500)
# A send task claims and sends up to this many due messages over one gateway connection (docs/sms.md).
SMS_SEND_BATCH = env.int("SMS_SEND_BATCH", default=50)
# Victims who agreed to SMS get a reminder this many days before a complaint deadline. (Appointment
# reminders are queued by outbox.sms_queue_appointment_reminder, 24 hours before, from the legal
# consultation and police report bookings when a place code is given; see docs/legal.md.)
SMS_VICTIM_REMINDER_DAYS = env.list("SMS_VICTIM_REMINDER_DAYS", cast=int, default=[7, 1])


def _check_sms_settings() -> None:
    from cases.sms.schedule import parse_clock

    problems = []
    if SMS_BACKEND not in ("console", "file", "mitake"):
        problems.append(f"SMS_BACKEND must be console, file or mitake, not {SMS_BACKEND!r}")
    if SMS_BACKEND == "mitake" and not (SMS_GATEWAY_URL and SMS_GATEWAY_USERNAME and SMS_GATEWAY_PASSWORD):
        problems.append(
            "SMS_BACKEND=mitake needs SMS_GATEWAY_URL, SMS_GATEWAY_USERNAME and SMS_GATEWAY_PASSWORD"
        )
    if SMS_CALLBACK_SECRET and len(SMS_CALLBACK_SECRET) < 16:
        problems.append("SMS_CALLBACK_SECRET must be at least 16 characters")
    for name in ("SMS_QUIET_HOURS_START", "SMS_QUIET_HOURS_END"):
        try:
            parse_clock(globals()[name])
        except ValueError:
            problems.append(f"{name} must be HH:MM")
    if SMS_SENDING_TIMEOUT <= 2 * SMS_GATEWAY_TIMEOUT:
        problems.append("SMS_SENDING_TIMEOUT must be more than twice SMS_GATEWAY_TIMEOUT")
    if SMS_MAX_SEGMENTS < 1 or SMS_MAX_ATTEMPTS < 1 or SMS_SEND_BATCH < 1:
        problems.append("SMS_MAX_SEGMENTS, SMS_MAX_ATTEMPTS and SMS_SEND_BATCH must be at least 1")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


_check_sms_settings()

# Staff notifications are in-app; with NOTIFY_BY_EMAIL they are also mailed (the text names the case
# number only) through the SMTP server below.
NOTIFY_BY_EMAIL = env.bool("NOTIFY_BY_EMAIL", default=False)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env("EMAIL_HOST_USER", default=""),
            "password": env("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ncii-cases@localhost")

# One JSON object per line (config/logs.py: no query strings, headers or row values); text under DEBUG.
from config.logs import logging_config  # noqa: E402

LOGGING = logging_config(
    level=env("LOG_LEVEL", default="INFO"), json_lines=env.bool("LOG_JSON", default=not DEBUG)
)
