"""Passwords and bearer tokens.

Passwords: argon2id through argon2-cffi; the cost comes from settings, whose defaults meet or
exceed the OWASP recommendation (tests check that). A login for an unknown e-mail verifies the
password against a dummy hash of the same cost, so both failure paths take as long.

Tokens: 256 random bits, handed to the client once; only their sha256 is stored, so a database
leak yields no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from story_gen.sync_api.config import Settings

__all__ = ["Passwords", "hash_token", "new_token"]

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self.hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            type=Type.ID,
        )
        self._dummy: str | None = None
        self._lock = threading.Lock()

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)

    def burn_time(self, password: str) -> None:
        """Spend what a real verification costs; used when the account does not exist."""
        if self._dummy is None:
            with self._lock:
                if self._dummy is None:
                    self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        self.verify(self._dummy, password)
