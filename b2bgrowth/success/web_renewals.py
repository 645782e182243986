"""Renewals page: /success/renewals — contracts due in a window with health, risk, likelihood and
owner (filter by owner and tier), the quarter forecast chart and the churn model's backtest.

Every figure comes from the registry reports "renewals", "renewal-forecast" and "churn-model",
exactly as GET /api/v1/reports/… returns them; the page only lays them out.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request

from b2bgrowth.i18n.labels import N_
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.templating import render

router = APIRouter(include_in_schema=False)

WINDOWS = (30, 60, 90, 180)
COLOR_LABELS = {"green": N_("Green"), "yellow": N_("Yellow"), "red": N_("Red")}
COLOR_BADGES = {"green": "badge-good", "yellow": "badge-warn", "red": "badge-bad"}


@router.get("/success/renewals")
def renewals_page(request: Request, ws: WorkspaceDep, user: PageUser, days: int = Query(90),
                  owner: str = Query(""), tier: str = Query(""), as_of: str = Query("", alias="as_of")):
    errors: list[str] = []
    if days not in WINDOWS:
        errors.append(N_("Choose a window of 30, 60, 90 or 180 days."))
        days = 90
    day = date.today()
    if as_of:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            errors.append(N_("The date must be YYYY-MM-DD."))
    due = ws.report("renewals", as_of=day, days=days)["renewals"]
    owners = sorted({r["owner"] for r in due if r["owner"]})
    tiers = sorted({r["tier"] for r in due if r["tier"]})
    shown = [r for r in due if (not owner or r["owner"] == owner) and (not tier or r["tier"] == tier)]
    forecast = ws.report("renewal-forecast", as_of=day)
    model = ws.report("churn-model", as_of=day)
    totals = {"contracts": len(shown), "arr": sum(r["arr"] for r in shown),
              "expected": sum(r["arr"] * (r["likelihood_to_renew"] if r["likelihood_to_renew"] is not None else 1)
                              for r in shown)}
    return render(request, "success/renewals.html", status_code=400 if errors else 200, errors=errors,
                  as_of=day, days=days, windows=WINDOWS, owner=owner, tier=tier, owners=owners, tiers=tiers,
                  rows=shown, totals=totals, forecast=forecast, model=model, color_labels=COLOR_LABELS,
                  color_badges=COLOR_BADGES)


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/success/renewals", "Renewals", order=44)
