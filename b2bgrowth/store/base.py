"""Declarative base and the column types every capability's models share."""

from __future__ import annotations

from sqlalchemy import JSON, MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Money is exact in the database and a float in Python: analyses are arithmetic on many rows,
# and four decimals survive every round trip the interchange format makes.
Money = Numeric(18, 4, asdecimal=False)

# Extra import columns are kept here ("custom attributes", SPEC §5).
Attributes = JSON


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def model_class(name: str) -> type[Base]:
    """The mapped class called `name` (e.g. "Lead"), among the models loaded so far: the
    capabilities' models are loaded by the Workspace (b2bgrowth/capabilities.py)."""
    for mapper in Base.registry.mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(f"no model class {name!r} is loaded")
