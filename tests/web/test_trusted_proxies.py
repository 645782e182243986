"""`trusted_proxies`: behind a reverse proxy the per-address limits count the real client
(X-Forwarded-For), and only when the proxy is trusted. A live uvicorn server on 127.0.0.1 with the
options `b2bgrowth serve` uses (web/server.py uvicorn_options); one bad API token request is one
failure for the address the server believes (auth/throttle.py)."""

from __future__ import annotations

import httpx
import pytest

from b2bgrowth.web.server import uvicorn_options

BAD = {"Authorization": "Bearer 0123456789abcdef.not-the-secret"}


@pytest.fixture
def live(app):
    """start(trusted) → the base URL of the app under uvicorn with `b2bgrowth serve`'s proxy options."""
    from contextlib import ExitStack

    from live_servers import serving

    with ExitStack() as stack:
        def start(trusted: str) -> str:
            app.state.ws.settings.trusted_proxies = trusted
            return stack.enter_context(serving(app, **uvicorn_options(app.state.ws.settings)))

        yield start


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
