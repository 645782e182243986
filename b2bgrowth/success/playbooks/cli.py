"""`b2bgrowth success playbooks …` and `b2bgrowth success task …` (registered by success/cli.py).

    b2bgrowth success playbooks run [--as-of D] [--json]
    b2bgrowth success playbooks rules [--json]
    b2bgrowth success playbooks rule RULE_ID [--enable/--disable] [--due-days K] [--param name=value …]
    b2bgrowth success task done|cancel|reopen TASK_ID [--by LOGIN]
    b2bgrowth success task snooze TASK_ID --until D
    b2bgrowth success task comment TASK_ID "text" [--by LOGIN]
    b2bgrowth success task assign TASK_ID OWNER
"""

from __future__ import annotations

from datetime import date

import typer

from b2bgrowth.cli.context import console, fail, print_json, state

playbooks_app = typer.Typer(help="Playbooks: rules that turn signals into tasks.", no_args_is_help=True)
task_app = typer.Typer(help="Act on one CS task: done, cancel, reopen, snooze, comment, assign.", no_args_is_help=True)
BY = typer.Option("cli", "--by", help="Who acts (recorded in the task's history).")


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{name}: {value!r} is not a date (YYYY-MM-DD)")


@playbooks_app.command("run")
def run(ctx: typer.Context, as_of: str | None = typer.Option(None, "--as-of", help="Evaluate on this day (default today)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Evaluate the enabled rules and create / keep / close tasks (no duplicates per signal)."""
    from b2bgrowth.success.playbooks.engine import run_playbooks

    result = run_playbooks(state(ctx).workspace(), _day(as_of, "--as-of"))
    if as_json:
        print_json(result)
        return
    console.print(f"as of {result['as_of']}: created {result['created']}, kept {result['kept']}, "
                  f"handled before {result['handled']}, closed {result['closed']}, woken {result['woken']}")
    for rule_id, reason in result["skipped"].items():
        console.print(f"[yellow]skipped[/] {rule_id}: {reason}")


@playbooks_app.command("rules")
def rules(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The rules with their settings (defaults until an admin changes them)."""
    from b2bgrowth.success.playbooks.config import load_rules

    data = [r.as_dict() for r in load_rules(state(ctx).workspace())]
    if as_json:
        print_json({"rules": data})
        return
    for r in data:
        params = ", ".join(f"{k}={v}" for k, v in r["params"].items())
        console.print(f"{r['rule_id']:<20} {r['type']:<11} {'on ' if r['enabled'] else 'off'} "
                      f"due +{r['due_days']}d  {params}  (v{r['version']})")


@playbooks_app.command("rule")
def rule(ctx: typer.Context, rule_id: str = typer.Argument(..., help="Rule id (see `playbooks rules`)."),
         enabled: bool | None = typer.Option(None, "--enable/--disable", help="Turn the rule on or off."),
         due_days: int | None = typer.Option(None, "--due-days", help="Tasks are due this many days after the run."),
         param: list[str] = typer.Option([], "--param", help="Threshold as name=value (repeatable)."),
         by: str = BY) -> None:
    """Change one rule's settings (admin configuration; versioned)."""
    from b2bgrowth.success.playbooks.config import RuleError, save_rule

    params = {}
    for item in param:
        name, sep, value = item.partition("=")
        if not sep:
            fail(f"--param {item!r}: write name=value")
        params[name.strip()] = value.strip()
    try:
        saved = save_rule(state(ctx).workspace(), rule_id, enabled=enabled, due_days=due_days, params=params, by=by)
    except RuleError as exc:
        fail(str(exc))
    console.print(f"rule {rule_id} saved (v{saved.version})")


def _act(ctx: typer.Context, action, *args) -> None:
    from b2bgrowth.success.playbooks.tasks import TaskError, TaskNotFound

    try:
        task = action(state(ctx).workspace(), *args)
    except (TaskError, TaskNotFound) as exc:
        fail(str(exc.args[0]))
    console.print(f"task {task['task_id']}: {task['status']}, owner {task['owner'] or '-'}, due {task['due_date'] or '-'}")


@task_app.command("done")
def done(ctx: typer.Context, task_id: str, by: str = BY) -> None:
    """Mark the task done."""
    from b2bgrowth.success.playbooks.tasks import set_status
    _act(ctx, set_status, task_id, "done", by)


@task_app.command("cancel")
def cancel(ctx: typer.Context, task_id: str, by: str = BY) -> None:
    """Cancel the task."""
    from b2bgrowth.success.playbooks.tasks import set_status
    _act(ctx, set_status, task_id, "cancelled", by)


@task_app.command("reopen")
def reopen(ctx: typer.Context, task_id: str, by: str = BY) -> None:
    """Open a done or cancelled task again."""
    from b2bgrowth.success.playbooks.tasks import set_status
    _act(ctx, set_status, task_id, "open", by)


@task_app.command("snooze")
def snooze_cmd(ctx: typer.Context, task_id: str,
               until: str = typer.Option(..., "--until", help="Back to open on this day (YYYY-MM-DD, after today)."),
               by: str = BY) -> None:
    """Snooze the task until a day; it is open again from that day on."""
    from b2bgrowth.success.playbooks.tasks import snooze
    _act(ctx, snooze, task_id, _day(until, "--until"), by)


@task_app.command("comment")
def comment(ctx: typer.Context, task_id: str, text: str = typer.Argument(..., help="The comment."), by: str = BY) -> None:
    """Add a comment (author, time, text)."""
    from b2bgrowth.success.playbooks.tasks import add_comment
    _act(ctx, add_comment, task_id, text, by)


@task_app.command("assign")
def assign_cmd(ctx: typer.Context, task_id: str, owner: str = typer.Argument(..., help="The new owner."),
               by: str = BY) -> None:
    """Give the task to another owner."""
    from b2bgrowth.success.playbooks.tasks import assign
    _act(ctx, assign, task_id, owner, by)


def register(app: typer.Typer) -> None:
    app.add_typer(playbooks_app, name="playbooks")
    app.add_typer(task_app, name="task")
