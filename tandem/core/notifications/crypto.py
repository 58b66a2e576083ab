"""Robot secrets at rest: encrypted with Fernet (from the `cryptography` package) under a key
derived from SECRET_KEY, when that package is installed; kept as given otherwise. Either way
the pages never show a secret again once saved, and nothing logs it.

A stored value says how it was stored ("fernet:…" or "plain:…"), so turning encryption on
later keeps old secrets readable (they are encrypted when next saved). A secret encrypted
under another SECRET_KEY (a backup restored on another server) cannot be read: its channel's
deliveries fail with a message asking for the secret again. SECRET_KEY_FALLBACKS still open
secrets sealed under a rotated key."""

from __future__ import annotations

import base64

from django.conf import settings
from django.utils.crypto import salted_hmac

FERNET = "fernet:"
PLAIN = "plain:"
_SALT = "tandem.core.notifications.robot-secret"


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted here (another SECRET_KEY, or `cryptography`
    missing for a value encrypted elsewhere)."""


def encryption_available() -> bool:
    try:
        import cryptography.fernet  # noqa: F401
    except ImportError:
        return False
    return True


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(
            salted_hmac(_SALT, "fernet", secret=key, algorithm="sha256").digest()))
        for key in keys
    ])


def seal(secret: str) -> str:
    """The value to store for `secret` ("" for none)."""
    if not secret:
        return ""
    if encryption_available():
        return FERNET + _fernet().encrypt(secret.encode("utf-8")).decode("ascii")
    return PLAIN + secret


def unseal(stored: str) -> str:
    """The secret a stored value holds ("" for none); SecretUnreadable when it cannot be
    decrypted here."""
    if not stored:
        return ""
    if stored.startswith(PLAIN):
        return stored[len(PLAIN):]
    if stored.startswith(FERNET):
        if not encryption_available():
            raise SecretUnreadable("encrypted, and the cryptography package is not installed")
        from cryptography.fernet import InvalidToken

        try:
            return _fernet().decrypt(stored[len(FERNET):].encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            raise SecretUnreadable("encrypted under another SECRET_KEY") from None
    raise SecretUnreadable("unknown storage format")
