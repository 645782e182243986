"""`b2bgrowth user add|list|passwd` and `b2bgrowth token create|list|revoke` (the users and
tokens of b2bgrowth/auth, which the web toolkit also uses and so sits below every capability)."""

from __future__ import annotations

import typer

from b2bgrowth.auth.roles import ROLES
from b2bgrowth.cli.context import console, fail, print_json, state

user_app = typer.Typer(help="Users of the web app (roles: " + ", ".join(ROLES) + ").", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for machines (Authorization: Bearer <token>).", no_args_is_help=True)


def _ask_password() -> str:
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    login: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", help="One of: " + ", ".join(ROLES) + "."),
    password: str | None = typer.Option(None, "--password", help="Prompted (hidden) when omitted; at least 8 characters."),
    display_name: str | None = typer.Option(None, "--name", help="Name shown in the app."),
) -> None:
    """Add a user."""
    from b2bgrowth.auth import service

    if role not in ROLES:
        fail(f"--role: unknown role {role!r}; one of: {', '.join(ROLES)}")
    if password is None:
        password = _ask_password()
    try:
        service.create_user(state(ctx).workspace(create=True), login, role, password, display_name)
    except ValueError as exc:
        fail(str(exc))
    console.print(f"user [bold]{login}[/] added with role {role}")


@user_app.command("passwd")
def user_passwd(
    ctx: typer.Context,
    login: str = typer.Argument(...),
    password: str | None = typer.Option(None, "--password", help="Prompted (hidden) when omitted."),
) -> None:
    """Set a user's password."""
    from b2bgrowth.auth import service

    if password is None:
        password = _ask_password()
    try:
        service.set_password(state(ctx).workspace(), login, password)
    except ValueError as exc:
        fail(str(exc))
    console.print(f"password of [bold]{login}[/] changed")


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """List users."""
    from b2bgrowth.auth import service

    rows = [{"login": u.login, "name": u.display_name, "role": u.role, "active": u.active}
            for u in service.list_users(state(ctx).workspace())]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['login']:<20} {row['role']:<8} {row['name'] or ''}")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    login: str = typer.Argument(..., help="The user the token acts as (its role applies)."),
    name: str | None = typer.Option(None, "--name", help="What the token is for."),
) -> None:
    """Create an API token and print it once (only a hash is stored)."""
    from b2bgrowth.auth import service

    try:
        token = service.create_token(state(ctx).workspace(), login, name)
    except ValueError as exc:
        fail(str(exc))
    # Plain stdout so scripts can capture it: TOKEN=$(b2bgrowth token create bot)
    typer.echo(token)


@token_app.command("list")
def token_list(ctx: typer.Context, login: str | None = typer.Argument(None)) -> None:
    """List tokens (ids only; secrets are never stored)."""
    from b2bgrowth.auth import service

    for t in service.list_tokens(state(ctx).workspace(), login):
        status = "revoked" if t.revoked else "active"
        console.print(f"{t.token_id}  {t.login:<16} {status:<8} {t.name or ''}")


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, token_id: str = typer.Argument(..., help="The part before the dot.")) -> None:
    """Revoke a token."""
    from b2bgrowth.auth import service

    if not service.revoke_token(state(ctx).workspace(), token_id.partition(".")[0]):
        fail(f"no token {token_id!r}")
    console.print(f"token {token_id.partition('.')[0]} revoked")


def register_cli(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
