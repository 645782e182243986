"""`trusted_proxies`: behind a reverse proxy the per-address limits count the real client
(X-Forwarded-For), and only when the proxy is trusted. A live uvicorn server on 127.0.0.1 with the
options `b2bgrowth serve` uses (web/server.py uvicorn_options); one bad API token request is one
failure for the address the server believes (auth/throttle.py)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from b2bgrowth.web.server import uvicorn_options

BAD = {"Authorization": "Bearer 0123456789abcdef.not-the-secret"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live(app):
    """Start the app under uvicorn with the given settings' proxy options; yield (base url, app)."""
    servers = []

    def start(trusted: str):
        app.state.ws.settings.trusted_proxies = trusted
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                               **uvicorn_options(app.state.ws.settings)))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.02)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def test_options_follow_the_setting(settings):
    assert uvicorn_options(settings) == {"proxy_headers": False}
    settings.trusted_proxies = " 10.0.0.0/8,127.0.0.1 "
    assert uvicorn_options(settings) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.0/8,127.0.0.1"}


def test_a_trusted_proxy_names_the_client(live, app):
    base = live("127.0.0.1")  # the test connects from 127.0.0.1, acting as the proxy
    for client in ("203.0.113.5", "203.0.113.5", "203.0.113.6"):
        assert httpx.get(f"{base}/api/v1/reports", headers={**BAD, "X-Forwarded-For": client}).status_code == 401
    counts = app.state.signin_limits.token_addresses
    assert (counts.failures("203.0.113.5"), counts.failures("203.0.113.6"), counts.failures("127.0.0.1")) == (2, 1, 0)


def test_without_trust_the_header_is_ignored(live, app):
    base = live("")  # default: the TCP peer is the client, whatever the header claims
    for client in ("203.0.113.5", "203.0.113.6"):
        assert httpx.get(f"{base}/api/v1/reports", headers={**BAD, "X-Forwarded-For": client}).status_code == 401
    counts = app.state.signin_limits.token_addresses
    assert (counts.failures("203.0.113.5"), counts.failures("127.0.0.1")) == (0, 2)
