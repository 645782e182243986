"""Helpers for TestClient tests: read the CSRF token from a page, sign in as a seeded user."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from seed_company import PASSWORDS

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client: TestClient, path: str = "/login") -> str:
    return CSRF_INPUT.search(client.get(path).text).group(1)


def sign_in(client: TestClient, login: str, password: str | None = None):
    token = csrf_from(client)
    return client.post("/login", data={"login": login, "password": password or PASSWORDS[login], "csrf_token": token},
                       follow_redirects=False)
