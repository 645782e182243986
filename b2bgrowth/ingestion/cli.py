"""The event store's interfaces (the store itself, b2bgrowth/events, is core): the ingestion
API (routes.py) and `b2bgrowth events …`.

File import and export of events go through the interchange CLI
(`b2bgrowth import events FILE`, `b2bgrowth export events --output FILE`), which call
EventStore.import_file / export_file.
"""

from __future__ import annotations

import typer


def register_cli(app: typer.Typer) -> None:
    from b2bgrowth.cli.context import fail, print_json, state

    events_app = typer.Typer(help="The event store: counts, flush, compaction.", no_args_is_help=True)

    def _store(ctx: typer.Context):
        return state(ctx).workspace().events

    @events_app.command("stats")
    def stats(ctx: typer.Context) -> None:
        """Events stored, date partitions and Parquet files."""
        from b2bgrowth.events.files import all_part_files, partitions

        store = _store(ctx)
        print_json({
            "events": store.count(),
            "partitions": len(partitions(store.root)),
            "files": len(all_part_files(store.root)),
            "directory": str(store.root),
        })

    @events_app.command("compact")
    def compact(ctx: typer.Context) -> None:
        """Flush the buffer and merge each date partition's Parquet files into one."""
        from b2bgrowth.events.store import EventStoreBusy

        try:
            replaced = _store(ctx).compact()
        except EventStoreBusy as exc:
            fail(str(exc))
        print_json({"files_replaced": replaced})

    app.add_typer(events_app, name="events")
