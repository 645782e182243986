"""Fixtures for the health tests; the planted company is in planted_health.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .planted_health import plant

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))  # seed_company, web_helpers


@pytest.fixture
def planted(ws):
    plant(ws)
    return ws
