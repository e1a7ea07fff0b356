"""Settings for the test suite: the real settings, with a test database and fast hashing.

When PEOPLEPLAN_TEST_DATABASE_URL names a PostgreSQL database, the suite runs there;
otherwise on SQLite.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")

import dj_database_url

from peopleplan.config.settings import *  # noqa: F403
from peopleplan.config.settings import DATABASES

if os.environ.get("PEOPLEPLAN_TEST_DATABASE_URL"):
    DATABASES["default"] = dj_database_url.parse(os.environ["PEOPLEPLAN_TEST_DATABASE_URL"])
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}  # as in settings
    # The test database is made from this one, so it has the same collation (CI makes it with
    # a British ICU collation, as a council's server would have, not the machine's C).
    DATABASES["default"]["TEST"] = {"TEMPLATE": DATABASES["default"]["NAME"]}
else:
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"NAME": ":memory:"},
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
