"""Lead management commands (declared in leads/capability.py): `b2bgrowth leads …` for
de-duplication, hand-off, assignment, the SLA and forms, plus the scoring commands."""

from __future__ import annotations

from datetime import datetime

import typer

from b2bgrowth.cli.context import console, fail, print_json, state


def dedupe_cmd(
    ctx: typer.Context,
    record: bool = typer.Option(False, "--record", help="Also store the merge explanations as merge history."),
    json_output: bool = typer.Option(False, "--json", help="Print the merged leads with members as JSON."),
) -> None:
    """Merge duplicate leads (email, phone, company + name) and show the groups of more than one."""
    from b2bgrowth.leads import dedupe  # scipy: loaded when a de-duplication command runs, not at start-up

    ws = state(ctx).workspace()
    merged = dedupe.merged_leads(ws)
    multi = merged.loc[merged["member_count"] > 1]
    added = dedupe.record_merges(ws) if record else 0
    if json_output:
        print_json({"leads": int(merged["member_count"].sum()) if len(merged) else 0, "merged_leads": len(merged),
                    "groups": [{"lead_id": r.lead_id, "status": r.status, "member_ids": list(r.member_ids)}
                               for r in multi.itertuples()], "recorded": added})
        return
    console.print(f"{int(merged['member_count'].sum()) if len(merged) else 0} leads → {len(merged)} merged leads; "
                  f"{len(multi)} with duplicates" + (f"; {added} merge pairs recorded" if record else ""))
    for r in multi.head(50).itertuples():
        console.print(f"  {r.lead_id} ({r.status}): {', '.join(r.member_ids)}", highlight=False)


def why_cmd(ctx: typer.Context, lead_id: str = typer.Argument(..., help="A merged or member lead_id.")) -> None:
    """Why the members of a merged lead are one person (JSON)."""
    from b2bgrowth.leads import dedupe  # scipy: loaded when a de-duplication command runs, not at start-up

    ws = state(ctx).workspace()
    try:
        print_json({"lead_id": dedupe.merged_id_of(ws, lead_id), "why": dedupe.why_merged(ws, lead_id)})
    except dedupe.DedupeError as exc:
        fail(str(exc))


def undo_cmd(
    ctx: typer.Context,
    lead_id: str = typer.Argument(..., help="The merged lead."),
    member_id: str = typer.Argument(..., help="The member to split off."),
    by: str = typer.Option("cli", "--by", help="Who undoes the merge (recorded)."),
) -> None:
    """Split a member off a merged lead; later de-duplication keeps them apart."""
    from b2bgrowth.leads import dedupe  # scipy: loaded when a de-duplication command runs, not at start-up

    try:
        dedupe.undo_merge(state(ctx).workspace(), lead_id, member_id, by=by)
    except dedupe.DedupeError as exc:
        fail(str(exc))
    console.print(f"{member_id} split off {lead_id}")


def transition_cmd(
    ctx: typer.Context,
    lead_id: str = typer.Argument(...),
    status: str = typer.Argument(..., help="new, mql, sql, opportunity, customer, nurture or disqualified."),
    reason: str | None = typer.Option(None, "--reason", help="Why (required to disqualify)."),
    by: str = typer.Option("cli", "--by"),
) -> None:
    """Move a lead through its lifecycle (recorded with time, who and why)."""
    from b2bgrowth.leads import handoff

    try:
        print_json(handoff.transition(state(ctx).workspace(), lead_id, status, by=by, reason=reason))
    except handoff.LifecycleError as exc:
        fail(str(exc))


def accept_cmd(ctx: typer.Context, lead_id: str = typer.Argument(...), by: str = typer.Option("cli", "--by")) -> None:
    """Accept an MQL (→ SQL)."""
    from b2bgrowth.leads import handoff

    try:
        print_json(handoff.accept(state(ctx).workspace(), lead_id, by=by))
    except handoff.LifecycleError as exc:
        fail(str(exc))


def reject_cmd(
    ctx: typer.Context, lead_id: str = typer.Argument(...),
    reason: str = typer.Option(..., "--reason", help="Why sales rejects it."), by: str = typer.Option("cli", "--by"),
) -> None:
    """Reject an MQL with a reason (→ nurture)."""
    from b2bgrowth.leads import handoff

    try:
        print_json(handoff.reject(state(ctx).workspace(), lead_id, by=by, reason=reason))
    except handoff.LifecycleError as exc:
        fail(str(exc))


def assign_cmd(ctx: typer.Context, json_output: bool = typer.Option(False, "--json")) -> None:
    """Give unassigned MQLs an owner by the assignment rules."""
    from b2bgrowth.leads import assignment

    chosen = assignment.assign_mqls(state(ctx).workspace())
    if json_output:
        print_json({"assigned": chosen})
        return
    console.print(f"{len(chosen)} MQLs assigned")
    for lead_id, owner in chosen.items():
        console.print(f"  {lead_id} → {owner}", highlight=False)


def rule_cmd(
    ctx: typer.Context,
    rule_id: str = typer.Argument(...),
    owners: str = typer.Option(..., "--owners", help="Comma-separated logins, served round robin."),
    field: str = typer.Option("any", "--field", help="any, region, industry or tier."),
    value: str | None = typer.Option(None, "--value", help="The region / industry / tier to match."),
    priority: int = typer.Option(100, "--priority", help="Lower runs first."),
    inactive: bool = typer.Option(False, "--inactive"),
) -> None:
    """Create or replace an MQL assignment rule."""
    from pydantic import ValidationError

    from b2bgrowth.leads import assignment

    try:
        rule = assignment.RuleIn(rule_id=rule_id, field=field, value=value, owners=owners.split(","),
                                 priority=priority, active=not inactive)
        print_json(assignment.set_rule(state(ctx).workspace(), rule))
    except ValidationError as exc:
        fail("; ".join(f"--{e['loc'][0]}: {e['msg']}" for e in exc.errors()))
    except assignment.AssignmentError as exc:
        fail(str(exc))


def overdue_cmd(
    ctx: typer.Context,
    hours: float | None = typer.Option(None, "--hours", help="SLA in hours (default: setting, else 24)."),
    json_output: bool = typer.Option(False, "--json"),
) -> None:
    """Leads waiting for their first touch past the SLA."""
    from b2bgrowth.leads import sla

    ws = state(ctx).workspace()
    try:
        rows = sla.overdue(ws, datetime.now(), hours)
        hours = sla.sla_hours(ws, hours)
    except ValueError as exc:
        fail(str(exc))
    if json_output:
        print_json({"hours": hours, "leads": rows})
        return
    console.print(f"{len(rows)} leads past the {hours:g}-hour first-touch SLA")
    for r in rows:
        console.print(f"  {r['lead_id']}  {r['status']}  {r['owner'] or '-'}  {r['hours_overdue']} h over", highlight=False)


def form_cmd(
    ctx: typer.Context,
    form_id: str = typer.Argument(...),
    name: str = typer.Option(..., "--name"),
    channel: str | None = typer.Option(None, "--channel"),
    campaign_id: str | None = typer.Option(None, "--campaign"),
    consent_text: str | None = typer.Option(None, "--consent", help="The consent sentence shown by the checkbox."),
) -> None:
    """Create a public lead form (embed it from /forms/FORM_ID/embed.js)."""
    from pydantic import ValidationError

    from b2bgrowth.leads import capture

    try:
        data = capture.FormCreate(form_id=form_id, name=name, channel=channel, campaign_id=campaign_id,
                                  consent_text=consent_text)
        print_json(capture.create_form(state(ctx).workspace(), data))
    except ValidationError as exc:
        fail("; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors()))
    except capture.CaptureError as exc:
        fail(str(exc))


def link_cmd(
    ctx: typer.Context,
    lead_id: str = typer.Argument(..., help="A merged or member lead_id."),
    account_id: str = typer.Argument(..., help="An existing account_id."),
) -> None:
    """Link a lead to the account (company) it belongs to (an upsell, another department)."""
    from b2bgrowth.leads import account_links

    try:
        print_json(account_links.link(state(ctx).workspace(), lead_id, account_id))
    except account_links.AccountLinkError as exc:
        fail(str(exc))


def unlink_cmd(ctx: typer.Context, lead_id: str = typer.Argument(..., help="A merged or member lead_id.")) -> None:
    """Remove a lead's account link (from every member of its merged lead)."""
    from b2bgrowth.leads import account_links

    try:
        print_json(account_links.unlink(state(ctx).workspace(), lead_id))
    except account_links.AccountLinkError as exc:
        fail(str(exc))


def register_cli(app: typer.Typer) -> None:
    """`b2bgrowth leads …`: the one leads group, with the hand-off and the scoring commands."""
    from b2bgrowth.leads.scoring_cli import add_scoring_commands

    group = typer.Typer(help="Leads: de-duplication, hand-off, scoring.", no_args_is_help=True)
    app.add_typer(group, name="leads")
    group.command("dedupe")(dedupe_cmd)
    group.command("why")(why_cmd)
    group.command("undo-merge")(undo_cmd)
    group.command("transition")(transition_cmd)
    group.command("accept")(accept_cmd)
    group.command("reject")(reject_cmd)
    group.command("assign")(assign_cmd)
    group.command("rule")(rule_cmd)
    group.command("overdue")(overdue_cmd)
    group.command("form")(form_cmd)
    group.command("link")(link_cmd)
    group.command("unlink")(unlink_cmd)
    add_scoring_commands(group)
