"""Lead, pipeline and channel pages over the hand-built dataset of leads_seed.py, on both stores.

`signed_in(role, lang)` and `anonymous` come from tests/conftest.py and run over this folder's `app`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from b2bgrowth.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))
from leads_seed import WINDOW, seed_leads  # noqa: E402,F401


@pytest.fixture
def app(ws):
    seed_leads(ws)
    return create_app(ws)
