"""The learned churn model: fit on past snapshots, backtested on later ones, cached per as_of.

Fit: logistic regression (newton-cholesky) on standardised features (features.py), wrapped in
CalibratedClassifierCV (sigmoid below 1,000 examples, isotonic above; ensemble=False so the
coefficients used for reasons are those of the one model fitted on all examples). Reasons: on
standardised features log-odds = b + Σ coef_j · z_j, so coef_j · z_j is feature j's pull
towards churn against an average account; the three largest positive pulls (grouped by input)
are phrased from the account's signals.

Too thin (fewer than MIN_EXAMPLES labelled examples, or fewer than MIN_PER_CLASS of either
outcome) → status "fallback" and risk_at uses the rule in fallback.py.

Trained as of the last month-end on or before the day asked for (training_day): one model
per month, cached on disk under derived/churn_model keyed by that day and the inputs.

Backtest: the snapshot dates are split at the cut (the first snapshot of the newest 40 %); the
model is trained as if as_of were the cut (examples with snapshot < cut and due + grace ≤ cut)
and evaluated on the examples of snapshots ≥ cut. The fallback rule and, when it exists, health
alone (100 − health_score) are scored on the same examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.success.risk.examples import build_examples
from b2bgrowth.success.risk.fallback import fallback_risk
from b2bgrowth.success.risk.features import (
    FEATURES,
    GROUP,
    PHRASE_INPUTS,
    RULE_REASON_DEFAULT,
    model_features,
    phrase,
)

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

MIN_EXAMPLES = 30
MIN_PER_CLASS = 5
DEFAULT_GRACE = 30
CODE_VERSION = 1
DEPENDS_ON = ("subscriptions", "exchange_rates", "accounts", "nps_responses")


@dataclass
class ChurnModel:
    status: str                      # "trained" | "fallback"
    message: str
    as_of: date | None = None
    examples: int = 0
    churned: int = 0
    mean: np.ndarray | None = None
    std: np.ndarray | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0
    calibrated: object = None
    backtest: dict = field(default_factory=dict)

    def probability(self, features: pd.DataFrame) -> np.ndarray:
        z = (features[list(FEATURES)].to_numpy(dtype="float64") - self.mean) / self.std
        return self.calibrated.predict_proba(z)[:, 1]

    def risk(self, signals: pd.DataFrame) -> pd.DataFrame:
        if self.status != "trained":
            return fallback_risk(signals)
        features = model_features(signals)
        p = self.probability(features)
        z = (features.to_numpy(dtype="float64") - self.mean) / self.std
        contributions = pd.DataFrame(z * self.coef, columns=list(FEATURES))
        grouped = contributions.T.groupby(lambda c: GROUP.get(c, c)).sum().T
        names, values = list(grouped.columns), grouped.to_numpy()
        top = np.argsort(-values, axis=1, kind="stable")[:, :3]
        records = signals[[c for c in PHRASE_INPUTS if c in signals.columns]].to_dict("records")
        # The rule's own top reason, from one fallback_risk over the whole frame (its "no usage
        # at all" term needs the frame, and per-row calls cost ~8 s at L).
        rule_column = names.index("rule_logit") if "rule_logit" in names else None
        rule_reasons = None
        if rule_column is not None and ((values[:, rule_column] > 0) & (top == rule_column).any(axis=1)).any():
            rule_reasons = [r[0] if r else RULE_REASON_DEFAULT for r in fallback_risk(signals)["reasons"]]

        def say(name: str, i: int) -> str:
            return rule_reasons[i] if name == "rule_logit" else phrase(name, records[i])

        reasons = [[say(names[j], i) for j in top[i] if values[i, j] > 0] for i in range(len(records))]
        return pd.DataFrame({"account_id": signals["account_id"].astype(str).to_numpy(),
                             "churn_risk": np.round(p, 4), "reasons": reasons, "method": "model"})


def fit(examples: pd.DataFrame, as_of: date | None = None) -> ChurnModel:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    y = examples["churned"].to_numpy(dtype=int) if len(examples) else np.zeros(0, dtype=int)
    n, positives = len(y), int(y.sum())
    if n < MIN_EXAMPLES or positives < MIN_PER_CLASS or n - positives < MIN_PER_CLASS:
        return ChurnModel(status="fallback", as_of=as_of, examples=n, churned=positives, message=(
            f"too little history to learn churn: {n} labelled renewals ({positives} not renewed); need at least "
            f"{MIN_EXAMPLES} with {MIN_PER_CLASS} of each outcome — using the rule-based fallback"))
    X = model_features(examples).to_numpy(dtype="float64")
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std == 0] = 1.0
    Z = (X - mean) / std
    folds = int(min(3, positives, n - positives))
    # newton-cholesky: 20 features, so the Hessian is tiny; it converges in a few steps where
    # lbfgs took ~40 at L (2.3× faster there, and closer to the optimum).
    calibrated = CalibratedClassifierCV(LogisticRegression(C=1.0, max_iter=2000, solver="newton-cholesky"),
                                        method="isotonic" if n >= 1000 else "sigmoid", cv=folds, ensemble=False)
    calibrated.fit(Z, y)
    base = calibrated.calibrated_classifiers_[0].estimator
    return ChurnModel(status="trained", as_of=as_of, examples=n, churned=positives, mean=mean, std=std,
                      coef=base.coef_[0], intercept=float(base.intercept_[0]), calibrated=calibrated,
                      message=f"trained on {n} renewals ({positives} not renewed)")


# -- backtest ---------------------------------------------------------------------------------

def evaluate(p: np.ndarray, y: np.ndarray) -> dict:
    from sklearn.metrics import roc_auc_score

    base_rate = float(y.mean()) if len(y) else None
    out = {"examples": int(len(y)), "churned": int(y.sum()), "base_rate": round(base_rate, 4) if len(y) else None}
    if len(set(y.tolist())) < 2:
        return {**out, "auc": None, "top_decile_precision": None, "calibration": []}
    order = np.argsort(-p, kind="stable")
    top = order[: max(1, int(np.ceil(len(y) / 10)))]
    bins = np.minimum((p * 10).astype(int), 9)
    calibration = [{"bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}", "examples": int((bins == b).sum()),
                    "mean_predicted": round(float(p[bins == b].mean()), 4),
                    "observed_rate": round(float(y[bins == b].mean()), 4)} for b in range(10) if (bins == b).any()]
    return {**out, "auc": round(float(roc_auc_score(y, p)), 4),
            "top_decile_precision": round(float(y[top].mean()), 4), "calibration": calibration}


def _health_scores(ws: Workspace, examples: pd.DataFrame) -> np.ndarray:
    from b2bgrowth.success.health_scores import health_at

    risk = np.full(len(examples), np.nan)
    for t, idx in examples.groupby("snapshot").groups.items():
        part = examples.loc[idx]
        # Only health_score is used: no trend, so no signals as of t − 30 are computed.
        signals = part.drop(columns=["due_day", "units", "churned", "snapshot"])
        health = health_at(ws, t, signals=signals, previous_signals=signals.iloc[0:0], breakdown=False)
        score = part["account_id"].map(health.set_index("account_id")["health_score"])
        risk[examples.index.get_indexer(idx)] = 100.0 - score.to_numpy(dtype="float64")
    return np.nan_to_num(risk, nan=50.0)


def backtest(ws: Workspace, examples: pd.DataFrame, grace: int) -> dict:
    from b2bgrowth.revenue.api import to_day

    snapshots = sorted(examples["snapshot"].unique()) if len(examples) else []
    if len(snapshots) < 3:
        return {"status": "insufficient_history", "message": f"{len(snapshots)} snapshot dates; need 3 to backtest"}
    cut = snapshots[int(len(snapshots) * 0.6)]
    train = examples[(examples["snapshot"] < cut) & (examples["due_day"] + grace <= to_day(cut))]
    test = examples[examples["snapshot"] >= cut].reset_index(drop=True)
    model = fit(train, cut)
    y = test["churned"].to_numpy(dtype=int)
    result = {"status": model.status, "message": model.message, "cut": cut.isoformat(),
              "train_snapshots": [s.isoformat() for s in snapshots if s < cut],
              "test_snapshots": [s.isoformat() for s in snapshots if s >= cut],
              "train_examples": int(len(train)), "test": None, "fallback": None, "health": None}
    if model.status == "trained":
        result["test"] = evaluate(model.probability(model_features(test)), y)
    result["fallback"] = evaluate(fallback_risk(test)["churn_risk"].to_numpy(dtype="float64"), y)
    result["health"] = evaluate(_health_scores(ws, test) / 100.0, y)
    return result


# -- the cached model for an as_of --------------------------------------------------------------

MODELS_KEPT = 32  # training days (month-ends) kept in memory and on disk


def cache_key(ws: Workspace, as_of: date, grace: int) -> str:
    from b2bgrowth.reporting.cache import CURRENCY

    return ws.cache.key("churn_model", entities=DEPENDS_ON, events_until=as_of, settings=CURRENCY,
                        version=CODE_VERSION, extra={"as_of": as_of.isoformat(), "grace": grace})


class _SnapshotSignals:
    """account_signals per snapshot day; prefetch computes them all in one signals_many call,
    restricted to the accounts with a chain due (the only rows an example keeps)."""

    def __init__(self):
        self.frames: dict = {}

    def prefetch(self, ws: Workspace, accounts_by_date: dict) -> None:
        from b2bgrowth.success.signals import signals_many

        self.frames = signals_many(ws, list(accounts_by_date), accounts_by_date)

    def __call__(self, ws: Workspace, t: date) -> pd.DataFrame:
        if t in self.frames:
            return self.frames[t]
        return _signals_at(ws, t)


def _signals_at(ws: Workspace, t: date) -> pd.DataFrame:
    from b2bgrowth.success.signals import account_signals

    return account_signals(ws, t)


def train(ws: Workspace, as_of: date, grace: int = DEFAULT_GRACE, signals_at=None) -> ChurnModel:
    examples = build_examples(ws, as_of, grace, signals_at or _SnapshotSignals())
    model = fit(examples, as_of)
    model.backtest = backtest(ws, examples, grace)
    return model


def training_day(as_of: date) -> date:
    """The day the model used on as_of is trained as of: the last month-end on or before it.

    Point in time still holds (it reads nothing after that day, so nothing after as_of), and
    every day of a month shares one model: a new day of data costs a health run, not a refit
    (~40 s at L). The cost is that outcomes learned in the current month wait for its end."""
    following = as_of + timedelta(days=1)
    return as_of if following.day == 1 else as_of.replace(day=1) - timedelta(days=1)


def model_at(ws: Workspace, as_of: date, grace: int = DEFAULT_GRACE) -> ChurnModel:
    """The model for as_of (trained on outcomes known by training_day(as_of)), from memory,
    disk, or fitted now."""
    as_of = training_day(as_of)
    return ws.cache.get_or_compute("churn_model", cache_key(ws, as_of, grace), lambda: train(ws, as_of, grace),
                                   store="pickle", keep=MODELS_KEPT)
