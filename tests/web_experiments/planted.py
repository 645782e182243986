"""A planted experiment for the page tests (TestClient and browser), on any workspace.

Population: every account of the seeded company (4 named + the extras). The frozen assignment is
replaced by a lopsided one to plant a sample-ratio mismatch: with weights 0.5 / 0.5 and 34 units,
28 in control and 6 in treatment give χ² = (28−17)²/17 + (6−17)²/17 = 14.24, p = 1.6e-4 < 0.001.
Conversions ("trial_converted" within 90 days of 2024-01-01): control 7 of 28 = 25.0 %,
treatment 4 of 6 = 66.7 %; relative effect = (4/6 − 7/28) ÷ (7/28) = 1.6667 → "+166.67%".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.models import ExperimentAssignment
from b2bgrowth.experiments.schemas import ExperimentCreate

STARTED = datetime(2024, 1, 1)
STOPPED = datetime(2024, 6, 1)


def plant(ws, key: str = "free-sample", treated: int = 6, control_conversions: int = 7, treated_conversions: int = 4) -> dict:
    registry.create_experiment(ws, ExperimentCreate.model_validate({
        "key": key, "name": "Free samples at pickup stations", "hypothesis": "Free samples lift trial conversion",
        "variants": [{"name": "control", "weight": 0.5}, {"name": "treatment", "weight": 0.5}],
        "metrics": {"primary": [{"name": "converted", "type": "proportion", "source": "events",
                                 "events": ["trial_converted"], "value_per_unit": 1000}]},
        "stratify_by": "tier", "roi": {"cost_per_treated_unit": 50},
    }), by="admin")
    registry.start(ws, key, at=STARTED)
    with ws.store.read() as session:
        accounts = sorted(session.scalars(select(Account.account_id)))
    arms = {"treatment": accounts[:treated], "control": accounts[treated:]}
    with ws.store.write(touched=["experiments"]) as session:
        session.execute(delete(ExperimentAssignment).where(ExperimentAssignment.experiment_key == key))
        session.add_all(ExperimentAssignment(experiment_key=key, unit_id=unit, variant=variant, stratum="all",
                                             assigned_at=STARTED)
                        for variant, units in arms.items() for unit in units)
    converted = arms["control"][:control_conversions] + arms["treatment"][:treated_conversions]
    ws.events.ingest([{"event_id": f"{key}-conv-{unit}", "ts": "2024-02-01T10:00:00", "account_id": unit,
                       "event": "trial_converted", "properties": {}} for unit in converted])
    ws.events.flush()
    registry.stop(ws, key, at=STOPPED)
    return {"control": len(arms["control"]), "treatment": treated}
