"""`b2bgrowth experiment stats` (the calculator) and `experiment plan` (the planner): the command-line
twins of the calculator and planner pages (web_tools.py). cli.py makes the `experiment` group."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from b2bgrowth.cli.context import console, fail, print_json


def _read_input(path: Path | None) -> object:
    try:
        text = sys.stdin.read() if path is None or str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"--file: cannot read {path}: {exc.strerror}")
    if not text.strip():
        fail("input: empty; pipe the JSON contract on stdin (see docs/experiments.md)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"input: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")


def _fmt(value: float | None, pattern: str = "{:.4g}") -> str:
    return "—" if value is None else pattern.format(value)


def stats_command(
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (the contract's output)."),
    file: Path | None = typer.Option(None, "--file", help="Read the JSON contract from this file instead of stdin."),
    lower_is_better: bool = typer.Option(
        False, "--lower-is-better", help='The metric improves downwards (same as "metric": {"inverse": true}).'
    ),
) -> None:
    """Effect, interval, p-value or chance to win, and SRM from n / sum / sum of squares per variant (JSON on stdin)."""
    from b2bgrowth.experiments.stats.contract import ContractError, compute

    data = _read_input(file)
    try:
        result = compute(data, lower_is_better=lower_is_better)
    except ContractError as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
        return
    blocks = result.get("metrics") or [{"metric": "metric", "results": result["results"], "srm_p_value": result["srm_p_value"]}]
    for block in blocks:
        console.print(f"[bold]{block['metric']}[/]  SRM p = {block['srm_p_value']:.4g}")
        for row in block["results"]:
            if row.get("error"):
                console.print(f"  {row['variant']}: [red]{row['error']}[/]")
                continue
            verdict = (
                f"p = {_fmt(row['p_value'])}" if "p_value" in row else f"chance to win = {_fmt(row['chance_to_win'], '{:.1%}')}"
            )
            console.print(
                f"  {row['variant']}: effect {_fmt(row['effect'])} [{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}]  {verdict}"
            )


def plan_command(
    metric: str = typer.Option("proportion", "--metric", help="proportion or mean."),
    baseline: float = typer.Option(..., "--baseline", help="Control conversion rate (proportion) or mean."),
    std_dev: float | None = typer.Option(None, "--std-dev", help="Per-unit standard deviation (mean metrics)."),
    mde: float | None = typer.Option(None, "--mde", help="Minimum detectable effect, in --difference units (0.1 = +10% relative)."),
    difference: str = typer.Option("relative", "--difference", help="relative or absolute."),
    alpha: float = typer.Option(0.05, "--alpha", help="Two-sided significance level."),
    power: float = typer.Option(0.8, "--power", help="Target power."),
    arms: int = typer.Option(2, "--arms", help="Number of arms including the control (equal allocation)."),
    units: int | None = typer.Option(None, "--units", help="Units (accounts) you actually have, in total."),
    arrivals_per_day: float | None = typer.Option(None, "--arrivals-per-day", help="New eligible units per day, for the duration."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Sample size for an MDE, the MDE for the accounts you have, power, duration, warnings."""
    from b2bgrowth.experiments.stats.power import Design, plan

    if metric not in ("proportion", "mean"):
        fail(f"--metric: one of 'proportion', 'mean', got {metric!r}")
    if difference not in ("relative", "absolute"):
        fail(f"--difference: one of 'relative', 'absolute', got {difference!r}")
    if not 0 < alpha < 1:
        fail(f"--alpha: must lie strictly between 0 and 1, got {alpha:g}")
    if not 0 < power < 1:
        fail(f"--power: must lie strictly between 0 and 1, got {power:g}")
    if arms < 2:
        fail(f"--arms: at least 2 (a control and a treatment), got {arms}")
    if metric == "proportion" and not 0 < baseline < 1:
        fail(f"--baseline: a conversion rate strictly between 0 and 1, got {baseline:g}")
    if metric == "mean" and (std_dev is None or std_dev <= 0):
        fail("--std-dev: a positive per-unit standard deviation is required for a mean metric")
    if difference == "relative" and baseline == 0:
        fail("--baseline: a relative MDE needs a non-zero baseline; use --difference absolute")
    if mde is None and units is None:
        fail("give --mde (for a sample size) and/or --units (for the detectable effect)")
    if mde is not None and mde == 0:
        fail("--mde: must not be 0")
    if metric == "proportion" and mde is not None:
        treated = baseline * (1 + mde) if difference == "relative" else baseline + mde
        if not 0 < treated < 1:
            fail(f"--mde: moves the conversion rate to {treated:g}, outside (0, 1)")
    if units is not None and units < 4:
        fail(f"--units: at least 4 units are needed, got {units}")
    if arrivals_per_day is not None and arrivals_per_day <= 0:
        fail(f"--arrivals-per-day: must be positive, got {arrivals_per_day:g}")
    design = Design(metric, baseline, std_dev, difference, alpha, power, arms)  # type: ignore[arg-type]
    result = plan(design, mde=mde, available_units=units, arrivals_per_day=arrivals_per_day)
    if as_json:
        print_json(result)
        return
    if "sample_size_per_arm" in result:
        console.print(f"{result['sample_size_per_arm']} units per arm, {result['total_sample_size']} in total")
    if result.get("mde_at_available") is not None:
        console.print(f"with {units} units the detectable effect is {result['mde_at_available']:.4g} ({difference})")
    if "power_at_available" in result:
        console.print(f"power with the units available: {result['power_at_available']:.1%}")
    if "duration_days" in result:
        console.print(f"duration: about {result['duration_days']} days")
    for warning in result["warnings"]:
        console.print(f"[yellow]warning:[/] {warning}")


def add_tool_commands(group: typer.Typer) -> None:
    group.command("stats")(stats_command)
    group.command("plan")(plan_command)
