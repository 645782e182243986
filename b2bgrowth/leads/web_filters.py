"""Page-only plugin: the `lead_reason` template filter (a lead score reason in the reader's
language; see reason_text.py)."""

from __future__ import annotations

from b2bgrowth.leads.reason_text import localise_lead_reason


def register_web(web) -> None:
    from b2bgrowth.web.templating import environment

    environment.filters["lead_reason"] = localise_lead_reason
