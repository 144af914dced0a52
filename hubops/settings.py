"""hubops settings: one module, driven by the environment (django-environ).

Every variable is optional. With none set, the hub runs on the embedded default: SQLite,
Celery over kombu's filesystem transport and mail written to files, all under
``HUBOPS_DATA_DIR`` (``var/``). Production sets ``DEBUG=false``, ``SECRET_KEY``,
``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CACHE_URL`` and ``EMAIL_URL``.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
DATA_DIR = Path(env.str("HUBOPS_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
MEDIA_ROOT = Path(env.str("HUBOPS_MEDIA_ROOT", default=str(DATA_DIR / "media"))).resolve()
MAIL_DIR = DATA_DIR / "mail"
# The embedded default keeps its database, broker queue and mail files here.
for _folder in (DATA_DIR, MAIL_DIR, DATA_DIR / "broker" / "out", DATA_DIR / "broker" / "control"):
    _folder.mkdir(parents=True, exist_ok=True)

_DEV_SECRET_KEY = "django-insecure-hubops-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "hubops",
    "workgroups",
    "complaints",
    "privacy",
    "governance",
    "reports",
    "continuity",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "django_celery_beat",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hubops.encoding.FormEncodingMiddleware",
    "hubops.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "hubops.urls"
FORM_RENDERER = "hubops.forms.HubFormRenderer"
WSGI_APPLICATION = "hubops.wsgi.application"
ASGI_APPLICATION = "hubops.asgi.application"

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
                "hubops.context_processors.hub",
            ],
        },
    },
    {
        # Plain-text mail (subjects and .txt bodies): the same templates, never HTML-escaped.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'hubops.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one file: wait for locks rather than fail,
    # and take the write lock at the start of a transaction so two writers never deadlock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The test database is a file, not Django's in-memory default: in memory, the live server's
    # threads share one connection, and two requests at once (a POST and a page load) interleave
    # their transactions on it. On a file each thread has its own connection and SQLite's lock
    # serialises the writes, as in production. One file per test process, so two runs in one
    # checkout never share one (Django deletes it when the run ends).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-hubops-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache that every process shares: rate-limit counters (hubops.ratelimit, allauth) must
# not be counted per gunicorn worker. The embedded default is the database cache (its table is
# made by `migrate`); production may set CACHE_URL=redis://... instead. Never locmem.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://hubops_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "hubops.cache.HubRedisCache"  # one client, not one per call
if CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "FileBasedCache")):
    # Django culls these caches at 300 entries: a flood of new keys would wipe the counters.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 200_000)

# Proxies (addresses or networks) whose X-Forwarded-For is believed: the client address is the
# right-most hop that is not one of these. Empty (the default): REMOTE_ADDR is the client.
HUBOPS_TRUSTED_PROXIES = env.list("HUBOPS_TRUSTED_PROXIES", default=[])
# Every anonymous form that emails an address typed into it (hubops.ratelimit.MAIL).
HUBOPS_MAIL_FORMS_PER_ADDRESS = env.int("HUBOPS_MAIL_FORMS_PER_ADDRESS", default=10)
HUBOPS_MAIL_FORMS_PER_RECIPIENT = env.int("HUBOPS_MAIL_FORMS_PER_RECIPIENT", default=3)
HUBOPS_MAIL_FORMS_PERIOD = env.int("HUBOPS_MAIL_FORMS_PERIOD", default=3600)

# Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "hubops.User"
AUTHENTICATION_BACKENDS = [
    "hubops.auth_backends.CachedModelBackend",
    "hubops.auth_backends.CachedAllauthBackend",
]
# After the shared cache (Redis) failed to answer, how long each process serves without it
# before trying again (hubops.cache.HubRedisCache).
HUBOPS_CACHE_RETRY_SECONDS = env.float("HUBOPS_CACHE_RETRY_SECONDS", default=2.0)
# How long each process trusts the Work Groups catalogue version it last read, serving its own
# copies of the pages meanwhile (workgroups/caching.py); 0: read it on every request.
HUBOPS_CATALOGUE_LOCAL_SECONDS = env.float("HUBOPS_CATALOGUE_LOCAL_SECONDS", default=1.0)
# How long a signed-in visitor's account is kept in the shared cache (hubops.auth_backends);
# 0: read from the database on every request, as with the embedded database cache.
HUBOPS_ACCOUNT_CACHE_SECONDS = env.int(
    "HUBOPS_ACCOUNT_CACHE_SECONDS",
    default=0 if CACHES["default"]["BACKEND"].endswith("DatabaseCache") else 300,
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "hubops.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits, in the shared cache, with the client address from hubops.ratelimit
# (ACCOUNT_ADAPTER). Failed sign-ins are slowed per address (10 a minute, 30 an hour) and per
# account *from that address* (5 in 5 minutes, 20 an hour): the adapter makes the "key" the
# account plus the client address, so an attacker guessing one account's password is slowed
# while its owner, signing in from anywhere else, is never locked out. Sign-in by emailed
# code and password reset (which clears the counters) stay open to the owner too. The same
# adapter sends allauth's mail through the hub's outbox.
ACCOUNT_ADAPTER = "hubops.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,30/h/ip,5/5m/key,20/h/key",
    # These send mail to the address typed in: per address and per recipient ("key").
    "request_login_code": "5/m/ip,20/h/ip,3/m/key,10/h/key",
    "signup": "5/m/ip,20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/m/ip,20/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# No password-reset mail to addresses without an account (nobody to help, a stranger to spam).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Whatever the page, at most this many account mails an hour go to one address.
HUBOPS_ACCOUNT_MAILS_PER_RECIPIENT = env.int("HUBOPS_ACCOUNT_MAILS_PER_RECIPIENT", default=10)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="hubops")
# Staff must set up MFA before they reach /admin/ or /staff/. On by default in production;
# the demo (DEBUG on) relaxes it unless HUBOPS_REQUIRE_STAFF_MFA=true.
HUBOPS_REQUIRE_STAFF_MFA = env.bool("HUBOPS_REQUIRE_STAFF_MFA", default=not DEBUG)

# Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Uploads and generated files (complaint attachments, letters, signed report PDFs, certificates,
# flyers, board papers, GIAS imports) go through Django's storage API: a folder
# (HUBOPS_MEDIA_ROOT) on one machine; an S3-compatible bucket when several machines serve the
# hub (HUBOPS_STORAGE=s3 or AWS_STORAGE_BUCKET_NAME set; AWS_S3_ENDPOINT_URL for MinIO and
# other S3-compatible stores). Objects are private; links to them are signed and expire.
HUBOPS_STORAGE = env.str(
    "HUBOPS_STORAGE", default="s3" if env.str("AWS_STORAGE_BUCKET_NAME", default="") else "folder"
)
if HUBOPS_STORAGE not in {"folder", "s3"}:
    raise ImproperlyConfigured(f"HUBOPS_STORAGE is 'folder' or 's3', not {HUBOPS_STORAGE!r}.")
_S3_OPTIONS = {
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment (boto3's
    # chain: also an instance role), never in settings.
    "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
    "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
    "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
    "signature_version": "s3v4",
    "default_acl": "private",
    "querystring_auth": True,
    "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
    # AWS encrypts every object at rest anyway; MinIO refuses the header without a KMS.
    "object_parameters": {"ServerSideEncryption": "AES256"}
    if env.bool("AWS_S3_SERVER_SIDE_ENCRYPTION", default=False)
    else {},
}
if HUBOPS_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "continuity.s3.MediaStorage",
        "OPTIONS": {
            **_S3_OPTIONS,
            # Where browsers reach the store, when not at the endpoint (docker-compose: the
            # hub's own address, whose proxy forwards /<bucket>/ to MinIO).
            "public_url": env.str("HUBOPS_MEDIA_PUBLIC_URL", default="") or None,
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "location": env.str("HUBOPS_MEDIA_PREFIX", default="media"),
            # Two uploads of one name keep both files (as on disk), never overwrite.
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Backups (continuity/): a folder (HUBOPS_BACKUP_DIR, below) or a bucket (HUBOPS_BACKUP_BUCKET;
# keep it apart from the media bucket, with its own credentials where the store allows).
HUBOPS_BACKUP_BUCKET = env.str("HUBOPS_BACKUP_BUCKET", default="")
if HUBOPS_BACKUP_BUCKET:
    _backup_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": HUBOPS_BACKUP_BUCKET,
            "location": env.str("HUBOPS_BACKUP_PREFIX", default="backups"),
            # The key-contacts file's "latest" copy is replaced; archive names never repeat.
            "file_overwrite": True,
            "querystring_auth": True,
        },
    }
else:
    _backup_storage = {"BACKEND": "continuity.storage.BackupFolderStorage"}
STORAGES = {
    "default": _media_storage,
    "backups": _backup_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Email ----------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default=f"filemail://{MAIL_DIR}")
if _email.get("EMAIL_FILE_PATH") and not _email["EMAIL_FILE_PATH"].startswith("/"):
    # django-environ drops the leading "/" of filemail:///absolute/path: put it back.
    _email["EMAIL_FILE_PATH"] = "/" + _email["EMAIL_FILE_PATH"]
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hubops <no-reply@hub.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies to the hub's mail go: a mailbox someone reads (falls back to the Hub profile's
# email address when empty).
HUBOPS_REPLY_TO = env.str("HUBOPS_REPLY_TO", default="")
# The outbox (hubops/outbox.py): how many times a message is tried before it is marked failed,
# the first retry delay (doubled each time, capped), how long a sender holds a claimed message
# before another sender may take it over, and how often beat sweeps it.
HUBOPS_OUTBOX_MAX_ATTEMPTS = env.int("HUBOPS_OUTBOX_MAX_ATTEMPTS", default=8)
HUBOPS_OUTBOX_RETRY_SECONDS = env.int("HUBOPS_OUTBOX_RETRY_SECONDS", default=30)
HUBOPS_OUTBOX_RETRY_MAX_SECONDS = env.int("HUBOPS_OUTBOX_RETRY_MAX_SECONDS", default=3600)
HUBOPS_OUTBOX_LEASE_SECONDS = env.int("HUBOPS_OUTBOX_LEASE_SECONDS", default=300)
HUBOPS_OUTBOX_BATCH = env.int("HUBOPS_OUTBOX_BATCH", default=200)
# Threads that claim a large reminder sweep's batches on PostgreSQL (hubops.reminders).
HUBOPS_SWEEP_WORKERS = env.int("HUBOPS_SWEEP_WORKERS", default=2)
HUBOPS_OUTBOX_SWEEP_SECONDS = env.int("HUBOPS_OUTBOX_SWEEP_SECONDS", default=60)

# Links in mail, calendar files and PDFs are absolute: scheme and host of the public site.
# Required when DEBUG is off (system check hubops.E001, reported by `check --deploy` too);
# `make run` sets it from its host and port.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(DATA_DIR / "broker" / "out"),
        "data_folder_out": str(DATA_DIR / "broker" / "out"),
        "control_folder": str(DATA_DIR / "broker" / "control"),
        "store_processed": False,
    }
# Two hubs sharing one Redis keep their tasks apart with a queue name each.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat schedule lives here, reviewed in git; django-celery-beat copies it into the
# database on start. Each app adds its sweeps to this dict.
CELERY_BEAT_SCHEDULE = {
    # The outbox sweep: sends what a lost kick (broker down at commit) or a dead worker left.
    "hubops-outbox-drain": {
        "task": "hubops.tasks.outbox_drain_task",
        "schedule": timedelta(seconds=HUBOPS_OUTBOX_SWEEP_SECONDS),
    },
    "reports-reminders": {
        "task": "reports.tasks.report_reminders_task",
        "schedule": crontab(hour="7", minute="15"),
    },
    "workgroups-sweeps": {
        "task": "workgroups.tasks.run_workgroups_sweeps_task",
        "schedule": crontab(hour="7", minute="0"),
    },
    "privacy-sweeps": {
        "task": "privacy.tasks.privacy_sweeps_task",
        "schedule": crontab(minute="*/30"),
    },
    "privacy-retention": {
        "task": "privacy.tasks.retention_task",
        "schedule": crontab(hour="2", minute="15"),
    },
    "complaints-sweeps": {
        "task": "complaints.tasks.complaints_sweeps_task",
        "schedule": crontab(hour="6", minute="45"),
    },
    "governance-reminder-sweeps": {
        "task": "governance.tasks.run_governance_sweeps_task",
        "schedule": crontab(hour="6", minute="30"),
    },
    # Back up, prune by HUBOPS_BACKUP_RETENTION, then restore the newest into a scratch
    # database and compare it with its manifest.
    "continuity-backup-nightly": {
        "task": "continuity.tasks.backup_nightly_task",
        "schedule": crontab(hour="1", minute="30"),
    },
    "continuity-key-contacts": {
        "task": "continuity.tasks.key_contacts_export_task",
        "schedule": crontab(hour="6,12,18", minute="5"),
    },
}

# Security -------------------------------------------------------------------------------------
# Sessions are read through the shared cache, so any web node can serve any visitor: with
# CACHE_URL=redis://... (production) they live in Redis, and "cached_db" also writes them to the
# database, so a restarted or flushed Redis signs nobody out. Never a node's own memory or disk.
# hubops.sessions is cached_db reading the signed-in account in the same round trip.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="hubops.sessions")
SESSION_CACHE_ALIAS = "default"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # /healthz is probed over plain HTTP by the container health checks.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every step of a render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# The hub --------------------------------------------------------------------------------------
# Where a complaint about the Lead School itself must go (the complaints policy).
HUBOPS_DFE_CONTACT_EMAIL = env.str(
    "HUBOPS_DFE_CONTACT_EMAIL", default="Maths.PROGRAMME@education.gov.uk"
)
# Complaints: the head teacher or CEO of the Lead School (complaints about the SLL go to them;
# people with the "Lead School head" role are used first, this address when nobody holds it).
COMPLAINTS_LEAD_SCHOOL_HEAD_NAME = env.str("COMPLAINTS_LEAD_SCHOOL_HEAD_NAME", default="")
COMPLAINTS_LEAD_SCHOOL_HEAD_EMAIL = env.str("COMPLAINTS_LEAD_SCHOOL_HEAD_EMAIL", default="")
COMPLAINTS_ATTACHMENT_MAX_BYTES = env.int(
    "COMPLAINTS_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
COMPLAINTS_MAX_ATTACHMENTS = env.int("COMPLAINTS_MAX_ATTACHMENTS", default=5)
COMPLAINTS_FOLLOW_LINK_DAYS = env.int("COMPLAINTS_FOLLOW_LINK_DAYS", default=120)
COMPLAINTS_APPEAL_WINDOW_SCHOOL_WEEKS = env.int("COMPLAINTS_APPEAL_WINDOW_SCHOOL_WEEKS", default=4)
COMPLAINTS_APPEAL_PANEL_MIN = env.int("COMPLAINTS_APPEAL_PANEL_MIN", default=2)
COMPLAINTS_REMINDER_DAYS_BEFORE = env.int("COMPLAINTS_REMINDER_DAYS_BEFORE", default=3)
COMPLAINTS_SUBMISSIONS_PER_HOUR = env.int("COMPLAINTS_SUBMISSIONS_PER_HOUR", default=10)

# Continuity: backups, key contacts, handover -------------------------------------------------
# The key that encrypts backups and the key-contacts file (keep a copy off the server: without
# it no backup can be opened). `backup` refuses to run without it.
HUBOPS_BACKUP_KEY = env.str("HUBOPS_BACKUP_KEY", default="")
# After rotating the key: the old ones (comma-separated), to open archives made before.
HUBOPS_BACKUP_PREVIOUS_KEYS = env.list("HUBOPS_BACKUP_PREVIOUS_KEYS", default=[])
# A folder (a mounted bucket works: rclone/s3fs/NFS) for the archives.
HUBOPS_BACKUP_DIR = Path(env.str("HUBOPS_BACKUP_DIR", default=str(DATA_DIR / "backups"))).resolve()
HUBOPS_BACKUP_RETENTION = {
    "daily": env.int("HUBOPS_BACKUP_KEEP_DAILY", default=7),
    "weekly": env.int("HUBOPS_BACKUP_KEEP_WEEKLY", default=4),
    "monthly": env.int("HUBOPS_BACKUP_KEEP_MONTHLY", default=12),
}
# The passphrase that encrypts a handover package for a successor Lead School (agreed by the
# two schools; see docs/RUNBOOK.md, section 8).
HUBOPS_HANDOVER_KEY = env.str("HUBOPS_HANDOVER_KEY", default="")
