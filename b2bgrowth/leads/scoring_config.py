"""Lead-scoring settings: defaults here, overrides from `<data dir>/lead-scoring.json` (or .yaml).

Sales and marketing agree on what a good lead is by editing one file, kept next to the data
(so it is backed up with it and is the same for the CLI, the web app and notebooks). Any
top-level section given in the file replaces the default section whole (`fit_rules` as a
list, `touch_points` as a mapping, …), so what the file says is exactly what is used. See
docs/lead-scoring.md for every key with a worked example.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CONFIG_NAMES = ("lead-scoring.json", "lead-scoring.yaml", "lead-scoring.yml")

# Fields a fit rule may look at: firmographics and title as stored, channel, and BANT as read
# by b2bgrowth.leads.bant (budget = yes/no/unknown/amount, budget_amount = the number,
# authority = yes/no/unknown, need = high/medium/low/text, timeline = <3m/3-6m/>6m/unknown).
FIT_FIELDS = ("employees", "industry", "region", "title", "channel",
              "budget", "budget_amount", "authority", "need", "timeline")
Op = Literal["eq", "in", "gte", "gt", "lt", "lte", "between", "contains_any", "missing", "present"]


class ScoringConfigError(ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FitRule(_Strict):
    """`points` when `field op value` holds. Within a `group` only the first matching rule
    counts (bands such as company size); rules without a group all add up."""

    field: Literal[FIT_FIELDS]  # type: ignore[valid-type]
    op: Op
    value: object = None
    points: float
    label: str
    group: str | None = None

    @model_validator(mode="after")
    def _value_fits_op(self):
        if self.op in ("in", "contains_any") and not isinstance(self.value, list):
            raise ValueError(f"rule {self.label!r}: op {self.op} needs a list value")
        if self.op == "between" and not (isinstance(self.value, list) and len(self.value) == 2):
            raise ValueError(f"rule {self.label!r}: op between needs [low, high) as a 2-item list")
        if self.op in ("gte", "gt", "lt", "lte") and not isinstance(self.value, (int, float)):
            raise ValueError(f"rule {self.label!r}: op {self.op} needs a number")
        return self


class Bands(_Strict):
    """Lower bounds, best first: A (or 1) when score >= first, …; the last band takes the rest."""

    fit: tuple[float, float, float] = (75.0, 50.0, 25.0)         # A, B, C; below → D
    engagement: tuple[float, float, float] = (50.0, 25.0, 10.0)  # 1, 2, 3; below → 4


class MqlThreshold(_Strict):
    fit: float = 50.0
    engagement: float = 30.0


class ScoringConfig(_Strict):
    fit_rules: list[FitRule]
    touch_points: dict[str, float]
    event_points: dict[str, float] = Field(default_factory=dict)
    half_life_days: float = Field(default=30.0, gt=0)
    engagement_cap: float = Field(default=100.0, gt=0)
    bands: Bands = Field(default_factory=Bands)
    mql: MqlThreshold = Field(default_factory=MqlThreshold)
    source: str = "defaults"


DECISION_TITLES = ["ceo", "cto", "cio", "cfo", "coo", "vp", "president", "founder", "owner", "director", "head",
                   "总经理", "总裁", "副总裁", "董事", "总监", "负责人", "创始人", "老板", "首席"]
MANAGER_TITLES = ["manager", "lead", "经理", "主管", "主任"]

DEFAULT_FIT_RULES: list[dict] = [
    # Company size (20): bands, first match wins.
    {"field": "employees", "op": "gte", "value": 500, "points": 20, "label": "500+ employees", "group": "size"},
    {"field": "employees", "op": "gte", "value": 50, "points": 12, "label": "50-499 employees", "group": "size"},
    {"field": "employees", "op": "gte", "value": 1, "points": 5, "label": "under 50 employees", "group": "size"},
    # Title (20): decision makers before managers (总经理 contains 经理 too).
    {"field": "title", "op": "contains_any", "value": DECISION_TITLES, "points": 20,
     "label": "decision-maker title", "group": "title"},
    {"field": "title", "op": "contains_any", "value": MANAGER_TITLES, "points": 10,
     "label": "manager title", "group": "title"},
    # BANT (60).
    {"field": "budget", "op": "in", "value": ["yes", "amount"], "points": 15, "label": "budget confirmed"},
    {"field": "authority", "op": "eq", "value": "yes", "points": 15, "label": "has authority"},
    {"field": "need", "op": "eq", "value": "high", "points": 15, "label": "high need", "group": "need"},
    {"field": "need", "op": "in", "value": ["medium", "text"], "points": 8, "label": "stated need", "group": "need"},
    {"field": "need", "op": "eq", "value": "low", "points": 2, "label": "low need", "group": "need"},
    {"field": "timeline", "op": "eq", "value": "<3m", "points": 15, "label": "buying within 3 months",
     "group": "timeline"},
    {"field": "timeline", "op": "eq", "value": "3-6m", "points": 8, "label": "buying in 3-6 months",
     "group": "timeline"},
    {"field": "timeline", "op": "eq", "value": ">6m", "points": 2, "label": "buying after 6 months",
     "group": "timeline"},
]
DEFAULT_TOUCH_POINTS = {"demo": 10, "meeting": 10, "webinar": 8, "event": 8, "call": 5,
                        "download": 5, "email": 2, "visit": 1}


def default_config() -> ScoringConfig:
    return ScoringConfig(fit_rules=[FitRule(**r) for r in DEFAULT_FIT_RULES], touch_points=dict(DEFAULT_TOUCH_POINTS))


def config_path(data_dir: Path) -> Path | None:
    for name in CONFIG_NAMES:
        path = Path(data_dir) / name
        if path.exists():
            return path
    return None


def load_config(ws_or_data_dir) -> ScoringConfig:
    """Defaults, with the sections given in the data dir's lead-scoring file replacing them."""
    data_dir = getattr(getattr(ws_or_data_dir, "settings", None), "data_dir", ws_or_data_dir)
    path = config_path(Path(data_dir))
    if path is None:
        return default_config()
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".json":
            overrides = json.loads(text)
        else:
            import yaml

            overrides = yaml.safe_load(text)
    except Exception as exc:  # OSError, JSON or YAML syntax: all mean the file cannot be used
        raise ScoringConfigError(f"{path}: cannot read ({exc})") from None
    if not isinstance(overrides, dict):
        raise ScoringConfigError(f"{path}: expected an object with sections such as fit_rules, touch_points")
    merged = default_config().model_dump()
    merged.update(overrides)
    merged["source"] = str(path)
    try:
        return ScoringConfig.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ScoringConfigError(f"{path}: {problems}") from None
