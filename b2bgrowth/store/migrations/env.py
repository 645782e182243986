"""Alembic environment: runs on the connection the Store hands over (or the URL)."""

from alembic import context
from sqlalchemy import create_engine

from b2bgrowth.store.base import Base

config = context.config
if config.attributes.get("connection") is None:
    # Run by hand (`alembic revision --autogenerate`): the comparison needs every capability's
    # models. The Store's own upgrades run explicit operations and need none. Named as a string
    # because the store (core) must not depend on the capabilities it serves.
    import importlib

    importlib.import_module("b2bgrowth.capabilities").load_models()
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables the portable way.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
