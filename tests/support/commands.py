"""Running the `maca` command as production would (its settings in the environment). Used by
tests/test_settings.py and tests/security/test_headers.py."""

import os
import subprocess
import sys
from pathlib import Path

MACA = Path(sys.executable).with_name("maca")

PRODUCTION = {
    "MACA_ENV": "production",
    "SECRET_KEY": "x7-" + "k" * 60 + "-not-a-real-key-but-long-and-varied-9f3a",
    "ALLOWED_HOSTS": "maca.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "MACA_BASE_URL": "https://maca.example.org",
    "DATABASE_URL": "sqlite:////tmp/maca-settings-test.sqlite3",
}


def run(*args, **env):
    unset = {"DATABASE_URL", "MACA_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [str(MACA), *args], env=base | env, capture_output=True, text=True, timeout=120, check=False
    )
