"""The revenue panel of the account page (WebRegistry.add_account_panel, registered by
revenue/web.py's register_web): current MRR, ARR, the subscription count, the MRR history
chart and the subscription rows — all from b2bgrowth.revenue.history, nothing computed here.

    GET /revenue/accounts/{id}/summary     the fragment (404 for an unknown account)

The account page renders it in place (`render`), so its figures are in the page's first HTML.
Every signed-in role may read it, as the revenue dashboard. `register` also gives the accounts
list its current MRR (WebRegistry.add_account_figure "current_mrr": history.current_mrr).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Request

from b2bgrowth.accounts.api import account_exists
from b2bgrowth.i18n.labels import N_
from b2bgrowth.revenue import history
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
KEY, TITLE, PATH = "revenue", N_("Revenue"), "/revenue/accounts/{account_id}/summary"
ROLES = None  # the revenue dashboard's: every signed-in role


def panel_context(ws: Workspace, account_id: str) -> dict:
    return {**history.account_revenue(ws, account_id), "currency": ws.settings.reporting_currency}


def render_panel(request: Request, ws: Workspace, user, account_id: str):
    if not account_exists(ws, account_id):
        raise HTTPException(404, f"no account with id {account_id!r}")
    return render(request, "revenue/account_panel.html", title=TITLE, key=KEY, **panel_context(ws, account_id))


@router.get(PATH)
def revenue_panel(account_id: str, request: Request, ws: WorkspaceDep, user: PageUser):
    return render_panel(request, ws, user, account_id)


def register(web) -> None:
    web.add_router(router)
    web.add_account_panel(KEY, TITLE, PATH, order=1, roles=ROLES, wide=True, render=render_panel)
    web.add_account_figure("current_mrr", history.current_mrr)  # the accounts list's MRR column and order
