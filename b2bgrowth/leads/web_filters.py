"""Pages only: the `lead_reason` and `lead_error` template filters (a lead score reason or
a lifecycle error in the reader's language; see reason_text.py)."""

from __future__ import annotations

from b2bgrowth.leads.reason_text import localise_lead_error, localise_lead_reason


def register_web(web) -> None:
    from b2bgrowth.web.templating import environment

    environment.filters["lead_reason"] = localise_lead_reason
    environment.filters["lead_error"] = localise_lead_error
