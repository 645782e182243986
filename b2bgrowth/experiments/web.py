"""Experiment pages (issue 5 item 8): the list, the set-up form, an experiment's overview with its
assignment preview, results and decision. The stats calculator and the sample-size planner are
in web_tools.py, number formatting in web_format.py.

Every number comes from the backend's registry / assignment / analysis functions; this module
reads forms and lays results out. Creating, starting, stopping and deciding are POSTs that only
admin and ops may make (with the form's CSRF token).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments.web_format import FORMATTERS, interval_chart
from b2bgrowth.experiments.web_tools import SRM_THRESHOLD, FormError, form_number
from b2bgrowth.i18n.labels import N_
from b2bgrowth.web.deps import PageUser, WorkspaceDep, require_roles
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

router = APIRouter(include_in_schema=False)
EDITORS = ("admin", "ops")
Editor = Depends(require_roles(*EDITORS))
MIN_SEGMENT_UNITS = 30  # analysis.py flags segments with fewer units per arm as too small


# ------------------------------------------------------------------ registry pages

STATUS_LABELS = {"draft": N_("draft"), "running": N_("running"), "stopped": N_("stopped"), "decided": N_("decided")}
UNIT_LABELS = {"account": N_("Account"), "contact": N_("Contact"), "user": N_("User")}
DECISION_LABELS = {"ship": N_("Ship"), "roll_back": N_("Roll back"), "iterate": N_("Iterate"),
                   "inconclusive": N_("Inconclusive")}
KIND_LABELS = {"primary": N_("Primary"), "secondary": N_("Secondary"), "guardrail": N_("Guardrail")}
METRIC_KIND_LABELS = {"primary": N_("Primary metrics"), "secondary": N_("Secondary metrics"),
                      "guardrail": N_("Guardrail metrics")}
SOURCE_LABELS = {"events": N_("Events"), "mrr_change": N_("MRR change"), "renewal": N_("Renewal")}
METRIC_KIND_TYPES = {"proportion": N_("proportion"), "mean": N_("mean"), "count": N_("count"), "revenue": N_("revenue"),
                     "ratio": N_("ratio")}
POPULATION_FIELDS = ("tier", "industry", "region", "type")
STRATIFY_LABELS = {"": N_("No stratification"), "tier": N_("Tier"), "industry": N_("Industry"), "region": N_("Region"),
                   "lifecycle_stage": N_("Lifecycle stage"), "type": N_("Type"), "owner": N_("Owner")}
METRIC_ROW_FIELDS = ("metric_kind", "metric_name", "metric_type", "metric_source", "metric_events",
                     "metric_denominator", "metric_property", "metric_window", "metric_direction", "metric_value")
WEIGHT_TOLERANCE = 1e-6


def population_choices(ws: Workspace) -> dict[str, list[str]]:
    """Distinct account values for the population filter (tier, industry, region, type)."""
    out = {}
    with ws.store.read() as session:
        for field in POPULATION_FIELDS:
            column = getattr(Account, field)
            out[field] = [v for v in session.scalars(select(column).distinct().where(column.is_not(None)).order_by(column)) if v]
    return out


def known_events(ws: Workspace, limit: int = 300) -> list[str]:
    """Event names seen in the event store: the catalogue the metric rows offer (a <datalist>);
    any other name may still be typed."""
    from b2bgrowth.events.engines import EventQueryError, query_events

    try:
        table = query_events(ws.events, "SELECT DISTINCT event FROM events WHERE event IS NOT NULL "
                                        f"ORDER BY event LIMIT {int(limit)}")
    except EventQueryError:
        return []  # a damaged or missing event store must not take the form down
    return table.column("event").to_pylist()


def empty_setup_form() -> dict:
    return {"key": "", "name": "", "hypothesis": "", "owner": "", "unit": "account", "stratify_by": "tier",
            "variants": [{"name": "control", "weight": "0.5"}, {"name": "treatment", "weight": "0.5"}],
            "metrics": [{"metric_kind": "primary", "metric_name": "", "metric_type": "proportion",
                         "metric_source": "events", "metric_events": "", "metric_denominator": "", "metric_property": "",
                         "metric_window": "90", "metric_direction": "higher", "metric_value": ""}],
            "population": {f: [] for f in POPULATION_FIELDS}, "roi_metric": "", "roi_cost": "",
            "planned_start": "", "planned_end": ""}


def _columns(form, names: tuple[str, ...]) -> list[dict]:
    columns = {f: form.getlist(f) for f in names}
    count = max((len(v) for v in columns.values()), default=0)
    rows = [{f: str(columns[f][i] if i < len(columns[f]) else "").strip() for f in names} for i in range(count)]
    return rows


def setup_form(form) -> dict:
    """The set-up form as typed (strings), to validate and to show again with its errors."""
    variants = [r for r in _columns(form, ("variant_name", "variant_weight")) if r["variant_name"] or r["variant_weight"]]
    metrics = [r for r in _columns(form, METRIC_ROW_FIELDS) if r["metric_name"] or r["metric_events"]]
    return {
        **{f: str(form.get(f, "")).strip() for f in ("key", "name", "hypothesis", "owner", "unit", "stratify_by",
                                                     "roi_metric", "roi_cost", "planned_start", "planned_end")},
        "variants": [{"name": r["variant_name"], "weight": r["variant_weight"]} for r in variants],
        "metrics": metrics,
        "population": {f: [str(v) for v in form.getlist(f"population_{f}") if str(v).strip()] for f in POPULATION_FIELDS},
    }


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def create_payload(form: dict) -> tuple[dict | None, list[str]]:
    """The form → an ExperimentCreate dict, or the problems (each naming its field)."""
    errors: list[str] = []
    variants = []
    for i, row in enumerate(form["variants"]):
        try:
            weight = form_number(row["weight"], f"variants[{i}].weight")
        except FormError as exc:
            errors.append(str(exc))
            continue
        if weight is None:
            errors.append(f"variants[{i}].weight: missing for variant {row['name'] or i + 1!r}")
            continue
        variants.append({"name": row["name"], "weight": weight})
    if len(form["variants"]) < 2:
        errors.append("variants: at least two (the first is the control)")
    elif not errors:
        total = sum(v["weight"] for v in variants)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            errors.append(f"variants: the weights must sum to 1, they sum to {total:.6g}")
    metrics: dict[str, list] = {"primary": [], "secondary": [], "guardrail": []}
    for i, row in enumerate(form["metrics"]):
        kind = row["metric_kind"] if row["metric_kind"] in metrics else "primary"
        spec: dict[str, Any] = {"name": row["metric_name"], "type": row["metric_type"] or "proportion",
                                "source": row["metric_source"] or "events", "events": _split(row["metric_events"]),
                                "denominator_events": _split(row["metric_denominator"]),
                                "lower_is_better": row["metric_direction"] == "lower"}
        if row["metric_property"]:
            spec["value_property"] = row["metric_property"]
        try:
            window = form_number(row["metric_window"], f"metrics[{i}].window_days", whole=True)
            value = form_number(row["metric_value"], f"metrics[{i}].value_per_unit")
        except FormError as exc:
            errors.append(str(exc))
            continue
        if window is not None:
            spec["window_days"] = window
        if value is not None:
            spec["value_per_unit"] = value
        metrics[kind].append(spec)
    roi: dict[str, Any] = {}
    if form["roi_metric"]:
        roi["metric"] = form["roi_metric"]
    try:
        cost = form_number(form["roi_cost"], "roi.cost_per_treated_unit")
    except FormError as exc:
        errors.append(str(exc))
        cost = None
    if cost is not None:
        roi["cost_per_treated_unit"] = cost
    planned = {}
    for field in ("planned_start", "planned_end"):
        text = form.get(field) or ""
        if text:
            try:
                planned[field] = date.fromisoformat(text).isoformat()
            except ValueError:
                errors.append(f"{field}: not a date (YYYY-MM-DD): {text!r}")
    if len(planned) == 2 and planned["planned_end"] < planned["planned_start"]:
        errors.append(f"planned_end: {planned['planned_end']} is before planned_start {planned['planned_start']}")
    payload = {
        "key": form["key"], "name": form["name"] or None, "hypothesis": form["hypothesis"] or None,
        "owner": form["owner"] or None, "unit": form["unit"] or "account", "variants": variants, "metrics": metrics,
        "population": {f: v for f, v in form["population"].items() if v}, "stratify_by": form["stratify_by"] or None,
        "roi": roi, **planned,
    }
    return (None if errors else payload), errors


def validation_messages(exc) -> list[str]:
    """A pydantic ValidationError → 'variants.0.name: String should match pattern …' lines."""
    out = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        out.append(f"{where}: {message}" if where else message)
    return out


def setup_context(ws: Workspace, form: dict, errors: list[str]) -> dict:
    return dict(form=form, errors=errors, units=UNIT_LABELS, kinds=KIND_LABELS, sources=SOURCE_LABELS,
                metric_kind_types=METRIC_KIND_TYPES, stratify=STRATIFY_LABELS, choices=population_choices(ws),
                population_fields=POPULATION_FIELDS, events=known_events(ws), tab="new")


@router.get("/experiments")
def experiment_list(request: Request, ws: WorkspaceDep, user: PageUser, status: str = ""):
    from b2bgrowth.experiments.service import list_experiments

    status = status if status in STATUS_LABELS else ""
    experiments = list_experiments(ws, status or None)
    return render(request, "experiments/list.html", experiments=experiments, status=status, statuses=STATUS_LABELS,
                  units=UNIT_LABELS, decisions=DECISION_LABELS, tab="list")


@router.get("/experiments/new", dependencies=[Editor])
def experiment_new(request: Request, ws: WorkspaceDep, user: PageUser):
    return render(request, "experiments/new.html", **setup_context(ws, empty_setup_form(), []))


@router.post("/experiments/new", dependencies=[Editor])
async def experiment_create(request: Request, ws: WorkspaceDep, user: PageUser):
    from fastapi.responses import RedirectResponse
    from pydantic import ValidationError

    from b2bgrowth.experiments.schemas import ExperimentCreate, ExperimentError
    from b2bgrowth.experiments.service import create_experiment

    form = setup_form(await request.form())
    payload, errors = create_payload(form)
    if payload is not None:
        try:
            created = create_experiment(ws, ExperimentCreate.model_validate(payload), by=user.login)
        except ValidationError as exc:
            errors = validation_messages(exc)
        except ExperimentError as exc:
            errors = [str(exc)]
        else:
            return RedirectResponse(f"/experiments/{created.key}", status_code=303)
    return render(request, "experiments/new.html", status_code=422, **setup_context(ws, form, errors))


def _effect_row(r: dict, relative: bool, inverse: bool) -> dict:
    """One variant's result with the effect shown (relative when the page shows relative) and
    whether its whole interval lies on the good or the bad side of zero."""
    key = "relative_" if relative else ""
    row = dict(r, effect=r.get(f"{key}effect"), ci_low=r.get(f"{key}ci_low"), ci_high=r.get(f"{key}ci_high"),
               absolute_effect=r.get("effect"))
    low, high = row["ci_low"], row["ci_high"]
    above, below = low is not None and low > 0, high is not None and high < 0
    row["good"], row["bad"] = (below, above) if inverse else (above, below)
    return row


def results_view(analysis: dict, exp) -> dict:
    """analyze()'s answer laid out for the page: per metric the arms, the effects keyed by
    variant, the interval chart and one chart per segment field; the SRM alarm; the ROI rows.
    Relative effects are shown when every comparison has one (a control mean of 0 has none)."""
    metrics = []
    for block in analysis.get("metrics", []):
        inverse = bool(block.get("lower_is_better"))
        results = block.get("results", [])
        relative = bool(results) and all(r.get("relative_effect") is not None for r in results)
        rows = [_effect_row(r, relative, inverse) for r in results]
        segments = []
        by_field: dict[str, list] = {}
        for seg in block.get("segments") or []:
            by_field.setdefault(seg["by"], []).append(seg)
        for field, segs in by_field.items():
            chart_rows, small = [], []
            for seg in segs:
                if seg.get("warning"):
                    small.append(str(seg["value"]))
                for r in seg["results"]:
                    label = str(seg["value"]) if len(exp.variants) == 2 else f"{seg['value']} · {r['variant']}"
                    seg_relative = relative and r.get("relative_effect") is not None
                    shown = _effect_row(r, seg_relative, inverse) if seg_relative or not relative else dict(r, effect=None)
                    chart_rows.append(dict(shown, label=label + (" *" if seg.get("warning") else "")))
            segments.append({"by": field, "small": small, "chart": interval_chart(chart_rows, relative, inverse)})
        metrics.append({
            "name": block.get("metric"), "kind": block.get("kind"), "type": block.get("type"), "relative": relative,
            "inverse": inverse, "cuped": any(r.get("cuped") for r in results), "arms": block.get("variants", []),
            "by_variant": {r["variant"]: r for r in rows},
            "errors": [f"{r['variant']}: {r['error']}" for r in results if r.get("error")],
            "chart": interval_chart([dict(r, label=r["variant"]) for r in rows], relative, inverse),
            "segments": segments,
        })
    srm = analysis.get("srm_p_value")
    return {"metrics": metrics, "srm_p_value": srm, "srm_alarm": srm is not None and srm < SRM_THRESHOLD,
            "counts": (analysis.get("units") or {}).get("by_variant", {}), "roi": analysis.get("roi") or {},
            "as_of": (analysis.get("window") or {}).get("as_of"), "min_segment_units": MIN_SEGMENT_UNITS}


def sequential_choice(params) -> tuple[bool, int, str | None]:
    """?sequential=1&tuning=N from the results page: (on, N*, the reason when N is not a positive whole number)."""
    from b2bgrowth.experiments.stats.sequential import DEFAULT_TUNING

    on = str(params.get("sequential", "")).lower() in ("1", "true", "on", "yes")
    text = str(params.get("tuning", "") or "").strip()
    if not text:
        return on, DEFAULT_TUNING, None
    try:
        tuning = int(text)
    except ValueError:
        tuning = 0
    if tuning < 1:
        return on, DEFAULT_TUNING, f"tuning: a whole number of units, at least 1, got {text!r}"
    return on, tuning, None


def run_analysis(ws: Workspace, exp, sequential: bool = False,
                 tuning: int = 5000) -> tuple[dict | None, str | None]:
    """analysis.analyze() for a started experiment, as the results view; (None, reason) otherwise."""
    if exp.status == "draft":
        return None, None
    from b2bgrowth.experiments.analysis import analyze
    from b2bgrowth.experiments.schemas import ExperimentError

    try:
        return results_view(analyze(ws, exp.key, sequential=sequential, tuning=tuning), exp), None
    except (ExperimentError, ValueError) as exc:
        return None, str(exc)


def detail_context(ws: Workspace, exp, message: str | None = None, params=None) -> dict:
    from b2bgrowth.experiments.assignment import preview
    from b2bgrowth.experiments.schemas import ExperimentError

    assignment, assignment_error = None, None
    try:
        assignment = preview(ws, exp.key)
    except ExperimentError as exc:
        assignment_error = str(exc)
    sequential, tuning, tuning_error = sequential_choice(params or {})
    results, results_error = (None, tuning_error) if tuning_error else run_analysis(ws, exp, sequential, tuning)
    total_weight = sum(v.weight for v in exp.variants) or 1.0
    return dict(exp=exp, assignment=assignment, assignment_error=assignment_error, results=results,
                results_error=results_error, message=message, statuses=STATUS_LABELS, units=UNIT_LABELS,
                decisions=DECISION_LABELS, kinds=KIND_LABELS, metric_kinds=METRIC_KIND_LABELS, stratify=STRATIFY_LABELS,
                total_weight=total_weight,
                srm_threshold=SRM_THRESHOLD, can_edit=None, tab="list", sequential=sequential, tuning=tuning,
                tuning_error=tuning_error, **FORMATTERS)


def _experiment_or_404(ws: Workspace, key: str):
    from fastapi import HTTPException

    from b2bgrowth.experiments.service import get_experiment

    try:
        return get_experiment(ws, key)
    except KeyError:
        raise HTTPException(404, f"experiment {key!r} not found") from None


@router.get("/experiments/{key}")
def experiment_detail(request: Request, ws: WorkspaceDep, user: PageUser, key: str):
    exp = _experiment_or_404(ws, key)
    context = detail_context(ws, exp, params=request.query_params)
    return render(request, "experiments/detail.html", status_code=422 if context["tuning_error"] else 200, **context)


async def _change(request: Request, ws: Workspace, key: str, action) -> Any:
    """Run a state change; back to the page (303) or the page again with the refusal (422)."""
    from fastapi.responses import RedirectResponse

    from b2bgrowth.experiments.schemas import ExperimentError

    exp = _experiment_or_404(ws, key)
    form = await request.form()
    try:
        action(form)
    except ExperimentError as exc:
        return render(request, "experiments/detail.html", status_code=422, **detail_context(ws, exp, str(exc)))
    return RedirectResponse(f"/experiments/{key}", status_code=303)


@router.post("/experiments/{key}/start", dependencies=[Editor])
async def experiment_start(request: Request, ws: WorkspaceDep, user: PageUser, key: str):
    from b2bgrowth.experiments.service import start

    return await _change(request, ws, key, lambda form: start(ws, key))


@router.post("/experiments/{key}/stop", dependencies=[Editor])
async def experiment_stop(request: Request, ws: WorkspaceDep, user: PageUser, key: str):
    from b2bgrowth.experiments.service import stop

    return await _change(request, ws, key, lambda form: stop(ws, key))


@router.post("/experiments/{key}/decision", dependencies=[Editor])
async def experiment_decide(request: Request, ws: WorkspaceDep, user: PageUser, key: str):
    from b2bgrowth.experiments.service import decide

    def act(form):
        decide(ws, key, str(form.get("decision", "")), str(form.get("reason", "")), by=user.login)

    return await _change(request, ws, key, act)


def register_web(web) -> None:
    from b2bgrowth.experiments import web_tools

    # The tools' fixed paths (/experiments/calculator, /planner) before /experiments/{key}.
    web.add_router(web_tools.router)
    web.add_router(router)
    web.add_nav("/experiments", "Experiments", order=30)
