"""Passwords, token secrets, roles and personal-data masking — pure functions, no database.

Passwords are hashed with argon2id (argon2-cffi defaults: memory-hard, salted). API token
secrets are 256-bit random strings, so a single SHA-256 is enough to store them safely and
keeps a token check cheap on every API call (argon2 is for low-entropy secrets people choose).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from b2bgrowth.auth.models import ROLES

MIN_PASSWORD_LENGTH = 8

# Who may see which personal data (see docs/security.md). A role not listed for a field sees
# it masked. Viewers see nothing in clear; ops work on aggregates and campaigns and need
# e-mail for them, but not phone numbers or WeChat ids.
UNMASKED_FIELDS: dict[str, frozenset[str]] = {
    "admin": frozenset({"email", "phone", "wechat"}),
    "sales": frozenset({"email", "phone", "wechat"}),
    "csm": frozenset({"email", "phone", "wechat"}),
    "ops": frozenset({"email"}),
    "viewer": frozenset(),
}

# Roles that may change data through the web app and API (viewer is read-only everywhere).
WRITE_ROLES = ("admin", "ops", "sales", "csm")

_hasher = PasswordHasher()


class WeakPassword(ValueError):
    pass


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    return role


def check_password_strength(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"password too short: at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip() != password or not password.strip():
        raise WeakPassword("password must not start or end with white space")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# A hash to verify against when the login does not exist, so a wrong login costs the same
# time as a wrong password (no user enumeration by timing).
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def generate_password(length: int = 16) -> str:
    return secrets.token_urlsafe(length)[:length]


def new_token_parts() -> tuple[str, str]:
    return secrets.token_hex(8), secrets.token_urlsafe(32)


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_secret_matches(stored_hash: str, secret: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_token_secret(secret))


# -- masking -----------------------------------------------------------------------------------

def mask_email(email: str | None) -> str | None:
    """ab***@example.com — keeps the domain (useful for B2B) and two letters."""
    if not email:
        return email
    local, at, domain = email.partition("@")
    if not at:
        return _mask_middle(email, keep_start=2, keep_end=0)
    return f"{local[:2]}***@{domain}" if len(local) > 2 else f"{local[:1]}***@{domain}"


def mask_phone(phone: str | None) -> str | None:
    """138****5678 — the usual Chinese convention: first three and last four digits."""
    if not phone:
        return phone
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    if len(digits) < 7:
        return "*" * len(phone)
    hidden = set(digits[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(phone))


def mask_wechat(wechat: str | None) -> str | None:
    if not wechat:
        return wechat
    return _mask_middle(wechat, keep_start=2, keep_end=1)


def _mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    end = text[len(text) - keep_end:] if keep_end else ""
    return text[:keep_start] + "***" + end


_MASKERS = {"email": mask_email, "phone": mask_phone, "wechat": mask_wechat}


def may_see(role: str, field: str) -> bool:
    return field in UNMASKED_FIELDS.get(role, frozenset())


def mask_personal(record: dict, role: str) -> dict:
    """A copy of `record` with each personal field the role may not see masked."""
    out = dict(record)
    for field, masker in _MASKERS.items():
        if field in out and not may_see(role, field):
            out[field] = masker(out[field])
    return out
