"""The stats calculator and the sample-size planner pages (issue 5 item 8).

They compute nothing that changes state, so they answer GET (viewers use them too; htmx
re-renders the result on each change). Every number comes from the stats package.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from sqlalchemy import func, select

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments.web_format import FORMATTERS, fmt_effect, fmt_rate, interval_chart
from b2bgrowth.i18n.labels import N_
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.filters import is_htmx
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
SRM_THRESHOLD = 0.001  # below this the unit counts do not fit the weights: the split is broken

ENGINE_LABELS = {"frequentist": N_("Frequentist (Welch t)"), "bayesian": N_("Bayesian")}
DIFFERENCE_LABELS = {"relative": N_("Relative (%)"), "absolute": N_("Absolute")}
METRIC_TYPE_LABELS = {"proportion": N_("Proportion (converted or not)"), "mean": N_("Mean (per unit value)")}


# ------------------------------------------------------------------ stats calculator

VARIANT_FIELDS = ("name", "n", "sum", "sum_squares", "covariate_sum", "covariate_sum_squares", "covariate_product_sum")
COVARIATE_FIELDS = VARIANT_FIELDS[4:]
# What the calculator shows before anyone types: a trial-to-paid test on 1,000 + 1,000 accounts.
CALCULATOR_EXAMPLE = {
    "engine": "frequentist", "difference": "relative", "alpha": "0.05", "sequential": "", "sequential_tuning": "5000",
    "metric_type": "proportion", "inverse": "", "allow_negative": "",
    "variants": [{"name": "control", "n": "1000", "sum": "100"}, {"name": "treatment", "n": "1000", "sum": "130"}],
}


class FormError(ValueError):
    """A field the form could not turn into the contract (named like the contract's own errors)."""


def form_number(text: str, where: str, whole: bool = False) -> float | None:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FormError(f"{where}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise FormError(f"{where}: must be a finite number, got {text!r}")
    if whole and value == int(value):
        return int(value)
    return value


def calculator_form(params) -> dict:
    """The calculator's fields as the user typed them (strings), from GET parameters."""
    form = {k: params.get(k, "") for k in ("engine", "difference", "alpha", "sequential", "sequential_tuning",
                                          "metric_type", "inverse", "allow_negative")}
    columns = {f: params.getlist(f) for f in VARIANT_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    rows = []
    for i in range(count):
        row = {f: (columns[f][i] if i < len(columns[f]) else "").strip() for f in VARIANT_FIELDS}
        if any(row.values()):
            rows.append(row)
    form["variants"] = rows
    return form


def contract_from_form(form: dict) -> dict:
    """Form strings → the `experiment stats` JSON contract (numbers parsed; empty optional fields left out)."""
    data: dict[str, Any] = {
        "engine": form.get("engine") or "frequentist",
        "difference": form.get("difference") or "relative",
        "sequential": bool(form.get("sequential")),
        "metric": {"type": form.get("metric_type") or "proportion", "inverse": bool(form.get("inverse")),
                   "allow_negative": bool(form.get("allow_negative"))},
        "variants": [],
    }
    alpha = form_number(form.get("alpha", ""), "alpha")
    if alpha is not None:
        data["alpha"] = alpha
    tuning = form_number(form.get("sequential_tuning", ""), "sequential_tuning")
    if tuning is not None:
        data["sequential_tuning"] = tuning
    for i, row in enumerate(form.get("variants") or []):
        variant: dict[str, Any] = {"name": row.get("name", "")}
        for field in VARIANT_FIELDS[1:]:
            value = form_number(row.get(field, ""), f"variants[{i}].{field}", whole=field == "n")
            if value is not None:
                variant[field] = value
        data["variants"].append(variant)
    return data


def run_calculator(form: dict) -> tuple[dict | None, str | None]:
    """(result, None) or (None, the reason in the stats package's words)."""
    from b2bgrowth.experiments.stats import ContractError, compute

    try:
        data = contract_from_form(form)
        result = compute(data)
    except (FormError, ContractError) as exc:
        return None, str(exc)
    relative = data["difference"] == "relative"
    arms = []
    for v in data["variants"]:
        mean = v["sum"] / v["n"]
        arms.append({"name": v["name"], "n": v["n"], "mean": mean})
    rows = [dict(r, label=r["variant"]) for r in result["results"]]
    result.update(arms=arms, relative=relative, engine=data["engine"], sequential=data["sequential"],
                  alpha=data.get("alpha", 0.05), metric_type=data["metric"]["type"],
                  chart=interval_chart(rows, relative, data["metric"]["inverse"]),
                  srm_alarm=result["srm_p_value"] is not None and result["srm_p_value"] < SRM_THRESHOLD)
    return result, None


@router.get("/experiments/calculator")
def calculator_page(request: Request, user: PageUser):
    submitted = "variants" in request.query_params or "n" in request.query_params
    form = calculator_form(request.query_params) if submitted else CALCULATOR_EXAMPLE
    result, error = run_calculator(form)
    context = dict(form=form, result=result, error=error, engines=ENGINE_LABELS, differences=DIFFERENCE_LABELS,
                   metric_types=METRIC_TYPE_LABELS, **FORMATTERS)
    if is_htmx(request):  # htmx swaps only 2xx answers: the reason is shown in the partial with 200
        return render(request, "experiments/_calculator_result.html", **context)
    return render(request, "experiments/calculator.html", status_code=422 if error else 200, **context)


# ------------------------------------------------------------------ planner

PLANNER_DEFAULTS = {"metric": "proportion", "baseline": "0.1", "std_dev": "", "difference": "relative", "mde": "0.2",
                    "alpha": "0.05", "power": "0.8", "arms": "2", "units": "", "arrivals_per_day": ""}


def planner_form(params, default_units: int) -> dict:
    if "baseline" not in params:
        return dict(PLANNER_DEFAULTS, units=str(default_units) if default_units >= 4 else "")
    return {k: params.get(k, "").strip() for k in PLANNER_DEFAULTS}


def run_planner(form: dict) -> tuple[dict | None, str | None]:
    """stats.plan() on the form's design, with the CLI's checks (each names its field)."""
    from b2bgrowth.experiments.stats import Design, plan

    try:
        metric, difference = form.get("metric") or "proportion", form.get("difference") or "relative"
        if metric not in ("proportion", "mean"):
            raise FormError(f"metric: one of 'proportion', 'mean', got {metric!r}")
        if difference not in ("relative", "absolute"):
            raise FormError(f"difference: one of 'relative', 'absolute', got {difference!r}")
        baseline = form_number(form.get("baseline", ""), "baseline")
        std_dev = form_number(form.get("std_dev", ""), "std_dev")
        mde = form_number(form.get("mde", ""), "mde")
        alpha = form_number(form.get("alpha", ""), "alpha") or 0.05
        power = form_number(form.get("power", ""), "power") or 0.8
        arms = form_number(form.get("arms", ""), "arms", whole=True) or 2
        units = form_number(form.get("units", ""), "units", whole=True)
        arrivals = form_number(form.get("arrivals_per_day", ""), "arrivals_per_day")
        if baseline is None:
            raise FormError("baseline: missing (the control's conversion rate or mean)")
        if not 0 < alpha < 1:
            raise FormError(f"alpha: must lie strictly between 0 and 1, got {alpha:g}")
        if not 0 < power < 1:
            raise FormError(f"power: must lie strictly between 0 and 1, got {power:g}")
        if arms != int(arms) or arms < 2:
            raise FormError(f"arms: a whole number, at least 2 (a control and a treatment), got {arms:g}")
        if metric == "proportion" and not 0 < baseline < 1:
            raise FormError(f"baseline: a conversion rate strictly between 0 and 1, got {baseline:g}")
        if metric == "mean" and (std_dev is None or std_dev <= 0):
            raise FormError("std_dev: a positive per-unit standard deviation is required for a mean metric")
        if difference == "relative" and baseline == 0:
            raise FormError("baseline: a relative MDE needs a non-zero baseline; choose an absolute difference")
        if mde is None and units is None:
            raise FormError("mde / units: give an MDE (for a sample size) and/or the units you have (for the detectable effect)")
        if mde == 0:
            raise FormError("mde: must not be 0")
        if metric == "proportion" and mde is not None:
            treated = baseline * (1 + mde) if difference == "relative" else baseline + mde
            if not 0 < treated < 1:
                raise FormError(f"mde: moves the conversion rate to {treated:g}, outside (0, 1)")
        if units is not None and (units != int(units) or units < 4):
            raise FormError(f"units: a whole number of at least 4 units, got {units:g}")
        if arrivals is not None and arrivals <= 0:
            raise FormError(f"arrivals_per_day: must be positive, got {arrivals:g}")
    except FormError as exc:
        return None, str(exc)
    design = Design(metric, baseline, std_dev if metric == "mean" else None, difference, alpha, power, int(arms))  # type: ignore[arg-type]
    result = plan(design, mde=mde, available_units=None if units is None else int(units), arrivals_per_day=arrivals)
    result["metric"] = metric
    result["warnings"] = planner_warnings(result)
    return result, None


def planner_warnings(result: dict) -> list[dict]:
    """plan()'s warnings as message ids and values, so the template says them in the page's
    language (plan's own are English sentences)."""
    from b2bgrowth.experiments.stats.power import SMALL_ARM

    out = []
    relative = result["difference"] == "relative"
    per_arm = result.get("sample_size_per_arm")
    if per_arm is not None and per_arm < SMALL_ARM:
        out.append({"msg": N_("Only %(n)s units per arm: below %(small)s the normal approximation is rough."),
                    "vars": {"n": per_arm, "small": SMALL_ARM}})
    available = result.get("available_per_arm")
    if available is not None and available < 2:
        out.append({"msg": N_("%(units)s units cannot fill %(arms)s arms with 2 units each."),
                    "vars": {"units": result["available_units"], "arms": result["arms"]}})
    elif available is not None:
        if "mde_at_available" in result and result["mde_at_available"] is None:
            out.append({"msg": N_("Underpowered: no change of this conversion rate is detectable with the units you have."),
                        "vars": {}})
        achieved = result.get("power_at_available")
        if achieved is not None and achieved < result["power"]:
            out.append({"msg": N_("Underpowered: %(available)s units per arm give %(achieved)s power for an MDE of "
                                  "%(mde)s; %(needed)s per arm are needed for %(power)s."),
                        "vars": {"available": available, "achieved": fmt_rate(achieved),
                                 "mde": fmt_effect(result["mde"], relative), "needed": f"{per_arm:,}",
                                 "power": fmt_rate(result["power"])}})
        if available < SMALL_ARM:
            out.append({"msg": N_("Only %(n)s units per arm: stratify by tier and consider CUPED to cut the variance."),
                        "vars": {"n": available}})
    return out


def account_count(ws: Workspace) -> int:
    with ws.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)


@router.get("/experiments/planner")
def planner_page(request: Request, ws: WorkspaceDep, user: PageUser):
    accounts = account_count(ws)
    form = planner_form(request.query_params, accounts)
    result, error = run_planner(form)
    context = dict(form=form, result=result, error=error, accounts=accounts, differences=DIFFERENCE_LABELS,
                   metric_types=METRIC_TYPE_LABELS, **FORMATTERS)
    if is_htmx(request):
        return render(request, "experiments/_planner_result.html", **context)
    return render(request, "experiments/planner.html", status_code=422 if error else 200, **context)
