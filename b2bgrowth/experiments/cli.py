"""`b2bgrowth experiment create/list/show/start/stop/decide/assign/analyze/did` (the group is made by register_cli below).

Every command answers bad input with a one-line error naming the field, and has --json where
it prints data.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from pathlib import Path

import typer

from b2bgrowth.cli.context import console, fail, print_json, state


def _ws(ctx: typer.Context):
    return state(ctx).workspace()


def _errors(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg']}" for e in exc.errors())
    if isinstance(exc, KeyError):
        return exc.args[0] if exc.args else str(exc)
    return str(exc)


def _run(fn, *args, **kwargs):
    """Call into the registry, turning its refusals into a clean CLI error."""
    from pydantic import ValidationError

    from b2bgrowth.experiments.schemas import ExperimentError

    try:
        return fn(*args, **kwargs)
    except (KeyError, ExperimentError, ValidationError) as exc:
        fail(_errors(exc))


def _date(value: str | None, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{where}: not an ISO date/time: {value!r}")


def _day(value: str | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{where}: not an ISO date (YYYY-MM-DD): {value!r}")


def _by(value: str | None) -> str:
    """Who acts from the command line: --by, else the shell's $USER (as `success scorecard set`)."""
    return (value or "").strip() or os.environ.get("USER") or "cli"


def _plan(exp) -> str:
    if exp.planned_start is None and exp.planned_end is None:
        return ""
    plan = f"{exp.planned_start or '…'} → {exp.planned_end or '…'}"
    return plan + ("  [red]overdue for a decision[/]" if exp.overdue else "")


def _show(exp) -> None:
    console.print(f"[bold]{exp.key}[/]  {exp.status}  unit={exp.unit}  owner={exp.owner or '—'}  assigned={exp.assigned_units}")
    if exp.hypothesis:
        console.print(f"  hypothesis: {exp.hypothesis}")
    if _plan(exp):
        console.print(f"  planned: {_plan(exp)}")
    console.print("  variants: " + ", ".join(f"{v.name} ({v.weight:g})" for v in exp.variants))
    for kind, metric in exp.metrics.with_kind():
        console.print(f"  {kind}: {metric.name} ({metric.type}, {metric.source}, {metric.window_days} d)")
    if exp.decision:
        console.print(f"  decision: {exp.decision} — {exp.decision_reason}")
        console.print(f"  decided: {exp.decided_at or '—'} by {exp.decided_by or '—'}")


def register_cli(app: typer.Typer) -> None:
    """`b2bgrowth experiment …`: the registry, assignment, analysis and DiD commands below, and the
    calculator and planner (cli_tools.py)."""
    from b2bgrowth.experiments.cli_tools import add_tool_commands

    group = typer.Typer(
        help="Experiments: registry, assignment, analysis, difference-in-differences, statistics calculator, planner.",
        no_args_is_help=True,
    )
    add_tool_commands(group)
    register(group)
    app.add_typer(group, name="experiment")


def register(app: typer.Typer) -> None:
    @app.command("create")
    def create_command(
        ctx: typer.Context,
        file: Path | None = typer.Option(None, "--file", help="JSON experiment definition (default: stdin)."),
        by: str | None = typer.Option(None, "--by", help="Who creates it (recorded as created_by; default: $USER)."),
        planned_start: str | None = typer.Option(None, "--planned-start", help="Planned first day YYYY-MM-DD (overrides the file's)."),
        planned_end: str | None = typer.Option(None, "--planned-end", help="Planned last day YYYY-MM-DD (overrides the file's)."),
        as_json: bool = typer.Option(False, "--json", help="Print the experiment as JSON."),
    ) -> None:
        """Create a draft experiment from a JSON definition (see docs/experiments.md)."""
        from pydantic import ValidationError

        from b2bgrowth.experiments.schemas import ExperimentCreate
        from b2bgrowth.experiments.service import create_experiment

        try:
            text = sys.stdin.read() if file is None or str(file) == "-" else file.read_text(encoding="utf-8")
            raw = json.loads(text)
            if not isinstance(raw, dict):
                fail("input: a JSON object (the experiment definition) is expected")
            for field, value, option in (("planned_start", planned_start, "--planned-start"),
                                         ("planned_end", planned_end, "--planned-end")):
                if value is not None:
                    raw[field] = _day(value, option).isoformat()
            data = ExperimentCreate.model_validate(raw)
        except OSError as exc:
            fail(f"--file: cannot read {file}: {exc.strerror}")
        except json.JSONDecodeError as exc:
            fail(f"input: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        except ValidationError as exc:
            fail(_errors(exc))
        exp = _run(create_experiment, _ws(ctx), data, _by(by))
        print_json(exp.model_dump(mode="json")) if as_json else _show(exp)

    @app.command("list")
    def list_command(
        ctx: typer.Context,
        status: str | None = typer.Option(None, "--status", help="draft, running, stopped or decided."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Experiments, newest first."""
        from b2bgrowth.experiments.service import list_experiments

        if status is not None and status not in ("draft", "running", "stopped", "decided"):
            fail(f"--status: one of draft, running, stopped, decided; got {status!r}")
        rows = list_experiments(_ws(ctx), status)
        if as_json:
            print_json({"experiments": [e.model_dump(mode="json") for e in rows]})
            return
        for exp in rows:
            flag = "  [red]overdue for a decision[/]" if exp.overdue else ""
            decided = f"  {exp.decision} by {exp.decided_by or '—'}" if exp.decision else ""
            console.print(f"{exp.key:24} {exp.status:8} {exp.assigned_units:>7} units{decided}{flag}  {exp.hypothesis or ''}")

    @app.command("show")
    def show_command(ctx: typer.Context, key: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """One experiment's definition and state."""
        from b2bgrowth.experiments.service import get_experiment

        exp = _run(get_experiment, _ws(ctx), key)
        print_json(exp.model_dump(mode="json")) if as_json else _show(exp)

    @app.command("start")
    def start_command(ctx: typer.Context, key: str, at: str | None = typer.Option(None, "--at", help="Start time (ISO); default now."),
                      as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """Start: freeze the stratified assignment of the population."""
        from b2bgrowth.experiments.service import start

        exp = _run(start, _ws(ctx), key, _date(at, "--at"))
        print_json(exp.model_dump(mode="json")) if as_json else _show(exp)

    @app.command("stop")
    def stop_command(ctx: typer.Context, key: str, at: str | None = typer.Option(None, "--at", help="Stop time (ISO); default now."),
                     as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """Stop a running experiment (the analysis window ends here)."""
        from b2bgrowth.experiments.service import stop

        exp = _run(stop, _ws(ctx), key, _date(at, "--at"))
        print_json(exp.model_dump(mode="json")) if as_json else _show(exp)

    @app.command("decide")
    def decide_command(
        ctx: typer.Context, key: str,
        decision: str = typer.Option(..., "--decision", help="ship, roll_back, iterate or inconclusive."),
        reason: str = typer.Option(..., "--reason", help="Why (required)."),
        by: str | None = typer.Option(None, "--by", help="Who decides (recorded as decided_by; default: $USER)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Record the decision, its reason and who took it."""
        from b2bgrowth.experiments.service import decide

        exp = _run(decide, _ws(ctx), key, decision, reason, _by(by))
        print_json(exp.model_dump(mode="json")) if as_json else _show(exp)

    @app.command("assign")
    def assign_command(
        ctx: typer.Context, key: str,
        unit_id: str | None = typer.Option(None, "--unit-id", help="One unit: print its variant."),
        log: bool = typer.Option(False, "--log-exposure", help="Also record a $exposure event for --unit-id."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """A unit's variant (--unit-id), or the population's assignment preview per stratum."""
        from b2bgrowth.experiments.assignment import assign, log_exposure, preview
        from b2bgrowth.experiments.service import get_experiment

        ws = _ws(ctx)
        if unit_id is not None:
            exp = _run(get_experiment, ws, key)
            variant = _run(assign, ws, key, unit_id)
            out = {"experiment": key, "unit_id": unit_id, "variant": variant}
            if log:
                out["exposure_event_id"] = log_exposure(ws, key, unit_id, variant, unit=exp.unit)
            print_json(out) if as_json else console.print(variant)
            return
        result = _run(preview, ws, key)
        if as_json:
            print_json(result)
            return
        for row in result["strata"]:
            console.print(f"{row['stratum']:16} {row['n']:>7}  " + "  ".join(f"{k}={v}" for k, v in row["by_variant"].items()))
        console.print(f"{'total':16} {result['total']['n']:>7}  " + "  ".join(f"{k}={v}" for k, v in result["total"]["by_variant"].items()))

    @app.command("analyze")
    def analyze_command(
        ctx: typer.Context, key: str,
        as_of: str | None = typer.Option(None, "--as-of", help="Analyse the data up to this time (ISO); default the stop time or now."),
        alpha: float = typer.Option(0.05, "--alpha", help="Two-sided significance level."),
        sequential: bool = typer.Option(False, "--sequential", help="Always-valid confidence sequences (safe to peek at a running test)."),
        tuning: int = typer.Option(5000, "--tuning", help="With --sequential: total units N* at which the sequence is tightest."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Every metric per variant from the store and events: effects, CUPED, SRM, segments, ROI."""
        from b2bgrowth.experiments.analysis import analyze

        if not 0 < alpha < 1:
            fail(f"--alpha: must lie strictly between 0 and 1, got {alpha:g}")
        if tuning < 1:
            fail(f"--tuning: a whole number of units, at least 1, got {tuning}")
        result = _run(analyze, _ws(ctx), key, _date(as_of, "--as-of"), alpha, sequential=sequential, tuning=tuning)
        if as_json:
            print_json(result)
            return
        console.print(f"[bold]{key}[/]  units {result['units']['by_variant']}  SRM p = {result['srm_p_value']:.3g}"
                      + (f"  (always-valid sequences, N* = {tuning})" if sequential else ""))
        if result["srm_warning"]:
            console.print(f"[red]{result['srm_warning']}[/]")
        for block in result["metrics"]:
            means = ", ".join(f"{v['name']} {v['mean']:.4g}" if v["mean"] is not None else f"{v['name']} —" for v in block["variants"])
            console.print(f"{block['kind']:9} {block['metric']}: {means}")
            for r in block["results"]:
                if r.get("effect") is None:
                    console.print(f"    {r['variant']}: [yellow]{r.get('error')}[/]")
                    continue
                console.print(
                    f"    {r['variant']}: {r['effect']:+.4g} [{r['ci_low']:.4g}, {r['ci_high']:.4g}]  p = {r['p_value']:.3g}"
                    f"{'  (CUPED)' if r['cuped'] else ''}  {r['verdict']}"
                )

    @app.command("did")
    def did_command(
        ctx: typer.Context,
        campaign: str | None = typer.Option(None, "--campaign", help="Treated = accounts touched by this campaign."),
        accounts: str | None = typer.Option(None, "--accounts", help="Treated account ids, comma-separated (or @file, one a line)."),
        event: list[str] = typer.Option(["login"], "--event", help="Event name(s) counted per account per day."),
        pre: str | None = typer.Option(None, "--pre", help="Pre window START..END (default: 56 days before the campaign)."),
        post: str | None = typer.Option(None, "--post", help="Post window START..END (default: the campaign's run)."),
        k: int = typer.Option(3, "--k", help="Matched controls per treated account."),
        pre_periods: int = typer.Option(4, "--pre-periods", help="Pre-period slices for the parallel-trends check."),
        alpha: float = typer.Option(0.05, "--alpha", help="Two-sided significance level."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Difference-in-differences of a non-randomised treatment against matched controls."""
        from b2bgrowth.experiments.did import default_windows, did, window

        if (campaign is None) == (accounts is None):
            fail("give exactly one of --campaign or --accounts")
        ws = _ws(ctx)
        if accounts is not None:
            if accounts.startswith("@"):
                try:
                    treated = [line.strip() for line in Path(accounts[1:]).read_text(encoding="utf-8").splitlines() if line.strip()]
                except OSError as exc:
                    fail(f"--accounts: cannot read {accounts[1:]}: {exc.strerror}")
            else:
                treated = [a.strip() for a in accounts.split(",") if a.strip()]
        else:
            treated = campaign
        if pre is None or post is None:
            if campaign is None:
                fail("--pre and --post are required with --accounts")
            default_pre, default_post = _run(default_windows, ws, campaign)
        pre_w = _run(window, pre, "--pre") if pre else default_pre
        post_w = _run(window, post, "--post") if post else default_post
        result = _run(did, ws, treated, event, pre_w, post_w, k=k, pre_periods=pre_periods, alpha=alpha)
        if as_json:
            print_json(result)
            return
        ci = "—" if result["ci_low"] is None else f"[{result['ci_low']:.4g}, {result['ci_high']:.4g}]"
        console.print(f"{result['metric']}: effect {result['effect']:+.4g} {ci} {result['unit']}, {result['treated_units']} treated, k = {k}")
        trends = result["parallel_trends"]
        console.print(f"parallel trends: slope {trends['slope']:+.3g}, p = {trends['p_value'] if trends['p_value'] is None else format(trends['p_value'], '.3g')}")
        if trends["warning"]:
            console.print(f"[yellow]warning:[/] {trends['warning']}")
