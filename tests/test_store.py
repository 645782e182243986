from sqlalchemy import inspect

from b2bgrowth.accounts.models import Account
from b2bgrowth.store.base import Base


def test_migration_creates_every_model_table(ws):
    tables = set(inspect(ws.store.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_write_bumps_revision_of_touched_entities(ws):
    assert ws.store.revisions(["accounts"]) == {"accounts": 0}
    with ws.store.write(touched=["accounts"]) as session:
        session.add(Account(account_id="A1", name="Acme", type="direct"))
    with ws.store.write(touched=["accounts", "subscriptions"]):
        pass
    assert ws.store.revisions(["accounts", "subscriptions"]) == {"accounts": 2, "subscriptions": 1}
    with ws.store.read() as session:
        assert session.get(Account, "A1").name == "Acme"


def test_migrate_is_idempotent(ws):
    ws.store.migrate()
    ws.store.migrate()


def test_head_revision_read_from_files_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from b2bgrowth.store.database import MIGRATIONS_DIR, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()


def test_open_on_current_schema_skips_alembic(ws):
    from b2bgrowth.store.database import head_revision

    assert ws.store.schema_revision() == head_revision()


def test_migrations_match_the_models(ws):
    """A model changed without its migration (or the reverse) fails here, on both stores."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with ws.store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == []
