"""What a health scorecard is: measure groups with weights, each measure reading one signal.

A definition is plain JSON/YAML validated here (pydantic), so the CLI, the API and the editor
reject the same mistakes with the same message naming the field, e.g.
`groups.0.measures.1.poor: for higher_better, poor (0.6) must not be above good (0.3)`.

    {"scorecard_id": "ka", "name": "Key accounts",
     "applies_to": {"tiers": ["KA"], "stages": []},
     "colors": {"green": 70, "yellow": 40},
     "groups": [{"name": "Adoption", "weight": 40, "measures": [
         {"measure": "seats", "signal": "seat_utilisation", "weight": 2,
          "kind": "thresholds", "direction": "higher_better", "good": 0.6, "poor": 0.3},
         {"measure": "trend", "signal": "usage_trend_30d", "weight": 1,
          "kind": "linear", "zero_at": -0.5, "full_at": 0.1}]}]}

Rating rules (docs/customer-success.md §Health scorecards):
- thresholds, higher_better: value ≥ good → good; value < poor → poor; otherwise average.
- thresholds, lower_better:  value ≤ good → good; value > poor → poor; otherwise average.
- good = 100, average = 50, poor = 0 points.
- linear: 0 points at `zero_at`, 100 at `full_at`, straight line between, clipped to 0–100
  (zero_at > full_at makes lower values better).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, field_validator, model_validator

from b2bgrowth.accounts.models import TIERS

RATING_POINTS = {"good": 100.0, "average": 50.0, "poor": 0.0}
# Scorecards are chosen by the account's stage before health is known, so `at_risk` (which
# health itself decides) cannot choose one; prospects and churned accounts are not scored.
ASSIGNABLE_STAGES = ("onboarding", "adopting", "mature")
DEFAULT_ID = "default"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

# The signal columns a measure may read: account_signals (docs/customer-success.md §Usage).
SIGNALS = (
    "dau", "wau", "mau", "events_30d", "events_prev_30d", "usage_trend_30d", "active_users_prev_30d",
    "breadth_30d", "support_tickets_30d", "support_tickets_90d", "days_since_active", "seats",
    "seat_utilisation", "mrr", "arr", "days_since_first_paid", "nps_last", "nps_365", "detractors_90d",
    "days_to_renewal", "next_due_arr",
)


class DefinitionError(ValueError):
    """A scorecard definition that cannot be saved or used; the message names the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _MeasureBase(_Strict):
    measure: str = Field(min_length=1, max_length=64, description="Name of the measure, unique in the scorecard.")
    label: str | None = Field(None, max_length=200)
    signal: str = Field(description="The account_signals column it reads.")
    weight: float = Field(1.0, gt=0, le=1000)

    @field_validator("signal")
    @classmethod
    def _known_signal(cls, value: str) -> str:
        if value not in SIGNALS:
            raise ValueError(f"unknown signal {value!r}; one of: {', '.join(SIGNALS)}")
        return value


class ThresholdMeasure(_MeasureBase):
    kind: Literal["thresholds"] = "thresholds"
    direction: Literal["higher_better", "lower_better"] = "higher_better"
    good: float
    poor: float

    @model_validator(mode="after")
    def _ordered(self):
        if self.direction == "higher_better" and self.poor > self.good:
            raise ValueError(f"for higher_better, poor ({self.poor:g}) must not be above good ({self.good:g})")
        if self.direction == "lower_better" and self.poor < self.good:
            raise ValueError(f"for lower_better, poor ({self.poor:g}) must not be below good ({self.good:g})")
        return self


class LinearMeasure(_MeasureBase):
    kind: Literal["linear"]
    zero_at: float = Field(description="Value that scores 0.")
    full_at: float = Field(description="Value that scores 100.")

    @model_validator(mode="after")
    def _distinct(self):
        if self.zero_at == self.full_at:
            raise ValueError(f"zero_at and full_at are both {self.zero_at:g}; they must differ")
        return self


def _kind(value) -> str:
    if isinstance(value, dict):
        return value.get("kind", "thresholds")
    return getattr(value, "kind", "thresholds")


# `kind` picks the model (thresholds when absent), so errors name only the fields of that kind.
Measure = Annotated[Annotated[ThresholdMeasure, Tag("thresholds")] | Annotated[LinearMeasure, Tag("linear")],
                    Discriminator(_kind, custom_error_type="kind",
                                  custom_error_message="kind must be 'thresholds' or 'linear'")]


class Group(_Strict):
    name: str = Field(min_length=1, max_length=100)
    weight: float = Field(gt=0, le=1000)
    measures: list[Measure] = Field(min_length=1)


class AppliesTo(_Strict):
    tiers: list[Literal["KA", "CA", "SMB"]] = Field(default_factory=list)
    stages: list[Literal["onboarding", "adopting", "mature"]] = Field(default_factory=list)

    @property
    def specificity(self) -> int:
        """How many of tier and stage it constrains (2 beats 1; the default has 0)."""
        return int(bool(self.tiers)) + int(bool(self.stages))


class Colors(_Strict):
    green: float = Field(70, ge=0, le=100, description="Scores at or above are green.")
    yellow: float = Field(40, ge=0, le=100, description="Scores at or above (and below green) are yellow.")

    @model_validator(mode="after")
    def _ordered(self):
        if self.yellow > self.green:
            raise ValueError(f"yellow ({self.yellow:g}) must not be above green ({self.green:g})")
        return self

    def color(self, score: float | None) -> str | None:
        if score is None:
            return None
        return "green" if score >= self.green else "yellow" if score >= self.yellow else "red"


class ScorecardDefinition(_Strict):
    scorecard_id: str
    name: str = Field(min_length=1, max_length=255)
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    colors: Colors = Field(default_factory=Colors)
    groups: list[Group] = Field(min_length=1)
    note: str | None = Field(None, max_length=500, description="What changed in this version.")

    @field_validator("scorecard_id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("use 1-64 characters: lower-case letters, digits, '-' or '_', starting with a letter or digit")
        return value

    @model_validator(mode="after")
    def _consistent(self):
        names = [m.measure for g in self.groups for m in g.measures]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"measure names must be unique; repeated: {', '.join(duplicates)}")
        if self.scorecard_id != DEFAULT_ID and self.applies_to.specificity == 0:
            raise ValueError(f"applies_to: name at least one tier or stage (only {DEFAULT_ID!r} applies to everyone)")
        if self.scorecard_id == DEFAULT_ID and self.applies_to.specificity:
            raise ValueError(f"applies_to: the {DEFAULT_ID!r} scorecard applies to everyone; leave tiers and stages empty")
        return self

    def effective_weights(self) -> dict[str, float]:
        """Measure → group weight × its share of the group's measure weights (before any renormalising)."""
        out = {}
        for group in self.groups:
            total = sum(m.weight for m in group.measures)
            for m in group.measures:
                out[m.measure] = group.weight * m.weight / total
        return out


def describe(exc: ValidationError) -> str:
    """One line per problem, each naming the field: `groups.0.weight: Input should be greater than 0`."""
    parts = []
    for err in exc.errors():
        # Union members add their class name to the location; it tells the user nothing.
        loc = [str(p) for p in err["loc"] if p not in ("thresholds", "linear")]
        where = ".".join(loc) or "definition"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def parse_definition(data) -> ScorecardDefinition:
    """Validate a dict (from JSON, YAML or the editor) or raise DefinitionError naming each bad field."""
    if not isinstance(data, dict):
        raise DefinitionError("a scorecard definition must be an object (mapping)")
    try:
        return ScorecardDefinition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(describe(exc)) from None


assert set(TIERS) == {"KA", "CA", "SMB"}  # AppliesTo spells them out for the JSON schema
