"""`b2bgrowth demo --no-serve`: a fresh demo store, an admin whose password is printed, no clobbering."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from b2bgrowth.auth.service import verify_password
from b2bgrowth.cli.main import build_app
from b2bgrowth.settings import Settings
from b2bgrowth.workspace import Workspace


def _run(*args):
    return CliRunner().invoke(build_app(), list(args))


def test_demo_prints_a_working_login_and_replaces_only_its_own_store(tmp_path):
    data = tmp_path / "data"
    result = _run("--data-dir", str(data), "demo", "--size", "XS", "--seed", "3", "--no-serve")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8000" in result.output
    password = re.search(r"password:\s+(\S+)", result.output).group(1)
    ws = Workspace(Settings(data_dir=data, demo_mode=True))
    try:
        assert verify_password(ws, "admin", password) is not None
    finally:
        ws.close()
    assert (data / "demo-secret-key").exists()

    # Running it again replaces the earlier demo store (and makes a new admin password).
    again = _run("--data-dir", str(data), "demo", "--size", "XS", "--seed", "3", "--no-serve")
    assert again.exit_code == 0, again.output
    assert re.search(r"password:\s+(\S+)", again.output).group(1) != password


def test_demo_refuses_a_store_it_did_not_create(tmp_path):
    data = tmp_path / "data"
    from b2bgrowth.demo.generator import generate_company

    ws = Workspace(Settings(data_dir=data, secret_key="test-secret-key-0123456789"))
    generate_company(ws, "XS", seed=1, events=0)
    ws.close()
    result = _run("--data-dir", str(data), "demo", "--size", "XS", "--no-serve")
    assert result.exit_code != 0
    assert "--force" in result.output
    assert "Traceback" not in result.output
    bad = _run("--data-dir", str(data), "demo", "--size", "XXL", "--no-serve")
    assert bad.exit_code != 0 and "unknown size" in bad.output
