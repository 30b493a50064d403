"""Password hashing with Argon2id (argon2-cffi). Hashes never leave the store: no log, output or export."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
_HASHER = PasswordHasher()  # RFC 9106 low-memory profile: Argon2id, t=3, 64 MiB, p=4


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted; a new hash each call)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (``False`` for a mismatch or a damaged hash)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (then it is replaced at the next sign-in)."""
    return _HASHER.check_needs_rehash(stored_hash)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash("not a password of anybody")


def burn_time(password: str) -> None:
    """Spend the time of one verification (an unknown user name takes as long as a wrong password)."""
    verify_password(_dummy_hash(), password)
