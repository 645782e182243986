"""The tier rules' page and API (the rules: b2bgrowth/accounts/tiers.py; applied: success/tiering.py).

    GET  /success/tiers                        tier rules and accounts per tier; editor       any signed-in role
    POST /success/tiers                        save the rules, re-tier every account          admin; CSRF
    GET  /api/v1/success/tier-rules            the tier rules                                any signed-in role

Declared in b2bgrowth/success/capability.py; the template is success/templates/success/tiers.html.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from b2bgrowth import i18n
from b2bgrowth.web.deps import CurrentUser, PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["success"])
ADMIN = Depends(require_roles("admin"))


def _tiers_context(ws: Workspace):
    from sqlalchemy import func, select

    from b2bgrowth.accounts.api import DEFAULT_RULES, load_rules
    from b2bgrowth.accounts.models import Account

    rules = load_rules(ws)
    with ws.store.read() as session:
        counts = {t or "": n for t, n in session.execute(select(Account.tier, func.count()).group_by(Account.tier))}
    return {"rules": rules, "defaults": list(DEFAULT_RULES), "is_default": rules == list(DEFAULT_RULES),
            "counts": counts, "currency": ws.settings.reporting_currency}


@router.get("/success/tiers")
def tiers_page(request: Request, ws: WorkspaceDep, user: PageUser):
    return render(request, "success/tiers.html", **_tiers_context(ws), errors=[], is_admin=user.role == "admin",
                  changed=request.query_params.get("changed"))


def _threshold(text: str, field: str, whole: bool = False):
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(i18n.gettext("%(field)s: %(value)s is not a number", field=field, value=text)) from None
    if whole:
        if value != int(value):
            raise ValueError(i18n.gettext("%(field)s: %(value)s is not a whole number", field=field, value=text))
        return int(value)
    return value


@router.post("/success/tiers", dependencies=[ADMIN])
async def save_tiers(request: Request, ws: WorkspaceDep, user: CurrentUser):
    from b2bgrowth.accounts.api import RULE_TIERS, TierRule
    from b2bgrowth.success.tiering import reset_rules, save_rules

    form = await request.form()
    try:
        if form.get("action") == "reset":
            changed = reset_rules(ws, by=user.login)
        else:
            rules = [TierRule(tier, _threshold(str(form.get(f"{tier}_min_arr", "")), f"{tier} ARR"),
                              _threshold(str(form.get(f"{tier}_min_employees", "")), f"{tier} employees", whole=True),
                              _threshold(str(form.get(f"{tier}_min_annual_revenue", "")), f"{tier} annual revenue"))
                     for tier in RULE_TIERS]
            changed = save_rules(ws, rules, by=user.login)
    except ValueError as exc:
        return render(request, "success/tiers.html", status_code=422, **_tiers_context(ws), errors=[str(exc)],
                      is_admin=True, changed=None)
    return RedirectResponse(f"/success/tiers?changed={changed}", status_code=303)


@api.get("/api/v1/success/tier-rules")
def tier_rules_api(ws: WorkspaceDep, user: CurrentUser) -> dict:
    context = _tiers_context(ws)
    return {"rules": [asdict(r) for r in context["rules"]], "is_default": context["is_default"],
            "currency": context["currency"], "accounts_per_tier": context["counts"]}


def register_web(web) -> None:
    web.add_router(router)
    web.add_router(api)
    web.add_nav("/success/tiers", "Tier rules", roles=("admin",), order=49)
