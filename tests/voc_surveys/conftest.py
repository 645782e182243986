"""Survey test fixtures: the hand-built company of seed.py on both stores."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from seed import seed  # noqa: E402


@pytest.fixture
def company(ws):
    seed(ws)
    return ws
