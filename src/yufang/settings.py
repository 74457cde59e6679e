"""Settings for yufang, read from environment variables (see `.env.example`).

Every variable has one typed helper; a malformed value fails at start-up, not at first use.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    # An empty value means "not set", as in .env.example.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def _read_env_file(path: Path) -> None:
    """KEY=VALUE lines of a .env file beside the project; real environment variables win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


_read_env_file(Path(os.environ.get("YUFANG_ENV_FILE", str(BASE_DIR / ".env"))))

VAR_DIR = Path(env_str("YUFANG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The demo turns on conveniences (DEBUG, demo accounts) that production must never have.
DEMO = env_bool("YUFANG_DEMO", False)
DEBUG = env_bool("DEBUG", DEMO)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    # Without SECRET_KEY a key is generated once per installation and kept in VAR_DIR,
    # so sessions survive restarts and no key is ever written in the code.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before django.contrib.auth, so that its createsuperuser (which gives the admin role)
    # is the one `yufang createsuperuser` runs.
    "yufang.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "yufang.audit",
    "yufang.policy",
    "yufang.regions",
    "yufang.industries",
    "yufang.organisations",
    "yufang.funds",
    "yufang.council",
    "yufang.grid",
    "yufang.enterprises",
    "yufang.imports",
    "yufang.home",
    "yufang.demo",
    "yufang.injuries",
    "yufang.hazards",
    "yufang.training",
    "yufang.notifications",
    "yufang.portal",
    "yufang.recognition",
    "yufang.outreach",
    "yufang.field",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "yufang.support.middleware.RefuseNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A request refused by a rate limit gets the 429 page, not a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into the answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yufang.urls"
WSGI_APPLICATION = "yufang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yufang.home.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yufang.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers (dashboards) run while an import writes. A 64 MiB page cache and
        # memory-mapped reads keep a province's indexes in memory during large imports.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
            "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a broker in production; without one, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes refuses a locked account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "yufang.accounts.backends.UsernameOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Failed sign-ins lock the account (whatever name or phone reached it) and, unless turned off
# for offices behind one shared address, the source address; see docs/security.md.
LOGIN_LOCK_SOURCE_ADDRESS = env_bool("LOGIN_LOCK_SOURCE_ADDRESS", True)
# How many proxies in front set X-Forwarded-For (0: the peer address is the client's).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"] if LOGIN_LOCK_SOURCE_ADDRESS else ["username"]
AXES_USERNAME_CALLABLE = "yufang.accounts.services.login_account_name"
AXES_CLIENT_IP_CALLABLE = "yufang.accounts.services.login_client_address"
AXES_LOCKOUT_CALLABLE = "yufang.accounts.services.login_lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# All assets are served from this origin (vendored): no CDN, no inline script, no eval; the
# same policy covers the API and its documentation page, whose scripts are static files too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Phones take photos and locations for hazards and screenings; nothing else is asked.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": ["self"],
    "geolocation": ["self"],
    "microphone": [],
    "payment": [],
    "usb": [],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are served by the platform after a scope check; behind nginx, this internal
# location lets nginx send the file once the platform has said yes (docs/hazards.md).
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT", "")

# Uploads: spreadsheets for imports, photos for hazards.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
HAZARD_PHOTO_MAX_BYTES = env_int("HAZARD_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# Training materials, lesson files (videos) and session photos.
TRAINING_UPLOAD_MAX_BYTES = env_int("TRAINING_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# Documents people upload as proof (PDF or photos): recognition materials, an enterprise's
# evidence for a change request, acceptance evidence of a fee contract, screening photos.
RECOGNITION_MATERIAL_MAX_BYTES = env_int("RECOGNITION_MATERIAL_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_EVIDENCE_MAX_BYTES = env_int("PORTAL_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
FUNDS_EVIDENCE_MAX_BYTES = env_int("FUNDS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
GRID_PHOTO_MAX_BYTES = env_int("GRID_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# The address people reach the platform at, for links in e-mails, SMS and QR codes.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Map boundaries shown to the public in China need a map review number: the files are
# replaceable here without touching the code.
MAP_CITIES_FILE = Path(
    env_str("YUFANG_MAP_CITIES_FILE", str(PACKAGE_DIR / "data" / "shandong_cities.geojson"))
)
MAP_COUNTIES_FILE = Path(
    env_str("YUFANG_MAP_COUNTIES_FILE", str(PACKAGE_DIR / "data" / "shandong_counties.geojson"))
)
PROVINCE_CODE = env_str("YUFANG_PROVINCE_CODE", "370000")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "yufang@localhost")
RATELIMIT_VIEW = "yufang.support.ratelimits.rate_limited"

SMS_BACKEND = env_str("SMS_BACKEND", "yufang.notifications.sms.LoggingSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
PAGE_SIZE = 50
