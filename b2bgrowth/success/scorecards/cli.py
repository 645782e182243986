"""`b2bgrowth success scorecard list | show ID [--version N] | set ID FILE.json|yaml`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from b2bgrowth.cli.context import console, fail, print_json, state

scorecard_app = typer.Typer(help="Health scorecards: list, show a version, save a new version.", no_args_is_help=True)


def read_file(path: Path) -> dict:
    """A definition from JSON or YAML (by extension), or a clear error naming the file."""
    if not path.is_file():
        fail(f"{path}: no such file")
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # noqa: BLE001 - any parse error is the file's fault; say where
        fail(f"{path}: not valid {'YAML' if path.suffix.lower() in ('.yaml', '.yml') else 'JSON'}: {exc}")
    if not isinstance(data, dict):
        fail(f"{path}: a scorecard definition must be an object (mapping)")
    return data


@scorecard_app.command("list")
def list_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The live scorecards (latest version of each) and what they apply to."""
    from b2bgrowth.success.scorecards import versions

    rows = [{"scorecard_id": v.scorecard_id, "name": v.definition.name, "version": v.version,
             "applies_to": v.definition.applies_to.model_dump(), "created_by": v.created_by,
             "created_at": v.created_at.isoformat(timespec="seconds") if v.created_at else None}
            for v in versions.live(state(ctx).workspace())]
    if as_json:
        print_json({"scorecards": rows})
        return
    for r in rows:
        applies = ", ".join(r["applies_to"]["tiers"] + r["applies_to"]["stages"]) or "everyone else"
        console.print(f"{r['scorecard_id']:<20} v{r['version']:<4} {r['name']:<30} {applies}", highlight=False)


@scorecard_app.command("show")
def show_cmd(ctx: typer.Context, scorecard_id: str = typer.Argument(..., metavar="ID"),
             version: int | None = typer.Option(None, "--version", help="A past version (default: the live one)."),
             history: bool = typer.Option(False, "--history", help="Also list every version.")) -> None:
    """One scorecard version as JSON (the live version unless --version)."""
    from b2bgrowth.success.scorecards import versions

    ws = state(ctx).workspace()
    try:
        out = versions.get(ws, scorecard_id, version).as_dict()
        if history:
            out["history"] = versions.history(ws, scorecard_id)
    except versions.UnknownScorecard as exc:
        fail(str(exc))
    print_json(out)


@scorecard_app.command("set")
def set_cmd(ctx: typer.Context, scorecard_id: str = typer.Argument(..., metavar="ID"),
            file: Path = typer.Argument(..., metavar="FILE", help="Definition as .json or .yaml."),
            by: str | None = typer.Option(None, "--by", help="Who saves it (default: $USER).")) -> None:
    """Save FILE as the next version of scorecard ID (it becomes live)."""
    from b2bgrowth.success.scorecards import versions
    from b2bgrowth.success.scorecards.definition import DefinitionError

    data = read_file(file)
    if data.get("scorecard_id", scorecard_id) != scorecard_id:
        fail(f"{file}: scorecard_id is {data['scorecard_id']!r} but the command names {scorecard_id!r}")
    data["scorecard_id"] = scorecard_id
    try:
        saved = versions.save(state(ctx).workspace(), data, by=by or os.environ.get("USER") or "cli")
    except DefinitionError as exc:
        fail(f"{file}: {exc}")
    console.print(f"scorecard [bold]{scorecard_id}[/] saved as version {saved.version}; it is live now")


def register(app: typer.Typer) -> None:
    app.add_typer(scorecard_app, name="scorecard")
