"""Scorecards in the store: every save is a new version; the latest version of each is live.

Rows of `scorecards` are never updated: (scorecard_id, version) with who saved it and when, the
groups (column `measures`), applies_to, colours and a note. The built-in default scorecard is
version 0 of `default` until someone saves version 1 of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from b2bgrowth.success.models import Scorecard
from b2bgrowth.success.scorecards.default import DEFAULT_DEFINITION
from b2bgrowth.success.scorecards.definition import DEFAULT_ID, ScorecardDefinition, parse_definition

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

BUILT_IN_BY = "built-in"


@dataclass(frozen=True)
class Version:
    definition: ScorecardDefinition
    version: int
    created_at: datetime | None
    created_by: str | None

    @property
    def scorecard_id(self) -> str:
        return self.definition.scorecard_id

    def as_dict(self) -> dict:
        return {**self.definition.model_dump(mode="json"), "version": self.version,
                "created_at": self.created_at.isoformat(timespec="seconds") if self.created_at else None,
                "created_by": self.created_by}


class UnknownScorecard(LookupError):
    pass


def _built_in() -> Version:
    return Version(parse_definition(DEFAULT_DEFINITION), 0, None, BUILT_IN_BY)


def _from_row(row: Scorecard) -> Version:
    data = {"scorecard_id": row.scorecard_id, "name": row.name, "applies_to": row.applies_to or {},
            "groups": row.measures or [], "note": row.note}
    if row.colors:
        data["colors"] = row.colors
    return Version(parse_definition(data), row.version, row.created_at, row.created_by)


def save(ws: Workspace, data: dict | ScorecardDefinition, by: str) -> Version:
    """Validate and store `data` as the next version of its scorecard (DefinitionError if invalid)."""
    definition = data if isinstance(data, ScorecardDefinition) else parse_definition(data)
    dumped = definition.model_dump(mode="json")
    with ws.store.write(touched=["scorecards"]) as session:
        latest = session.execute(select(func.max(Scorecard.version))
                                 .where(Scorecard.scorecard_id == definition.scorecard_id)).scalar()
        version = (latest or 0) + 1
        now = datetime.now().replace(microsecond=0)
        session.add(Scorecard(scorecard_id=definition.scorecard_id, version=version, name=definition.name,
                              applies_to=dumped["applies_to"], measures=dumped["groups"], colors=dumped["colors"],
                              note=definition.note, created_at=now, created_by=by))
    return Version(definition, version, now, by)


def get(ws: Workspace, scorecard_id: str, version: int | None = None) -> Version:
    """One version (the live one when version is None); UnknownScorecard if it does not exist."""
    with ws.store.read() as session:
        query = select(Scorecard).where(Scorecard.scorecard_id == scorecard_id)
        if version is not None:
            query = query.where(Scorecard.version == version)
        row = session.execute(query.order_by(Scorecard.version.desc()).limit(1)).scalar_one_or_none()
        if row is not None:
            return _from_row(row)
    if scorecard_id == DEFAULT_ID and version in (None, 0):
        return _built_in()
    which = f"version {version} of scorecard {scorecard_id!r}" if version is not None else f"scorecard {scorecard_id!r}"
    raise UnknownScorecard(f"{which} does not exist")


def history(ws: Workspace, scorecard_id: str) -> list[dict]:
    """Every version, newest first: version, name, created_at, created_by, note."""
    with ws.store.read() as session:
        rows = session.execute(select(Scorecard.version, Scorecard.name, Scorecard.created_at, Scorecard.created_by,
                                      Scorecard.note).where(Scorecard.scorecard_id == scorecard_id)
                               .order_by(Scorecard.version.desc())).all()
    out = [{"version": r.version, "name": r.name,
            "created_at": r.created_at.isoformat(timespec="seconds") if r.created_at else None,
            "created_by": r.created_by, "note": r.note} for r in rows]
    if scorecard_id == DEFAULT_ID:
        out.append({"version": 0, "name": DEFAULT_DEFINITION["name"], "created_at": None, "created_by": BUILT_IN_BY,
                    "note": None})
    if not out:
        raise UnknownScorecard(f"scorecard {scorecard_id!r} does not exist")
    return out


def live(ws: Workspace) -> list[Version]:
    """The latest version of every scorecard, `default` first (built-in when never saved)."""
    with ws.store.read() as session:
        latest = (select(Scorecard.scorecard_id, func.max(Scorecard.version).label("v"))
                  .group_by(Scorecard.scorecard_id).subquery())
        rows = session.execute(select(Scorecard).join(
            latest, (Scorecard.scorecard_id == latest.c.scorecard_id) & (Scorecard.version == latest.c.v))).scalars().all()
        versions = [_from_row(r) for r in rows]
    if not any(v.scorecard_id == DEFAULT_ID for v in versions):
        versions.append(_built_in())
    return sorted(versions, key=lambda v: (v.scorecard_id != DEFAULT_ID, v.scorecard_id))
