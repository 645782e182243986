"""Predicted conversion: a calibrated logistic model learned from the team's own closed leads.

Label (per merged lead): converted = status customer or any won opportunity; not converted =
status disqualified, or opportunities that are all lost. Everything else is still open and is
only scored. Features (lead_features): log employees, industry, region, channel, title level
(decision maker / manager / other, by the title words in scoring_config), the four BANT fields
as read by leads.bant, log budget amount, and touch counts by kind plus touches in the 30 days
before the cut-off. For a closed lead the cut-off is when it closed (first won / last lost
opportunity close date; otherwise its last touch), so the model never sees what happened after.

Training (time-ordered; docs/lead-scoring.md): closed leads sorted by creation; the newest 25 %
are the hold-out. Of the older 75 %, the first 80 % fit a logistic regression on standardised
features and the newest 20 % fit the calibration map from its log-odds to a probability
(isotonic with ≥ 1,000 leads, Platt's sigmoid below). The hold-out, never seen by either, gives
AUC, lift by decile and the calibration table. The saved model is exactly the evaluated one.

Reasons: on standardised features the log-odds is intercept + Σ coef_j · z_j, so coef_j · z_j
is feature j's pull away from an average lead; one-hot columns of one field add up. The three
largest pulls (by size, with their sign) are the lead's reasons.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.leads.models import TOUCH_KINDS
from b2bgrowth.reporting.derived import DerivedTable, cache_key, forget, load, table_named

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

MODEL_TABLE = "lead_model"
MODEL_CACHE = "lead_conversion_model"  # the fitted model's pickle: <cache_dir>/lead_conversion_model/<key>.pkl
MIN_CLOSED = 200
MIN_PER_CLASS = 20
CATEGORICAL = ("industry", "region", "channel", "title_level", "budget_kind", "authority_flag", "need_level",
               "timeline_bucket")
NUMERIC = ("log_employees", "log_budget_amount") + tuple(f"touches_{k}" for k in TOUCH_KINDS) + ("touches_30d",)


class TooLittleHistory(Exception):
    pass


# -- labels and features ----------------------------------------------------------------------

def closed_labels(frame: pd.DataFrame, opps: pd.DataFrame, touches: pd.DataFrame) -> pd.DataFrame:
    """lead_id, converted (1/0), closed_at for merged leads whose outcome is known."""
    ids = frame["lead_id"]
    won = opps[opps["status"] == "won"].groupby("lead_id")["closed_at"].min()
    # Vectorised "every opportunity of the lead was lost" (a Python lambda per group took ~1.5 s at 100k).
    lost_only = (opps["status"] == "lost").groupby(opps["lead_id"]).all()
    last_lost = opps[opps["status"] == "lost"].groupby("lead_id")["closed_at"].max()
    last_touch = touches.groupby("lead_id")["at"].max() if not touches.empty else pd.Series(dtype="datetime64[ns]")
    status = frame["status"].to_numpy()
    has_won = ids.isin(won.index).to_numpy()
    converted = (status == "customer") | has_won
    all_lost = lost_only.reindex(ids.to_numpy()).astype("boolean").fillna(False).to_numpy(dtype=bool)
    not_converted = ~converted & ((status == "disqualified") | all_lost)
    # When it closed: first win; else last loss; else the last touch; else its creation.
    def lookup(by_lead: pd.Series) -> pd.Series:  # reindex, not map: map fails on empty datetime series
        values = pd.to_datetime(by_lead.reindex(ids.to_numpy())).to_numpy().astype("datetime64[ns]")
        return pd.Series(values, index=frame.index)

    closed_at = lookup(won)
    for fallback in (lookup(last_lost), lookup(last_touch), pd.to_datetime(frame["created_at"]).astype("datetime64[ns]")):
        closed_at = closed_at.fillna(fallback)
    keep = converted | not_converted
    return pd.DataFrame({"lead_id": ids[keep].to_numpy(), "converted": converted[keep].astype(int),
                         "closed_at": closed_at[keep].to_numpy(), "created_at": frame["created_at"][keep].to_numpy()})


def title_level(titles: pd.Series) -> pd.Series:
    from b2bgrowth.leads.scoring_config import DECISION_TITLES, MANAGER_TITLES

    codes, uniques = pd.factorize(titles, use_na_sentinel=True)

    def level(t: str) -> str:
        t = str(t).lower()
        if any(w in t for w in DECISION_TITLES):
            return "decision_maker"
        return "manager" if any(w in t for w in MANAGER_TITLES) else "other"

    lookup = np.array([level(u) for u in uniques] + ["missing"], dtype=object)
    return pd.Series(lookup[codes], index=titles.index)


def lead_features(frame: pd.DataFrame, touches: pd.DataFrame, cutoff: pd.Series) -> pd.DataFrame:
    """One row per lead of `frame` (same order); `cutoff` = per-lead moment the features are taken at."""
    from b2bgrowth.leads.bant import parse_bant_frame

    bant = parse_bant_frame(frame)
    out = pd.DataFrame(index=frame.index)
    for column in ("industry", "region", "channel"):
        out[column] = frame[column].astype(object).where(frame[column].notna(), "missing").astype(str)
    out["title_level"] = title_level(frame["title"])
    for column in ("budget_kind", "authority_flag", "need_level", "timeline_bucket"):
        out[column] = bant[column].where(bant[column].notna(), "missing").astype(str)
    out["log_employees"] = np.log1p(pd.to_numeric(frame["employees"], errors="coerce").fillna(0).clip(lower=0))
    out["log_budget_amount"] = np.log1p(bant["budget_amount"].fillna(0).clip(lower=0))
    position = pd.Series(np.arange(len(frame)), index=frame["lead_id"].to_numpy())
    counts = np.zeros((len(frame), len(TOUCH_KINDS) + 1))
    if not touches.empty:
        row = touches["lead_id"].map(position)
        t = touches[row.notna()]
        row = row[row.notna()].to_numpy(dtype=np.int64)
        limit = cutoff.to_numpy(dtype="datetime64[ns]")[row]
        at = t["at"].to_numpy(dtype="datetime64[ns]")
        seen = at <= limit
        kind = pd.Categorical(t["kind"], categories=TOUCH_KINDS).codes
        ok = seen & (kind >= 0)
        np.add.at(counts, (row[ok], kind[ok]), 1)
        recent = ok & (at > limit - np.timedelta64(30, "D"))
        np.add.at(counts[:, -1], row[recent], 1)
    for j, kind in enumerate(TOUCH_KINDS):
        out[f"touches_{kind}"] = counts[:, j]
    out["touches_30d"] = counts[:, -1]
    return out


# -- the model --------------------------------------------------------------------------------

@dataclass
class LeadModel:
    status: str                           # "trained" | "insufficient_history"
    message: str
    key: str = ""
    revisions: dict = field(default_factory=dict)
    trained_at: str = ""
    categories: dict = field(default_factory=dict)   # field -> kept categories (others → "other")
    columns: list = field(default_factory=list)      # (source field, design column name)
    mean: np.ndarray | None = None
    std: np.ndarray | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0
    calibrator: object = None
    report: dict = field(default_factory=dict)

    def design(self, features: pd.DataFrame) -> np.ndarray:
        blocks = []
        for name in CATEGORICAL:
            kept = self.categories[name]
            values = features[name].where(features[name].isin(kept), "other")
            codes = pd.Categorical(values, categories=kept + ["other"]).codes
            blocks.append(np.eye(len(kept) + 1)[codes])
        blocks.append(features[list(NUMERIC)].to_numpy(dtype="float64"))
        return np.hstack(blocks)

    def log_odds_parts(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        z = (self.design(features) - self.mean) / self.std
        contributions = z * self.coef
        return self.intercept + contributions.sum(axis=1), contributions

    def predict(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated probability, per-design-column log-odds contributions)."""
        logit, contributions = self.log_odds_parts(features)
        return self.calibrate(logit), contributions

    def calibrate(self, logit: np.ndarray) -> np.ndarray:
        kind, fitted = self.calibrator
        if kind == "isotonic":
            return np.clip(fitted.predict(logit), 0, 1)
        return fitted.predict_proba(logit.reshape(-1, 1))[:, 1]


def _categories(train: pd.DataFrame) -> dict:
    kept = {}
    for name in CATEGORICAL:
        counts = train[name].value_counts()
        kept[name] = sorted(str(c) for c in counts[counts >= 10].index[:15] if c != "other")
    return kept


def _columns(categories: dict) -> list:
    cols = [(name, f"{name}={c}") for name in CATEGORICAL for c in categories[name] + ["other"]]
    return cols + [(name, name) for name in NUMERIC]


def fit_model(features: pd.DataFrame, labels: pd.DataFrame) -> LeadModel:
    """Train and evaluate on a time-ordered split; raises TooLittleHistory with the reason."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    y_all = labels["converted"].to_numpy()
    n, positives = len(y_all), int(y_all.sum())
    if n < MIN_CLOSED or positives < MIN_PER_CLASS or n - positives < MIN_PER_CLASS:
        raise TooLittleHistory(
            f"too little history to learn conversion: {n} closed leads ({positives} converted, {n - positives} not); "
            f"need at least {MIN_CLOSED} closed leads with {MIN_PER_CLASS} of each outcome")
    order = np.lexsort((labels["lead_id"].to_numpy(), pd.to_datetime(labels["created_at"]).to_numpy()))
    features, y = features.iloc[order].reset_index(drop=True), y_all[order]
    n_test = max(1, n // 4)
    n_rest = n - n_test
    n_fit = int(n_rest * 0.8)
    parts = {"fit": slice(0, n_fit), "calibration": slice(n_fit, n_rest), "holdout": slice(n_rest, n)}
    for name, part in parts.items():
        if len(set(y[part])) < 2:
            raise TooLittleHistory(f"too little history: the {name} part ({part.stop - part.start} leads, ordered by "
                                   f"creation) holds only one outcome; need both converted and not converted")
    model = LeadModel(status="trained", message="")
    model.categories = _categories(features[parts["fit"]])
    model.columns = _columns(model.categories)
    X = model.design(features)
    model.mean = X[parts["fit"]].mean(axis=0)
    model.std = X[parts["fit"]].std(axis=0)
    model.std[model.std == 0] = 1.0
    Z = (X - model.mean) / model.std
    lr = LogisticRegression(C=1.0, max_iter=1000)
    lr.fit(Z[parts["fit"]], y[parts["fit"]])
    model.coef, model.intercept = lr.coef_[0], float(lr.intercept_[0])
    logit = Z @ model.coef + model.intercept
    cal_logit, cal_y = logit[parts["calibration"]], y[parts["calibration"]]
    if len(cal_y) >= 1000:
        model.calibrator = ("isotonic", IsotonicRegression(out_of_bounds="clip").fit(cal_logit, cal_y))
    else:
        model.calibrator = ("sigmoid", LogisticRegression(C=1e6, max_iter=1000).fit(cal_logit.reshape(-1, 1), cal_y))
    test_p = model.calibrate(logit[parts["holdout"]])
    model.report = evaluation(test_p, y[parts["holdout"]])
    model.report["split"] = {name: part.stop - part.start for name, part in parts.items()}
    model.report["closed_leads"] = n
    model.report["converted"] = positives
    model.report["calibration_method"] = model.calibrator[0]
    weights = pd.Series(model.coef, index=[c for _, c in model.columns])
    top = weights.reindex(weights.abs().sort_values(ascending=False).index).head(15)
    model.report["coefficients"] = [{"feature": k, "weight": round(float(v), 4)} for k, v in top.items()]
    model.message = f"trained on {n} closed leads; hold-out AUC {model.report['auc']:.3f}"
    return model


def evaluation(p: np.ndarray, y: np.ndarray) -> dict:
    """AUC, lift by decile (1 = highest predicted) and a calibration table on a hold-out."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    base_rate = float(y.mean())
    order = np.argsort(-p, kind="stable")
    deciles = []
    for d, idx in enumerate(np.array_split(order, 10), start=1):
        if len(idx) == 0:
            continue
        rate = float(y[idx].mean())
        deciles.append({"decile": d, "leads": int(len(idx)), "converted": int(y[idx].sum()),
                        "mean_predicted": round(float(p[idx].mean()), 4), "rate": round(rate, 4),
                        "lift": round(rate / base_rate, 3) if base_rate else None})
    bins = np.minimum((p * 10).astype(int), 9)
    calibration = []
    for b in range(10):
        mask = bins == b
        if mask.any():
            calibration.append({"bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}", "leads": int(mask.sum()),
                                "mean_predicted": round(float(p[mask].mean()), 4),
                                "observed_rate": round(float(y[mask].mean()), 4)})
    return {"auc": round(float(roc_auc_score(y, p)), 4), "baseline_auc": 0.5, "holdout_leads": int(len(y)),
            "holdout_rate": round(base_rate, 4), "mean_predicted": round(float(p.mean()), 4),
            "brier": round(float(brier_score_loss(y, p)), 4), "deciles": deciles, "calibration": calibration,
            "holdout": {"leads": int(len(y)), "converted": int(y.sum()), "rate": round(base_rate, 4),
                        "mean_predicted": round(float(p.mean()), 4)}}


# -- the workspace: data, training, storage ----------------------------------------------------

def _opportunities(ws: Workspace, mapping: pd.Series) -> pd.DataFrame:
    from b2bgrowth.leads.scoring import _query

    opps = _query(ws, "SELECT lead_id, status, close_date, created_at FROM opportunities WHERE lead_id IS NOT NULL",
                  ["lead_id", "status", "close_date", "created_at"])
    opps["lead_id"] = opps["lead_id"].map(mapping).fillna(opps["lead_id"])
    opps["closed_at"] = pd.to_datetime(opps["close_date"]).fillna(pd.to_datetime(opps["created_at"]))
    return opps


def training_data(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    from b2bgrowth.leads.scoring import lead_touches, merged_lead_frame

    frame, mapping = merged_lead_frame(ws)
    touches = lead_touches(ws, mapping)
    labels = closed_labels(frame, _opportunities(ws, mapping), touches)
    closed = frame.set_index("lead_id").loc[labels["lead_id"]].reset_index()
    cutoff = pd.Series(pd.to_datetime(labels["closed_at"]).to_numpy(), index=closed.index)
    return lead_features(closed, touches, cutoff), labels


def model_path(ws: Workspace) -> Path:
    """Where the model for the store's current state is kept (the cache's pickle file)."""
    return ws.cache.file(MODEL_CACHE, cache_key(ws, table_named(MODEL_TABLE)))


def _fit(ws: Workspace, key: str) -> LeadModel:
    """Train on the workspace's closed leads (whatever the outcome: too little history is a model too)."""
    revisions = ws.store.revisions(table_named(MODEL_TABLE).depends_on)
    features, labels = training_data(ws)
    try:
        model = fit_model(features, labels)
    except TooLittleHistory as exc:
        model = LeadModel(status="insufficient_history", message=str(exc))
        model.report = {"closed_leads": int(len(labels)), "converted": int(labels["converted"].sum())}
    model.key, model.revisions = key, revisions
    model.trained_at = datetime.now().isoformat(timespec="seconds")
    return model


def _model(ws: Workspace) -> LeadModel:
    # Keyed like the derived table `lead_model` (the same inputs), kept as a pickle by the cache.
    key = cache_key(ws, table_named(MODEL_TABLE))
    return ws.cache.get_or_compute(MODEL_CACHE, key, lambda: _fit(ws, key), store="pickle")


def train(ws: Workspace) -> LeadModel:
    """Train now on the workspace's closed leads and keep the model for the store's current state."""
    ws.cache.forget(MODEL_CACHE)
    return _model(ws)


def model_report(model: LeadModel) -> dict:
    return {"status": model.status, "message": model.message, "trained_at": model.trained_at,
            "revision": model.revisions, **model.report}


def _compute(ws: Workspace) -> dict[str, pd.DataFrame]:
    return {"report": pd.DataFrame({"json": [json.dumps(model_report(_model(ws)), default=str)]})}


MODEL_TABLE_DECLARATION = DerivedTable(
    name=MODEL_TABLE, depends_on=("leads", "lead_merges", "touches", "opportunities"), compute=_compute, version=1,
    description="Lead conversion model (kept by the cache as lead_conversion_model) and its hold-out evaluation",
)


def current_model(ws: Workspace) -> LeadModel:
    """The model for the store as it is now; trains first when the data moved since."""
    load(ws, MODEL_TABLE)  # recomputes (= retrains) when leads, touches or opportunities changed
    return _model(ws)


def retrain(ws: Workspace) -> LeadModel:
    """`b2bgrowth leads train`: train now, and let the derived cache hold this result."""
    forget(ws, MODEL_TABLE)
    ws.cache.forget(MODEL_CACHE)
    load(ws, MODEL_TABLE)
    return current_model(ws)


def predictions(ws: Workspace, frame: pd.DataFrame, touches: pd.DataFrame,
                as_of: datetime) -> tuple[np.ndarray, list[list[dict]]]:
    """(probability per lead of `frame` or NaN, reasons per lead) with features taken at `as_of`."""
    model = current_model(ws)
    n = len(frame)
    if model.status != "trained":
        reason = [{"kind": "prediction", "text": model.message, "points": None}]
        return np.full(n, np.nan), [reason] * n
    features = lead_features(frame, touches, pd.Series(np.full(n, np.datetime64(as_of, "ns")), index=frame.index))
    p, contributions = model.predict(features)
    return p, top_reasons(model, features, contributions)


def top_reasons(model: LeadModel, features: pd.DataFrame, contributions: np.ndarray, limit: int = 3) -> list[list[dict]]:
    sources = [s for s, _ in model.columns]
    names = list(dict.fromkeys(sources))
    group = np.zeros((len(sources), len(names)))
    group[np.arange(len(sources)), [names.index(s) for s in sources]] = 1.0
    by_field = contributions @ group
    top = np.argsort(-np.abs(by_field), axis=1)[:, :limit]
    values = {name: features[name].to_numpy() for name in names}
    out = []
    for i in range(len(features)):
        reasons = []
        for j in top[i]:
            name, value = names[j], values[names[j]][i]
            shown = round(float(value), 2) if isinstance(value, (float, np.floating)) else value
            reasons.append({"kind": "prediction", "text": f"{name} = {shown}", "points": round(float(by_field[i, j]), 3)})
        out.append(reasons)
    return out
