"""`serve(ws, host, port)`: run the web app with uvicorn (blocking). Binds 127.0.0.1 by default."""

from __future__ import annotations

import uvicorn

from b2bgrowth.web.app import create_app


def uvicorn_options(settings) -> dict:
    """Proxy handling from the settings: only the proxies named in `trusted_proxies` may set the
    client address (the per-address sign-in limits count it) and the scheme."""
    trusted = settings.trusted_proxies.strip()
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def serve(ws, host: str = "127.0.0.1", port: int = 8000) -> None:
    app = create_app(ws)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, **uvicorn_options(ws.settings))
