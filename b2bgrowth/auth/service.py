"""Users and API tokens in the operational store (the functions the CLI, web app and demo use)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.auth import security
from b2bgrowth.auth.models import ApiToken, User
from b2bgrowth.auth.security import generate_password  # noqa: F401  (part of this module's API)

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

TOKEN_SEPARATOR = "."


class AuthError(ValueError):
    """A user or token operation that cannot be done (unknown login, duplicate, weak password)."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_user(ws: Workspace, login: str, role: str, password: str, display_name: str | None = None) -> User:
    login = (login or "").strip()
    if not login or len(login) > 64:
        raise AuthError("login must be 1 to 64 characters")
    security.check_role(role)
    security.check_password_strength(password)
    with ws.store.write(touched=["users"]) as session:
        if session.get(User, login) is not None:
            raise AuthError(f"user {login!r} already exists")
        user = User(
            login=login, role=role, display_name=display_name or login,
            password_hash=security.hash_password(password), active=True, created_at=_now(),
        )
        session.add(user)
    return user


def set_password(ws: Workspace, login: str, password: str) -> None:
    security.check_password_strength(password)
    with ws.store.write(touched=["users"]) as session:
        user = session.get(User, login)
        if user is None:
            raise AuthError(f"no user {login!r}")
        user.password_hash = security.hash_password(password)


def get_user(ws: Workspace, login: str) -> User | None:
    with ws.store.read() as session:
        user = session.get(User, login)
        return user if user is not None and user.active else None


def list_users(ws: Workspace) -> list[User]:
    with ws.store.read() as session:
        return list(session.execute(select(User).order_by(User.login)).scalars())


def verify_password(ws: Workspace, login: str, password: str) -> User | None:
    """The active user when the password is right, else None (same cost either way)."""
    with ws.store.read() as session:
        user = session.get(User, (login or "").strip())
    if user is None or not user.active:
        security.password_matches(security.DUMMY_HASH, password or "")
        return None
    if not security.password_matches(user.password_hash, password or ""):
        return None
    if security.password_needs_rehash(user.password_hash):
        with ws.store.write(touched=["users"]) as session:
            stored = session.get(User, user.login)
            if stored is not None:  # None: the user was removed meanwhile
                stored.password_hash = security.hash_password(password)
    return user


def create_token(ws: Workspace, login: str, name: str | None = None) -> str:
    """A new API token "<token_id>.<secret>"; only a hash of the secret is kept."""
    token_id, secret = security.new_token_parts()
    with ws.store.write(touched=["api_tokens"]) as session:
        user = session.get(User, login)
        if user is None or not user.active:
            raise AuthError(f"no active user {login!r}")
        session.add(ApiToken(
            token_id=token_id, login=login, name=name,
            secret_hash=security.hash_token_secret(secret), created_at=_now(), revoked=False,
        ))
    return f"{token_id}{TOKEN_SEPARATOR}{secret}"


def revoke_token(ws: Workspace, token_id: str) -> bool:
    with ws.store.write(touched=["api_tokens"]) as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            return False
        token.revoked = True
        return True


def list_tokens(ws: Workspace, login: str | None = None) -> list[ApiToken]:
    with ws.store.read() as session:
        query = select(ApiToken).order_by(ApiToken.created_at)
        if login:
            query = query.where(ApiToken.login == login)
        return list(session.execute(query).scalars())


def user_for_token(ws: Workspace, token: str) -> User | None:
    token_id, sep, secret = (token or "").strip().partition(TOKEN_SEPARATOR)
    if not sep or not token_id or not secret or len(token_id) > 32:
        return None
    with ws.store.read() as session:
        row = session.get(ApiToken, token_id)
        if row is None or row.revoked or not security.token_secret_matches(row.secret_hash, secret):
            return None
        user = session.get(User, row.login)
        return user if user is not None and user.active else None
