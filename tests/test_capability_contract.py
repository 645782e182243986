"""The capability contract, tried as a third party would: a toy package, installed only as a
folder with an entry point in the `b2bgrowth.plugins` group, adds a table, a report, a derived
table, a CLI group, a JSON API route, a page with its own template, a nav entry and an account
panel — no file of b2bgrowth is edited — and each shows up in the CLI, the API, the OpenAPI
document and the web app, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from b2bgrowth import capabilities
from b2bgrowth.contract import Capability, CapabilityError, resolve
from b2bgrowth.store.base import Base

TOY_FILES = {
    "toy_growth/__init__.py": "",
    "toy_growth/models.py": '''
        from sqlalchemy import Integer, String
        from sqlalchemy.orm import Mapped, mapped_column

        from b2bgrowth.store.base import Base


        class ToyNote(Base):
            __tablename__ = "toy_notes"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            account_id: Mapped[str] = mapped_column(String(64))
            text: Mapped[str] = mapped_column(String(500))
        ''',
    "toy_growth/notes.py": '''
        import pandas as pd
        from sqlalchemy import select

        from b2bgrowth.reporting.derived import DerivedTable, load
        from toy_growth.models import ToyNote

        COMPUTED = []  # how often the derived table was computed (the test counts)


        def add_note(ws, account_id, text):
            with ws.store.write(touched=["toy_notes"]) as session:
                session.add(ToyNote(account_id=account_id, text=text))


        def _lengths(ws):
            COMPUTED.append(1)
            with ws.store.read() as session:
                rows = session.execute(select(ToyNote.account_id, ToyNote.text)).all()
            frame = pd.DataFrame(rows, columns=["account_id", "text"])
            frame["length"] = frame["text"].str.len()
            return {"lengths": frame.groupby("account_id", as_index=False)["length"].sum()}


        LENGTHS = DerivedTable(name="toy_note_lengths", depends_on=("toy_notes",), compute=_lengths)


        def lengths(ws):
            frame = load(ws, "toy_note_lengths")["lengths"]
            return {str(r.account_id): int(r.length) for r in frame.itertuples()}
        ''',
    "toy_growth/reports.py": '''
        from b2bgrowth.reporting.registry import Report, ReportParams
        from toy_growth.notes import lengths


        class Params(ReportParams):
            min_length: int = 0


        class ToyNotesReport(Report):
            name = "toy-notes"
            title = "Toy notes per account"
            Params = Params

            def execute(self, ws, params):
                rows = [{"account_id": a, "characters": n} for a, n in sorted(lengths(ws).items())
                        if n >= params.min_length]
                return {"accounts": rows, "total": sum(r["characters"] for r in rows)}
        ''',
    "toy_growth/cli.py": '''
        import typer

        from b2bgrowth.cli.context import console, state
        from toy_growth.notes import add_note


        def register(app: typer.Typer) -> None:
            toy = typer.Typer(help="Toy notes.", no_args_is_help=True)

            @toy.command("add")
            def add(ctx: typer.Context, account_id: str, text: str) -> None:
                """Add a note."""
                add_note(state(ctx).workspace(), account_id, text)
                console.print("added")

            app.add_typer(toy, name="toy")
        ''',
    "toy_growth/web.py": '''
        from fastapi import APIRouter, Request
        from fastapi.responses import HTMLResponse

        from b2bgrowth.web.deps import CurrentUser, WorkspaceDep
        from b2bgrowth.web.templating import render
        from toy_growth.notes import lengths

        api_router = APIRouter(prefix="/api/v1/toy", tags=["toy"])


        @api_router.get("/lengths", summary="Characters of notes per account")
        def api_lengths(ws: WorkspaceDep, user: CurrentUser) -> dict:
            return lengths(ws)


        pages = APIRouter()


        @pages.get("/toy", response_class=HTMLResponse)
        def toy_page(request: Request, ws: WorkspaceDep, user: CurrentUser):
            return render(request, "toy/notes.html", lengths=lengths(ws), active_nav="/toy")


        @pages.get("/toy/accounts/{account_id}/notes", response_class=HTMLResponse)
        def toy_panel(account_id: str, ws: WorkspaceDep, user: CurrentUser):
            return HTMLResponse(f"<p class=toy>{lengths(ws).get(account_id, 0)} characters</p>")


        def register_web(web) -> None:
            web.add_router(pages)
        ''',
    "toy_growth/templates/toy/notes.html": '''
        {% extends "base.html" %}
        {% block title %}Toy notes{% endblock %}
        {% block content %}<ul>{% for account, n in lengths.items() %}<li>{{ account }}: {{ n }}</li>{% endfor %}</ul>{% endblock %}
        ''',
    "toy_growth/settings.py": '''
        from pydantic_settings import BaseSettings, SettingsConfigDict


        class ToySettings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="B2BGROWTH_TOY_")
            min_note_length: int = 0
        ''',
    "toy_growth/capability.py": '''
        from b2bgrowth.contract import AccountPanel, Capability, NavItem

        CAPABILITY = Capability(
            name="toy",
            title="Toy notes",
            package="toy_growth",
            models=("toy_growth.models",),
            reports=("toy_growth.reports:ToyNotesReport",),
            derived_tables=("toy_growth.notes:LENGTHS",),
            cli=("toy_growth.cli:register",),
            api=("toy_growth.web:api_router",),
            pages=("toy_growth.web:register_web",),
            nav=(NavItem("/toy", "Toy notes", order=95),),
            account_panels=(AccountPanel("toy-notes", "Toy notes", "/toy/accounts/{account_id}/notes", order=1),),
            templates="templates",
            settings="toy_growth.settings:ToySettings",
        )
        ''',
    "toy_growth-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: toy-growth\nVersion: 0.1\n",
    "toy_growth-0.1.dist-info/entry_points.txt": "[b2bgrowth.plugins]\ntoy = toy_growth.capability:CAPABILITY\n",
}


@pytest.fixture
def toy_installed(tmp_path, monkeypatch):
    """The toy package 'installed' the way pip leaves a package: a folder on sys.path with its
    dist-info (the entry point). Afterwards every trace is removed, so later tests see only the
    built-in capabilities and schema."""
    from b2bgrowth.cli import main as cli_main

    site = tmp_path / "site"
    for name, text in TOY_FILES.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    capabilities.reset()
    cli_main.reset_app()
    yield site
    for module in [m for m in sys.modules if m == "toy_growth" or m.startswith("toy_growth.")]:
        del sys.modules[module]
    if "toy_notes" in Base.metadata.tables:
        Base.metadata.remove(Base.metadata.tables["toy_notes"])
    monkeypatch.undo()
    importlib.invalidate_caches()
    capabilities.reset()
    cli_main.reset_app()


def test_a_third_party_capability_appears_everywhere(toy_installed, settings):
    from b2bgrowth.cli.main import build_app
    from b2bgrowth.web.app import create_app
    from b2bgrowth.workspace import Workspace

    assert [c.name for c in capabilities.declared()][-1] == "toy"
    assert capabilities.get("toy").builtin is False and capabilities.get("revenue").builtin is True

    # The CLI: its own group, and its report among the generated report commands.
    app = build_app()
    runner = CliRunner()
    data = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        data += ["--database-url", settings.database_url]
    assert "toy" in runner.invoke(app, ["--help"]).output
    # A command other than import / user add needs a store to exist; opening one creates the toy table.
    if not settings.database_url:  # (the PostgreSQL fixture's database is migrated already)
        refused = runner.invoke(app, [*data, "toy", "add", "A1", "hello"])
        assert refused.exit_code == 1 and "no b2bgrowth store" in refused.output.replace("\n", " ")
    Workspace(settings).close()
    assert runner.invoke(app, [*data, "toy", "add", "A1", "hello"]).exit_code == 0
    assert runner.invoke(app, [*data, "toy", "add", "A1", "world!"]).exit_code == 0
    assert runner.invoke(app, [*data, "toy", "add", "B2", "hi"]).exit_code == 0
    result = runner.invoke(app, [*data, "report", "toy-notes", "--min-length", "3", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"accounts": [{"account_id": "A1", "characters": 11}], "total": 11}

    ws = Workspace(settings)
    try:
        # Python: the same report; the derived table is cached until the toy table changes.
        from toy_growth.notes import COMPUTED, add_note

        assert ws.report("toy-notes") == {"accounts": [{"account_id": "A1", "characters": 11},
                                                       {"account_id": "B2", "characters": 2}], "total": 13}
        computed = len(COMPUTED)
        ws.report("toy-notes")
        assert len(COMPUTED) == computed
        add_note(ws, "B2", "abc")
        assert ws.report("toy-notes", min_length=5)["accounts"] == [{"account_id": "A1", "characters": 11},
                                                                   {"account_id": "B2", "characters": 5}]
        assert len(COMPUTED) == computed + 1

        # The web app: API route, report API, OpenAPI, page with its template, nav, panel.
        from fastapi.testclient import TestClient

        from b2bgrowth.accounts.models import Account

        with ws.store.write(touched=["accounts"]) as session:
            session.add(Account(account_id="A1", name="Acme"))

        from b2bgrowth.auth import service

        service.create_user(ws, "toy-admin", "admin", "toy-admin-pass-1")
        token = service.create_token(ws, "toy-admin")
        web = create_app(ws)
        with TestClient(web, headers={"Authorization": f"Bearer {token}"}) as client:
            assert client.get("/api/v1/toy/lengths").json() == {"A1": 11, "B2": 5}
            assert client.get("/api/v1/reports/toy-notes?min_length=6").json()["total"] == 11
            openapi = client.get("/api/v1/openapi.json").json()
            assert "/api/v1/toy/lengths" in openapi["paths"]
            page = client.get("/toy")
            assert page.status_code == 200 and "<li>A1: 11</li>" in page.text
            assert 'href="/toy"' in page.text  # the nav entry
            account = client.get("/accounts/A1")
            assert 'id="panel-toy-notes"' in account.text and "/toy/accounts/A1/notes" in account.text
            assert client.get("/toy/accounts/A1/notes").text == "<p class=toy>11 characters</p>"
    finally:
        # The PostgreSQL database is shared by the session: leave it with the built-in schema.
        Base.metadata.drop_all(ws.store.engine, tables=[Base.metadata.tables["toy_notes"]])
        ws.close()


def test_a_capability_reads_its_own_settings(toy_installed, sqlite_ws, monkeypatch):
    assert sqlite_ws.capability_settings("toy").min_note_length == 0
    monkeypatch.setenv("B2BGROWTH_TOY_MIN_NOTE_LENGTH", "7")
    assert sqlite_ws.capability_settings("toy").min_note_length == 7
    assert sqlite_ws.capability_settings("revenue") is None  # declares none


def test_declarations_are_checked():
    with pytest.raises(CapabilityError, match="letters, digits"):
        Capability(name="has space")
    with pytest.raises(CapabilityError, match="tuple of references"):
        Capability(name="x", reports="b2bgrowth.revenue.reports:RevenueReport")  # type: ignore[arg-type]
    with pytest.raises(CapabilityError, match="templates need `package`"):
        Capability(name="x", templates="templates")
    with pytest.raises(CapabilityError, match="has no 'Nope'"):
        resolve("b2bgrowth.revenue.reports:Nope")


def test_a_name_declared_twice_is_refused(monkeypatch):
    monkeypatch.setattr(capabilities, "BUILTIN", (*capabilities.BUILTIN, "b2bgrowth.revenue.capability:CAPABILITY"))
    monkeypatch.setattr(capabilities, "_declared", None)
    with pytest.raises(CapabilityError, match="declared twice: revenue"):
        capabilities.declared()
    monkeypatch.setattr(capabilities, "_declared", None)


def test_every_builtin_reference_resolves():
    """A typo in a declaration fails here, not when someone opens that page."""
    for capability in capabilities.declared():
        for ref in (*capability.models, *capability.reports, *capability.derived_tables,
                    *capability.recompute_steps, *capability.cli, *capability.api, *capability.pages):
            assert resolve(ref) is not None, ref
    assert capabilities.template_dirs() == [] or all(p.is_dir() for p in capabilities.template_dirs())


def test_capability_folders_declare_themselves():
    """Every built-in capability package has its declaration in capability.py."""
    root = Path(__file__).resolve().parents[1] / "b2bgrowth"
    declared = {ref.split(":")[0] for ref in capabilities.BUILTIN}
    on_disk = {f"b2bgrowth.{p.parent.name}.capability" for p in root.glob("*/capability.py")}
    assert declared == on_disk
