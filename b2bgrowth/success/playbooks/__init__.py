"""Playbooks: rules that turn customer-success signals into tasks (issue 4 item 8).

    from b2bgrowth.success.playbooks import run_playbooks
    run_playbooks(ws, date(2024, 6, 30))  # {"created", "kept", "handled", "closed", "woken", "signals", "skipped"}
"""

from b2bgrowth.success.playbooks.engine import run_playbooks  # noqa: F401
