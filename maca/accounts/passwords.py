"""Refusing passwords that have appeared in a data breach (ASVS 5.0 V6.2.12).

The check works offline: maca may run where nothing outside can be reached. It reads
`data/breached-passwords.bin`, made by `scripts/breached-passwords` from about half a million
passwords seen in breaches (that script says where they come from). Each entry is the first
6 bytes of a password's SHA-1, sorted, so the file names no password in clear.

With MACA_PWNED_API on, the Pwned Passwords range API is asked too (k-anonymity: only the first
5 hex digits of the SHA-1 leave the machine). It fails open, with a log line: an outage of
someone else's service must not stop anyone choosing a password the offline list accepts.

Nothing here logs or keeps the password.
"""

import functools
import hashlib
import logging
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.bin"
PREFIX_BYTES = 6  # as scripts/breached-passwords writes them


@functools.cache
def _entries() -> bytes:
    return LIST.read_bytes()


def on_breached_list(password: str) -> bool:
    """Whether the password's SHA-1 prefix is in the offline list (a binary search)."""
    wanted = hashlib.sha1(password.encode(), usedforsecurity=False).digest()[:PREFIX_BYTES]
    entries = _entries()
    low, high = 0, len(entries) // PREFIX_BYTES
    while low < high:
        middle = (low + high) // 2
        entry = entries[middle * PREFIX_BYTES : (middle + 1) * PREFIX_BYTES]
        if entry == wanted:
            return True
        if entry < wanted:
            low = middle + 1
        else:
            high = middle
    return False


def on_pwned_passwords(password: str) -> bool:
    """Whether the Pwned Passwords range API knows the password; False when it cannot answer."""
    digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
    request = urllib.request.Request(  # noqa: S310 (the address is the settings', https)
        settings.MACA_PWNED_API_URL + digest[:5],
        # Padding hides, from anyone watching the wire, how many hashes came back.
        headers={"Add-Padding": "true", "User-Agent": "maca"},
    )
    try:
        timeout = settings.MACA_PWNED_API_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read().decode("ascii")
    except (OSError, ValueError) as error:
        log.warning(
            "Pwned Passwords API not answering (%s): only the offline list was checked",
            type(error).__name__,
        )
        return False
    for line in body.splitlines():
        suffix, _, count = line.partition(":")
        if suffix.strip() == digest[5:] and count.strip() not in {"", "0"}:  # 0: padding
            return True
    return False


class BreachedPasswordValidator:
    """Refuses a password that has appeared in a data breach."""

    message = (
        "This password has appeared in a data breach, so it could be guessed. "
        "Choose a different password."
    )

    def validate(self, password, user=None):
        breached = on_breached_list(password) or (
            settings.MACA_PWNED_API and on_pwned_passwords(password)
        )
        if breached:
            raise ValidationError(self.message, code="password_breached")

    def get_help_text(self):
        return "Your password cannot be one that has appeared in a data breach."
