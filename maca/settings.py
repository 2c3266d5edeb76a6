"""Settings: the environment is read here and nowhere else.

Unset variables fall back to what is safe. `MACA_ENV=production` turns on every production
safeguard and refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from maca.uploads import limits as upload_limits

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MACA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


MACA_ENV = os.environ.get("MACA_ENV", "local").strip().lower()
if MACA_ENV not in {"local", "test", "production"}:
    raise ImproperlyConfigured(f"MACA_ENV must be local, test or production, not {MACA_ENV!r}")
PRODUCTION = MACA_ENV == "production"

DEBUG = env_bool("MACA_DEBUG", default=False) and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when MACA_ENV=production")
    # Local use: a random key kept under var/ so that sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when MACA_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Signing in through an organisation's OpenID Connect provider (decision 75).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks_db",
    # django-ninja's templates and static files: the API's docs page without a CDN.
    "ninja",
    "maca.accounts",
    "maca.partnerships",
    "maca.audits",
    "maca.returns",
    "maca.meetings",
    "maca.actions",
    "maca.reports",
    "maca.history",
    "maca.bundles",
    "maca.backups",
    "maca.notices",
    "maca.learning",
    "maca.yearly",
    "maca.retention",
    "maca.front",
    "maca.demo",
    "maca.api",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "maca.sessions.SessionLimitsMiddleware",
    "maca.access.ViewerMiddleware",
    "maca.access_rls.DatabaseScopeMiddleware",
    "maca.accounts.two_factor.SecondFactorMiddleware",
]

# What a request may carry (maca/uploads/limits.py, decision 37): a body of at most 2.5 MB (the
# API's bundle import reads its own, up to 10 MB); of a file uploaded to a page, 5 MB and a
# byte are kept, the rest dropped as it arrives.
DATA_UPLOAD_MAX_MEMORY_SIZE = upload_limits.API_BODY_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "maca.uploads.handlers.KeepAtMost",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

ROOT_URLCONF = "maca.urls"
WSGI_APPLICATION = "maca.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maca" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maca.access.viewer_context",
                "maca.accounts.two_factor.two_factor_context",
            ],
        },
    },
]

# The embedded default is an SQLite file under var/; production and CI use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'maca.sqlite3'}",
        conn_max_age=int(os.environ.get("MACA_CONN_MAX_AGE", "60")),
        # Without health checks, a PostgreSQL restart turns the next request into a 500.
        conn_health_checks=True,
    )
}
if MACA_ENV == "test":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not hold connections
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A test database is thrown away: its commits need not wait for the disk.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"
    )
    # Every transaction takes SQLite's write lock when it begins (waiting its turn, up to the
    # busy timeout): one that read first could not write once another had ("database is
    # locked"), so two people saving at once lost one of the saves.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "maca.accounts.passwords.BreachedPasswordValidator"},
]
# The breached-password check reads an offline list; MACA_PWNED_API=1 asks the Pwned Passwords
# range API as well (only 5 hex digits of the password's SHA-1 leave; an outage fails open).
MACA_PWNED_API = env_bool("MACA_PWNED_API", default=False)
MACA_PWNED_API_URL = "https://api.pwnedpasswords.com/range/"
MACA_PWNED_API_TIMEOUT = 2
if MACA_ENV == "test":  # hashing is deliberately slow; tests need speed, not strength
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "maca.accounts.adapter.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's e-mails name the service, not the Host of the request (maca/links.py).
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[maca] "
# A password reset for an unknown address mails that address too ("no account here"), so that
# known and unknown addresses do the same work; the adapter queues every such mail.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# A new password never signs anyone in: they sign in with it, and with their code.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# At most 5 failed sign-ins per account in 15 minutes (and allauth's 10 a minute per address),
# counted in the cache, which must be shared by every web worker: see CACHES.
# A sign-in posts the sign-in page twice, the address and then the password (decision 75): allauth's
# 30 posts a minute from one address, doubled, still lets 30 people sign in a minute (a
# partnership's meeting room shares one address). Guessing is held by `login_failed`.
ACCOUNT_RATE_LIMITS = {"login": "60/m/ip", "login_failed": "10/m/ip,5/15m/key"}
# The addresses behind the reverse proxy (docs/deployment.md): its X-Forwarded-For names them.
ALLAUTH_TRUSTED_PROXY_COUNT = int(
    os.environ.get("MACA_TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0")
)

# Two-factor sign-in (maca/accounts/two_factor.py): an authenticator app with recovery codes,
# required of everyone whose role opens case-level data. No "trust this browser" cookie.
MFA_ADAPTER = "maca.accounts.two_factor.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "maca.accounts.two_factor.AuthenticateForm",
    "reauthenticate": "maca.accounts.two_factor.ReauthenticateForm",
}
MFA_TOTP_ISSUER = "maca"
MFA_TOTP_PERIOD = 30
# The code before and after the current one are accepted too (RFC 6238's allowance for a
# phone's clock that drifts, and for typing a code as it changes); each still works once.
MFA_TOTP_TOLERANCE = 1
MFA_TRUST_ENABLED = False
# The demo (`make demo`) shows each account's current code on the code page, as nobody
# trying it out holds the demo accounts' authenticator apps. Never in production.
MACA_DEMO = env_bool("MACA_DEMO", default=False)
if MACA_DEMO and PRODUCTION:
    raise ImproperlyConfigured("MACA_DEMO shows second-factor codes: not with MACA_ENV=production")

# Single sign-on (maca/accounts/single_sign_on.py, decision 75): providers are configured in the
# admin (an OpenID Connect app and the e-mail domains it signs in); each app's client secret is
# the environment variable MACA_OIDC_SECRET_<NAME>, the NAME given on its row. The code flow
# always with PKCE; nobody is signed up by a provider; tokens are not kept.
MACA_OIDC_SECRETS = {
    name.removeprefix("MACA_OIDC_SECRET_").upper(): value
    for name, value in os.environ.items()
    if name.startswith("MACA_OIDC_SECRET_") and value
}
SOCIALACCOUNT_ADAPTER = "maca.accounts.single_sign_on.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# Accounts unused for this many days are disabled by `maca disable-unused-accounts`, which
# warns each by e-mail this many days before.
MACA_UNUSED_ACCOUNT_DAYS = int(os.environ.get("MACA_UNUSED_ACCOUNT_DAYS", "90"))
MACA_UNUSED_ACCOUNT_NOTICE_DAYS = 14

# Sessions end after this long without a request, and this long after signing in, whatever
# the activity (maca/sessions.py).
MACA_SESSION_IDLE_MINUTES = 30
MACA_SESSION_ABSOLUTE_HOURS = 10

# One cache for every web worker (the sign-in limits count in it): a table in the database,
# made by the migration accounts.0002_cache_table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maca_cache",
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "maca" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start otherwise

# E-mail: GOV.UK Notify when NOTIFY_API_KEY is set (decision 74); else SMTP whenever EMAIL_HOST
# is set; else, in local use only, the console. Production needs one of the first two.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
if NOTIFY_API_KEY:
    if not os.environ.get("NOTIFY_TEMPLATE_ID"):
        raise ImproperlyConfigured("NOTIFY_TEMPLATE_ID must be set with NOTIFY_API_KEY")
    MAILERS = {
        "default": {
            "BACKEND": "maca.notices.notify.NotifyEmailBackend",
            "OPTIONS": {
                "api_key": NOTIFY_API_KEY,
                "template_id": os.environ["NOTIFY_TEMPLATE_ID"],
                "base_url": os.environ.get(
                    "NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
                ),
                "timeout": 20,
            },
        }
    }
elif EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured(
        "EMAIL_HOST (SMTP) or NOTIFY_API_KEY (GOV.UK Notify) must be set when MACA_ENV=production"
    )
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST, NOTIFY_API_KEY
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "maca <maca@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach maca at: e-mails link to it.
MACA_BASE_URL = os.environ.get("MACA_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not MACA_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("MACA_BASE_URL must be the https:// address of the service")

# Background work: the database queue in production (run `maca db_worker`), inline otherwise.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("MACA_TASKS", "database" if PRODUCTION else "immediate") == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Security headers. Production adds HTTPS-only cookies, HSTS and the redirect to HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = MACA_SESSION_ABSOLUTE_HOURS * 60 * 60
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser keeps them only if Secure, for Path=/ and with no Domain (the
    # defaults), so neither a subdomain nor plain HTTP can plant or read them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Logs carry no child data: messages name ids and pseudonymous references only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MACA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs two lines per page of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
