"""One Settings object for the whole product.

Every option can come from the command line (global options of `b2bgrowth`), from the
environment (B2BGROWTH_*), or from defaults. Outside demo mode a secret key must be given:
we refuse to run a server that signs cookies with a key everybody knows.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("b2bgrowth-data")
# In the data dir: says the store there was made by `b2bgrowth demo` and may be replaced
# (and is served in demo mode again by `b2bgrowth serve`).
DEMO_MARKER = "demo.json"


class SettingsError(ValueError):
    """A setting is missing or unsafe."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="B2BGROWTH_", extra="ignore")

    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description="Where SQLite, events and derived tables live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in the data directory.")
    secret_key: str | None = Field(default=None, description="Signs session cookies and CSRF tokens.")
    demo_mode: bool = Field(default=False, description="Demo mode generates a secret key and an admin password.")
    cookie_secure: bool = Field(
        default=False,
        description="Mark the session cookie Secure (sent over HTTPS only): turn on behind HTTPS. Off by default "
                    "so the demo at http://127.0.0.1 can sign in.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto the server trusts "
                    "(comma-separated IPs or CIDRs, or *). Empty: the client address is the TCP peer.",
    )
    reporting_currency: str = Field(default="CNY", description="Currency every money figure is reported in "
                                    "(ISO code; other currencies convert through the exchange_rates table).")
    host: str = Field(default="127.0.0.1", description="Interface `b2bgrowth serve` binds unless --host is given.")
    port: int = Field(default=8000, ge=1, le=65535,
                      description="Port `b2bgrowth serve` listens on unless --port is given.")
    events_flush_rows: int = Field(default=200_000, ge=1, description="Buffered events written to one Parquet file.")
    lead_sla_hours: float | None = Field(default=None, gt=0, description="Hours sales have to first-touch an MQL "
                                         "(default 24; docs/leads.md).")

    @model_validator(mode="after")
    def _normalise(self) -> Settings:
        self.data_dir = Path(self.data_dir)
        if self.database_url == "":
            self.database_url = None
        return self

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'b2bgrowth.sqlite').resolve()}"

    @property
    def events_dir(self) -> Path:
        return self.data_dir / "events"

    @property
    def cache_dir(self) -> Path:
        """The one folder every cache writes under (reporting/cache.py, docs/cache.md)."""
        return self.data_dir / "derived"

    @property
    def derived_dir(self) -> Path:
        # The older name of cache_dir (the same folder); `demo` clears it.
        return self.cache_dir

    def require_secret_key(self) -> str:
        """The key that signs cookies. Demo mode makes one up (and keeps it in the data dir)."""
        if self.secret_key:
            if not self.demo_mode and len(self.secret_key) < 16:
                raise SettingsError("B2BGROWTH_SECRET_KEY must be at least 16 characters outside demo mode")
            return self.secret_key
        if not self.demo_mode:
            raise SettingsError(
                "no secret key: set B2BGROWTH_SECRET_KEY (or run `b2bgrowth demo`, which generates one)"
            )
        key_file = self.data_dir / "demo-secret-key"
        if key_file.exists():
            self.secret_key = key_file.read_text().strip()
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.secret_key = secrets.token_urlsafe(32)
            key_file.write_text(self.secret_key)
        return self.secret_key
