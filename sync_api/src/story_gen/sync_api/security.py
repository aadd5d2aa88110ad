"""Passwords and bearer tokens.

Passwords: argon2id through argon2-cffi; the cost comes from settings, whose defaults meet or
exceed the OWASP recommendation (tests check that). A login for an unknown e-mail verifies the
password against a dummy hash of the same cost, so both failure paths take as long. The hasher
(and argon2 itself) is created on first use: most requests never touch a password.

Tokens: 256 random bits, handed to the client once; only their sha256 is stored, so a database
leak yields no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from typing import TYPE_CHECKING

from story_gen.sync_api.config import Settings

if TYPE_CHECKING:
    from argon2 import PasswordHasher

__all__ = ["Passwords", "hash_token", "new_token"]

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._hasher: PasswordHasher | None = None
        self._dummy: str | None = None
        self._lock = threading.Lock()

    @property
    def hasher(self) -> PasswordHasher:
        if self._hasher is None:
            with self._lock:
                if self._hasher is None:
                    from argon2 import PasswordHasher, Type

                    self._hasher = PasswordHasher(
                        time_cost=self._settings.argon2_time_cost,
                        memory_cost=self._settings.argon2_memory_kib,
                        parallelism=self._settings.argon2_parallelism,
                        type=Type.ID,
                    )
        return self._hasher

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)

    def burn_time(self, password: str) -> None:
        """Spend what a real verification costs; used when the account does not exist."""
        if self._dummy is None:
            hasher = self.hasher  # outside the lock: creating the hasher takes it too
            with self._lock:
                if self._dummy is None:
                    self._dummy = hasher.hash(secrets.token_urlsafe(16))
        self.verify(self._dummy, password)
