"""Encryption at rest for the few secrets maca keeps (authenticator secrets, queued account
e-mails): Fernet, under a key derived from SECRET_KEY and a purpose, so one key never serves
two purposes. SECRET_KEY_FALLBACKS still open what older keys sealed, so rotating the key
loses nothing."""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def fernet_for(purpose: str) -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_derived(purpose, key)) for key in keys])


def _derived(purpose: str, secret_key: str) -> bytes:
    digest = hashlib.sha256(f"maca.{purpose}:".encode() + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)
