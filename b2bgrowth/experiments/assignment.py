"""Deterministic assignment of units to variants.

Two paths, both reproducible on any machine from the experiment key alone:

* Hash path (`assign`): u = first 8 bytes of sha256(f"{salt or key}:{unit_id}") as a big-endian
  integer ÷ 2⁶⁴, uniform in [0, 1); the variant is the first whose cumulative normalised weight
  exceeds u. Used for units that arrive one at a time (contacts, users, accounts created after
  the start).
* Blocked stratified path (`assign_population`): for a fixed population of accounts (the
  experiment's segment filter), within each stratum (the value of `stratify_by`) the accounts
  are ordered by their hash and dealt out in blocks; each block holds every variant in
  proportion to its weight (0.5/0.5 → blocks of 2, 0.8/0.2 → blocks of 5) in an order that is
  itself a hash-seeded shuffle. So every stratum — including a tier of nine accounts — is
  balanced to within one unit per variant. At `start` the result is written to
  experiment_assignments and never recomputed. That path lives in `experiments.population`
  (the registry freezes it at start without importing this module); its names are
  re-exported here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.experiments.models import Experiment, ExperimentAssignment
from b2bgrowth.experiments.population import (  # noqa: F401  (the blocked path is public here too)
    MAX_BLOCK,
    NO_STRATUM,
    block_pattern,
    blocked_assignment,
    compute_population,
    freeze_population,
    population_query,
    unit_hash,
)
from b2bgrowth.experiments.schemas import ExperimentError, ExperimentPublic
from b2bgrowth.experiments.service import get_experiment

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

EXPOSURE_EVENT = "$exposure"


def pick(u: float, variants: Sequence[tuple[str, float]]) -> str:
    total = float(sum(w for _, w in variants))
    cumulative = 0.0
    for name, weight in variants:
        cumulative += weight / total
        if u < cumulative:
            return name
    return variants[-1][0]  # u within rounding of 1.0


def _experiment(ws: Workspace, key: str) -> ExperimentPublic:
    return get_experiment(ws, key)


def stored_variant(ws: Workspace, key: str, unit_id: str) -> str | None:
    with ws.store.read() as session:
        row = session.get(ExperimentAssignment, (key, unit_id))
        return row.variant if row else None


def assign(
    ws_or_none,
    key: str,
    unit_id: str,
    variants: Sequence[tuple[str, float]] | None = None,
    salt: str | None = None,
) -> str:
    """The variant of `unit_id`: its frozen assignment if the experiment has one, else the hash path.

    Without a workspace, `variants` must be given ([(name, weight), …]).
    """
    if ws_or_none is not None:
        frozen = stored_variant(ws_or_none, key, str(unit_id))
        if frozen is not None:
            return frozen
        if variants is None:
            variants = _experiment(ws_or_none, key).weights()
    if not variants:
        raise ExperimentError("variants: give [(name, weight), …] when no workspace is passed")
    return pick(unit_hash(salt or key, str(unit_id)), variants)


def stored_assignments(ws: Workspace, key: str) -> list[dict]:
    with ws.store.read() as session:
        rows = session.execute(
            select(ExperimentAssignment.unit_id, ExperimentAssignment.variant, ExperimentAssignment.stratum, ExperimentAssignment.assigned_at)
            .where(ExperimentAssignment.experiment_key == key)
            .order_by(ExperimentAssignment.unit_id)
        ).all()
    return [{"unit_id": u, "variant": v, "stratum": s, "assigned_at": a} for u, v, s, a in rows]


def assign_population(ws: Workspace, key: str) -> list[dict]:
    """[{unit_id, variant, stratum}]: the frozen assignment once started, else what start would freeze."""
    exp = _experiment(ws, key)
    stored = stored_assignments(ws, key)
    if stored:
        return [{k: r[k] for k in ("unit_id", "variant", "stratum")} for r in stored]
    if exp.unit != "account":
        raise ExperimentError(f"unit: population assignment is for account experiments, this one is by {exp.unit}")
    with ws.store.read() as session:
        return compute_population(session, exp)


def summarise(rows: list[dict], variant_names: Sequence[str]) -> dict:
    per_stratum: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        per_stratum[r["stratum"] or NO_STRATUM][r["variant"]] += 1
    total: Counter = Counter(r["variant"] for r in rows)
    return {
        "strata": [
            {"stratum": s, "n": sum(c.values()), "by_variant": {v: c.get(v, 0) for v in variant_names}}
            for s, c in sorted(per_stratum.items())
        ],
        "total": {"n": len(rows), "by_variant": {v: total.get(v, 0) for v in variant_names}},
    }


def preview(ws: Workspace, key: str) -> dict:
    exp = _experiment(ws, key)
    return summarise(assign_population(ws, key), [v.name for v in exp.variants])


# ---------------------------------------------------------------- enrolment and exposures

def enrol(ws: Workspace, key: str, unit_id: str, at: datetime | None = None) -> str:
    """The unit's variant, recorded in experiment_assignments if the experiment is running and
    the unit has none yet (units arriving after the start take the hash path)."""
    unit_id = str(unit_id)
    frozen = stored_variant(ws, key, unit_id)
    if frozen is not None:
        return frozen
    exp = _experiment(ws, key)
    variant = pick(unit_hash(key, unit_id), exp.weights())
    if exp.status == "running":
        with ws.store.write(touched=["experiments"]) as session:
            if session.get(ExperimentAssignment, (key, unit_id)) is None:
                session.add(
                    ExperimentAssignment(
                        experiment_key=key, unit_id=unit_id, variant=variant, stratum=None,
                        assigned_at=at or datetime.now().replace(microsecond=0),
                    )
                )
    return variant


def log_exposure(ws: Workspace, key: str, unit_id: str, variant: str, unit: str = "account",
                 at: datetime | None = None) -> str:
    """Record that the unit saw its variant: an event "$exposure" in the event store. Returns its id."""
    ts = at or datetime.utcnow().replace(microsecond=0)
    event_id = f"exp-{key}-{unit_id}-{ts.strftime('%Y%m%dT%H%M%S')}"
    raw = {
        "event_id": event_id,
        "ts": ts.isoformat(),
        "event": EXPOSURE_EVENT,
        "account_id": str(unit_id) if unit == "account" else None,
        "user_id": None if unit == "account" else str(unit_id),
        "properties": {"experiment": key, "variant": variant},
    }
    ws.events.ingest([ws.events.validate(raw, line=1)])
    return event_id


def check_experiment_exists(ws: Workspace, key: str) -> None:
    with ws.store.read() as session:
        if session.get(Experiment, key) is None:
            raise KeyError(f"experiment {key!r} not found")
