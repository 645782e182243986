"""`b2bgrowth user add` and `b2bgrowth token create` against the test store."""

from __future__ import annotations

from typer.testing import CliRunner

from b2bgrowth.auth import service
from b2bgrowth.cli.main import build_app


def _invoke(ws, *args, input=None):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        base += ["--database-url", ws.settings.database_url]
    return CliRunner().invoke(build_app(), base + list(args), input=input)


def test_user_add_token_create_and_revoke(ws):
    added = _invoke(ws, "user", "add", "li.na", "--role", "sales", "--password", "s3cret-enough")
    assert added.exit_code == 0, added.output
    assert service.verify_password(ws, "li.na", "s3cret-enough").role == "sales"
    created = _invoke(ws, "token", "create", "li.na", "--name", "etl")
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert service.user_for_token(ws, token).login == "li.na"
    assert _invoke(ws, "token", "revoke", token.partition(".")[0]).exit_code == 0
    assert service.user_for_token(ws, token) is None


def test_user_add_prompts_for_the_password_and_refuses_weak_ones(ws):
    weak = _invoke(ws, "user", "add", "bob", "--role", "viewer", "--password", "short")
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output
    prompted = _invoke(ws, "user", "add", "bob", "--role", "viewer", input="long-enough-1\nlong-enough-1\n")
    assert prompted.exit_code == 0, prompted.output
    assert service.verify_password(ws, "bob", "long-enough-1") is not None


def test_user_add_refuses_unknown_roles_and_token_for_unknown_user(ws):
    bad_role = _invoke(ws, "user", "add", "carl", "--role", "owner", "--password", "long-enough-1")
    assert bad_role.exit_code == 1 and "unknown role 'owner'" in bad_role.output
    no_user = _invoke(ws, "token", "create", "ghost")
    assert no_user.exit_code == 1 and "no active user 'ghost'" in no_user.output
