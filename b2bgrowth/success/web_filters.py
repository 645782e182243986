"""Pages only: template filters the customer-success pages share.

`risk_reason` shows a churn-risk reason in the reader's language (see reason_text.py).
"""

from __future__ import annotations

from b2bgrowth.success.reason_text import localise_reason


def register_web(web) -> None:
    from b2bgrowth.web.templating import environment

    environment.filters["risk_reason"] = localise_reason
