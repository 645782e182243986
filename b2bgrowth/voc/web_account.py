"""The NPS panel of the account page (WebRegistry.add_account_panel, registered by voc/web.py's
register_web): the account's NPS and its responses with their bands — from
b2bgrowth.voc.nps.account_nps (the one NPS definition), nothing computed here.

    GET /voc/accounts/{id}/nps     the fragment (404 for an unknown account)

The account page renders it in place (`render`). Every signed-in role may read it, as the NPS page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Request

from b2bgrowth.accounts.api import account_exists
from b2bgrowth.i18n.labels import N_
from b2bgrowth.voc.nps import account_nps
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
KEY, TITLE, PATH = "nps", N_("NPS"), "/voc/accounts/{account_id}/nps"
ROLES = None  # the NPS page's: every signed-in role


def render_panel(request: Request, ws: Workspace, user, account_id: str):
    if not account_exists(ws, account_id):
        raise HTTPException(404, f"no account with id {account_id!r}")
    return render(request, "voc/account_panel.html", title=TITLE, key=KEY, **account_nps(ws, account_id))


@router.get(PATH)
def nps_panel(account_id: str, request: Request, ws: WorkspaceDep, user: PageUser):
    return render_panel(request, ws, user, account_id)


def register(web) -> None:
    web.add_router(router)
    web.add_account_panel(KEY, TITLE, PATH, order=2, roles=ROLES, wide=True, render=render_panel)
