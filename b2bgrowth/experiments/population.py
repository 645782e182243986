"""A fixed population of accounts and its blocked stratified assignment.

The experiment's segment filter (`population_query`) selects the accounts; within each stratum
(the value of `stratify_by`) they are ordered by their hash and dealt out in blocks, each block
holding every variant in proportion to its weight in a hash-seeded order (see
`experiments.assignment` for the whole story). `registry.start` freezes the result with
`freeze_population`; `assignment` previews it and serves the hash path, which shares `unit_hash`.

Nothing here reads the registry, so the registry and the assignment module both build on it.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from math import lcm

from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments.models import ExperimentAssignment
from b2bgrowth.experiments.schemas import ExperimentError, ExperimentPublic, Population

NO_STRATUM = "(none)"
MAX_BLOCK = 100


def unit_hash(key: str, unit_id: str) -> float:
    """sha256(f"{key}:{unit_id}") → uniform in [0, 1)."""
    digest = hashlib.sha256(f"{key}:{unit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def block_pattern(variants: Sequence[tuple[str, float]]) -> list[str]:
    """The smallest block holding each variant in proportion to its weight."""
    total = sum(w for _, w in variants)
    shares = [Fraction(w / total).limit_denominator(MAX_BLOCK) for _, w in variants]
    size = lcm(*(s.denominator for s in shares))
    counts = [int(s * size) for s in shares]
    if size > MAX_BLOCK or 0 in counts:
        raise ExperimentError(f"variants: weights {[w for _, w in variants]} need blocks larger than {MAX_BLOCK}")
    return [name for (name, _), count in zip(variants, counts) for _ in range(count)]


def blocked_assignment(
    key: str, unit_ids_by_stratum: dict[str, list[str]], variants: Sequence[tuple[str, float]]
) -> list[dict]:
    pattern = block_pattern(variants)
    out: list[dict] = []
    for stratum in sorted(unit_ids_by_stratum):
        units = sorted(unit_ids_by_stratum[stratum], key=lambda u: (unit_hash(key, u), u))
        for start in range(0, len(units), len(pattern)):
            block = list(pattern)
            # a seeded shuffle per (key, stratum, block): the order inside a block is random too
            random.Random(f"{key}:{stratum}:{start}").shuffle(block)
            for unit_id, variant in zip(units[start : start + len(pattern)], block):
                out.append({"unit_id": unit_id, "variant": variant, "stratum": stratum})
    return out


def _stratum_of(account: Account, stratify_by: str | None) -> str:
    if not stratify_by:
        return NO_STRATUM
    if stratify_by.startswith("attributes."):
        value = (account.attributes or {}).get(stratify_by.split(".", 1)[1])
    else:
        value = getattr(account, stratify_by, None)
    return NO_STRATUM if value in (None, "") else str(value)


def population_query(population: Population):
    query = select(Account)
    for field in ("tier", "industry", "region", "lifecycle_stage", "type"):
        values = getattr(population, field)
        if values:
            query = query.where(getattr(Account, field).in_(values))
    if population.created_from:
        query = query.where(Account.created_at >= population.created_from)
    if population.created_to:
        query = query.where(Account.created_at < population.created_to)
    if population.account_ids:
        query = query.where(Account.account_id.in_(population.account_ids))
    return query.order_by(Account.account_id)


def compute_population(session, exp: ExperimentPublic) -> list[dict]:
    by_stratum: dict[str, list[str]] = defaultdict(list)
    for account in session.scalars(population_query(exp.population)):
        by_stratum[_stratum_of(account, exp.stratify_by)].append(account.account_id)
    return blocked_assignment(exp.key, by_stratum, exp.weights())


def freeze_population(session, exp: ExperimentPublic, at: datetime) -> int:
    """Write the population's assignment (called by registry.start inside its transaction)."""
    existing = session.scalar(select(ExperimentAssignment.unit_id).where(ExperimentAssignment.experiment_key == exp.key).limit(1))
    if existing is not None:
        return 0
    rows = compute_population(session, exp)
    session.add_all(
        ExperimentAssignment(experiment_key=exp.key, unit_id=r["unit_id"], variant=r["variant"], stratum=r["stratum"], assigned_at=at)
        for r in rows
    )
    return len(rows)
