"""Playbooks: rules that turn customer-success signals into tasks (issue 4 item 8).

    from b2bgrowth.success.playbooks.engine import run_playbooks
    run_playbooks(ws, date(2024, 6, 30))  # {"created", "kept", "handled", "closed", "woken", "signals", "skipped"}
"""

from typing import Any


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562): the `success playbooks` commands import this package at start-up.
    if name == "run_playbooks":
        from b2bgrowth.success.playbooks.engine import run_playbooks

        return run_playbooks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
