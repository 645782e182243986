"""Lead scoring commands: `b2bgrowth leads train` / `b2bgrowth leads score`, added to the one
`leads` group that leads/cli.py creates (the reports are declared in leads/capability.py)."""

from __future__ import annotations

import typer

from b2bgrowth.cli.context import console, fail, print_json, state


def train(ctx: typer.Context, json_output: bool = typer.Option(False, "--json", help="Print the evaluation as JSON.")) -> None:
    """Train the conversion model on the closed leads now and show its hold-out evaluation."""
    from b2bgrowth.leads.prediction import model_report, retrain

    model = retrain(state(ctx).workspace())
    report = model_report(model)
    if json_output:
        print_json(report)
        return
    if model.status != "trained":
        console.print(f"[yellow]no model:[/] {model.message}")
        return
    console.print(model.message)
    console.print(f"hold-out: {report['holdout_leads']} leads, conversion {report['holdout_rate']:.1%}, "
                  f"mean predicted {report['mean_predicted']:.1%}, Brier {report['brier']:.4f}")
    for d in report["deciles"]:
        console.print(f"  decile {d['decile']:>2}: {d['leads']:>6} leads  rate {d['rate']:.1%}  lift {d['lift']}")


def score(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", help="Only leads with this status."),
    limit: int = typer.Option(20, "--limit", min=0, help="Rows to show, best predicted/fit first (0 = all)."),
    json_output: bool = typer.Option(False, "--json", help="Print every row as JSON (the `leads` report)."),
) -> None:
    """Score every merged lead: fit, engagement, grade, predicted conversion."""
    from rich.table import Table

    from b2bgrowth.leads.models import LEAD_STATUSES
    from b2bgrowth.leads.reports import lead_rows
    from b2bgrowth.leads.scoring_config import ScoringConfigError

    if status is not None and status not in LEAD_STATUSES:
        fail(f"--status: {status!r} is not one of {', '.join(LEAD_STATUSES)}")
    try:
        rows = lead_rows(state(ctx).workspace(), status)
    except ScoringConfigError as exc:
        fail(str(exc))
    if json_output:
        print_json({"leads": rows})
        return
    rows.sort(key=lambda r: (-(r["predicted_conversion"] or -1), -r["fit_score"], -r["engagement_score"]))
    table = Table("lead", "status", "fit", "engagement", "grade", "predicted", "top reason")
    for r in rows[: limit or None]:
        p = r["predicted_conversion"]
        top = next((x["text"] for x in r["reasons"] if x["kind"] == "prediction"), "")
        table.add_row(r["lead_id"], r["status"], f"{r['fit_score']:.0f}", f"{r['engagement_score']:.1f}", r["grade"],
                      "—" if p is None else f"{p:.1%}", top)
    console.print(table)
    console.print(f"{len(rows)} merged leads")


def add_scoring_commands(group: typer.Typer) -> None:
    """`leads train` and `leads score`, added to the leads group (leads/cli.py)."""
    group.command("train")(train)
    group.command("score")(score)
