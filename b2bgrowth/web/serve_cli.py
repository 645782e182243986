"""`b2bgrowth serve` (the web app and the API; web/capability.py declares both)."""

from __future__ import annotations

import typer

from b2bgrowth.cli.context import console, fail, state


def register_cli(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        ctx: typer.Context,
        host: str = typer.Option(None, "--host", show_default=False,
                                 help="Interface to bind (default: the setting `host`, 127.0.0.1; keep it unless "
                                      "behind a proxy)."),
        port: int = typer.Option(None, "--port", min=1, max=65535, show_default=False,
                                 help="TCP port (default: the setting `port`, 8000)."),
    ) -> None:
        """Serve the web app and the REST API (/api/v1)."""
        from b2bgrowth.settings import SettingsError
        from b2bgrowth.web.server import serve

        ws = state(ctx).workspace()
        host = host or ws.settings.host
        port = port or ws.settings.port
        try:
            if adopt_demo_mode(ws.settings):
                console.print("demo store: serving in demo mode with the key `b2bgrowth demo` generated")
            ws.settings.require_secret_key()
        except SettingsError as exc:
            fail(str(exc))
        console.print(f"b2bgrowth on [bold]http://{host}:{port}[/]  (API: /api/v1, OpenAPI: /api/v1/openapi.json)")
        serve(ws, host=host, port=port)


def adopt_demo_mode(settings) -> bool:
    """A data directory that `b2bgrowth demo` built is served in demo mode again.

    So `make demo`, Ctrl-C, `b2bgrowth serve` works as people expect; any other store still
    needs B2BGROWTH_SECRET_KEY (a given key always wins).
    """
    from b2bgrowth.settings import DEMO_MARKER as MARKER

    if settings.secret_key or settings.demo_mode or settings.database_url:
        return False
    if not (settings.data_dir / MARKER).exists():
        return False
    settings.demo_mode = True
    return True
