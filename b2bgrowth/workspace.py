"""The Workspace: what every entry point (CLI, API, Python API) works against.

It bundles the settings, the operational store and the event store, so an analyst can write

    from b2bgrowth import Workspace
    ws = Workspace.open(data_dir="b2bgrowth-data")
    ws.report("revenue", period="month", **{"from": "2024-01-01", "to": "2024-12-31"})

and get exactly what the CLI and `GET /api/v1/reports/revenue` return.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from b2bgrowth import capabilities
from b2bgrowth.settings import Settings
from b2bgrowth.store.database import Store

if TYPE_CHECKING:
    from b2bgrowth.events.store import EventStore
    from b2bgrowth.reporting.cache import Cache


class Workspace:
    def __init__(self, settings: Settings, *, migrate: bool = True):
        self.settings = settings
        # Every capability's tables, reports, derived tables and recompute steps (once per process).
        external_tables = capabilities.install()
        self.store = Store(settings)
        if migrate:
            self.store.migrate()
            self.store.create_missing(external_tables)

    @classmethod
    def open(cls, **overrides: Any) -> Workspace:
        return cls(Settings(**overrides))

    @cached_property
    def events(self) -> EventStore:
        from b2bgrowth.events.store import EventStore

        return EventStore(self.settings.events_dir, flush_rows=self.settings.events_flush_rows)

    @cached_property
    def cache(self) -> Cache:
        from b2bgrowth.reporting.cache import Cache

        return Cache(self)

    def report(self, name: str, **params: Any) -> dict[str, Any]:
        """Run a registered report by name with the same parameters the CLI and API take."""
        from b2bgrowth.reporting.registry import get_report

        report = get_report(name)
        return report.execute(self, report.Params.model_validate(params))

    def capability_settings(self, name: str) -> Any:
        """The settings a capability declared (`Capability.settings`), read from the environment;
        None when it declared none."""
        cls = capabilities.settings_class(name)
        return cls() if cls is not None else None

    def close(self) -> None:
        """Flush and release everything; safe to call more than once."""
        events = self.__dict__.pop("events", None)
        if events is not None:
            events.close()
        self.store.dispose()
