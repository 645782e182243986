"""`b2bgrowth survey …`: create, add recipients, list links, open / close, reminders.

The product sends nothing: `recipients` and `remind` print (or write as CSV) the personal links
that CSMs share by WeChat or e-mail. `remind` records each reminder (count, last reminded at).
"""

from __future__ import annotations

import contextlib
import csv
import sys
from pathlib import Path

import typer

from b2bgrowth.cli.context import console, fail, print_json, state

survey_app = typer.Typer(help="NPS surveys: create, choose recipients, share links, reminders, close.",
                         no_args_is_help=True)
BASE_URL = typer.Option("http://127.0.0.1:8000", "--base-url", envvar="B2BGROWTH_PUBLIC_URL",
                        help="Address of the web app as recipients reach it (links are BASE/s/TOKEN).")
LINK_COLUMNS = ["recipient_id", "contact_id", "contact_name", "role", "account_id", "account_name", "tier",
                "email", "phone", "wechat", "language", "status", "score", "reminders", "last_reminded_at", "link"]


def _run(fn, *args, **kwargs):
    from b2bgrowth.voc.surveys.service import SurveyError, SurveyNotFound

    try:
        return fn(*args, **kwargs)
    except (SurveyError, SurveyNotFound) as exc:
        fail(str(exc))


def _filters(tier, role, stage, account_type, owner) -> dict:
    return {k: v for k, v in (("tier", tier), ("role", role), ("stage", stage), ("type", account_type),
                              ("owner", owner)) if v}


def _write_links(rows: list[dict], csv_path: Path | None) -> None:
    with contextlib.ExitStack() as stack:
        handle = (stack.enter_context(open(csv_path, "w", newline="", encoding="utf-8-sig"))
                  if csv_path else sys.stdout)
        writer = csv.DictWriter(handle, fieldnames=LINK_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


FILTER_OPTIONS = dict(
    tier=typer.Option(None, "--tier", help="Account tiers, comma-separated (KA,CA,SMB)."),
    role=typer.Option(None, "--role", help="Contact roles, comma-separated (decision_maker,manager,user,…)."),
    stage=typer.Option(None, "--stage", help="Account lifecycle stages, comma-separated."),
    account_type=typer.Option(None, "--type", help="Account types, comma-separated (direct,isv,channel)."),
    owner=typer.Option(None, "--owner", help="Account owners, comma-separated."),
)


@survey_app.command("create")
def create(
    ctx: typer.Context, name: str = typer.Argument(..., help="Survey name."),
    survey_id: str | None = typer.Option(None, "--id", help="Survey id (default: generated)."),
    question_zh: str | None = typer.Option(None, "--question-zh", help="Question in Chinese."),
    question_en: str | None = typer.Option(None, "--question-en", help="Question in English."),
    follow_up_zh: str | None = typer.Option(None, "--follow-up-zh", help="Follow-up question in Chinese."),
    follow_up_en: str | None = typer.Option(None, "--follow-up-en", help="Follow-up question in English."),
    opens_on: str | None = typer.Option(None, "--opens", help="First day answers are accepted (YYYY-MM-DD)."),
    closes_on: str | None = typer.Option(None, "--closes", help="Last day answers are accepted (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a draft survey (standard NPS wording unless questions are given)."""
    from b2bgrowth.voc.surveys.service import create_survey

    survey = _run(create_survey, state(ctx).workspace(), name, question_zh, question_en, follow_up_zh,
                  follow_up_en, opens_on, closes_on, created_by="cli", survey_id=survey_id)
    print_json(survey) if as_json else console.print(f"survey {survey['survey_id']} created (draft)")


@survey_app.command("list")
def list_command(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Surveys with status, recipients, response rate and NPS."""
    from b2bgrowth.voc.surveys.analysis import all_summaries

    rows = all_summaries(state(ctx).workspace())
    if as_json:
        print_json({"surveys": rows})
        return
    for s in rows:
        rate = "–" if s["response_rate"] is None else f"{s['response_rate']:.0%}"
        console.print(f"{s['survey_id']}  {s['status']:<6}  {s['name']}  recipients={s['recipients']} "
                      f"responded={s['responded']} rate={rate} nps={s['nps'] if s['nps'] is not None else '–'}")


@survey_app.command("add")
def add(
    ctx: typer.Context, survey_id: str = typer.Argument(..., help="Survey id."),
    tier: str | None = FILTER_OPTIONS["tier"], role: str | None = FILTER_OPTIONS["role"],
    stage: str | None = FILTER_OPTIONS["stage"], account_type: str | None = FILTER_OPTIONS["account_type"],
    owner: str | None = FILTER_OPTIONS["owner"],
    preview_only: bool = typer.Option(False, "--preview", help="Only count the contacts the filter selects."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Add recipients: contacts filtered by tier, role, stage, type and owner (no filter = every contact)."""
    from b2bgrowth.voc.surveys.service import add_recipients, preview

    ws = state(ctx).workspace()
    filters = _filters(tier, role, stage, account_type, owner)
    result = _run(preview, ws, filters) if preview_only else _run(add_recipients, ws, survey_id, filters)
    if as_json:
        print_json(result)
    elif preview_only:
        console.print(f"{result['contacts']} contacts at {result['accounts']} accounts "
                      f"({result['reachable']} with an e-mail, phone or WeChat)")
    else:
        console.print(f"added {result['added']} recipients ({result['unreachable']} without a channel); "
                      f"{result['already']} were on the survey already")


@survey_app.command("recipients")
def recipients_command(
    ctx: typer.Context, survey_id: str = typer.Argument(..., help="Survey id."), base_url: str = BASE_URL,
    csv_path: Path | None = typer.Option(None, "--csv", help="Write the links to this CSV file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Recipients with status and personal links (CSV on stdout unless --json or --csv)."""
    from b2bgrowth.voc.surveys.service import recipients

    rows = _run(recipients, state(ctx).workspace(), survey_id, base_url)
    if as_json:
        print_json({"recipients": rows})
    else:
        _write_links(rows, csv_path)


def _status(ctx: typer.Context, survey_id: str, status: str) -> None:
    from b2bgrowth.voc.surveys.service import set_status

    _run(set_status, state(ctx).workspace(), survey_id, status)
    console.print(f"survey {survey_id} {status}")


@survey_app.command("open")
def open_command(ctx: typer.Context, survey_id: str = typer.Argument(..., help="Survey id.")) -> None:
    """Open a survey: its links accept answers (within its dates)."""
    _status(ctx, survey_id, "open")


@survey_app.command("close")
def close_command(ctx: typer.Context, survey_id: str = typer.Argument(..., help="Survey id.")) -> None:
    """Close a survey: its links show a friendly 'closed' message."""
    _status(ctx, survey_id, "closed")


@survey_app.command("remind")
def remind_command(
    ctx: typer.Context, survey_id: str = typer.Argument(..., help="Survey id."),
    after_days: int = typer.Option(3, "--after-days", min=0, help="Remind when the link or last reminder is this old."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List who is due without recording reminders."),
    base_url: str = BASE_URL,
    csv_path: Path | None = typer.Option(None, "--csv", help="Write the due links to this CSV file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Non-responders due a reminder: records the reminder and prints their links for the team to send."""
    from b2bgrowth.voc.surveys.service import remind

    rows = _run(remind, state(ctx).workspace(), survey_id, after_days, base_url=base_url, record=not dry_run)
    if as_json:
        print_json({"reminders": rows, "recorded": not dry_run})
        return
    _write_links(rows, csv_path)
    if csv_path:
        console.print(f"{len(rows)} reminders {'due' if dry_run else 'recorded'}; links in {csv_path}")


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
