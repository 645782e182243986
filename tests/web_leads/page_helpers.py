"""Helpers for the lead page tests (a module name of its own: several test folders have a conftest)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, path: str = "/accounts") -> str:
    """The session's CSRF token, read from a page that has a form (sign-out is on every page)."""
    return CSRF_INPUT.search(client.get(path).text).group(1)
