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
