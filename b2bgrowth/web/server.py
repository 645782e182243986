"""`serve(ws, host, port)`: run the web app with uvicorn (blocking). Binds 127.0.0.1 by default."""

from __future__ import annotations

import uvicorn

from b2bgrowth.web.app import create_app


def serve(ws, host: str = "127.0.0.1", port: int = 8000) -> None:
    app = create_app(ws)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
