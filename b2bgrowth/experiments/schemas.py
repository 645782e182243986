"""Pydantic shapes of an experiment: what the CLI, the JSON API and the web form exchange.

An experiment is stored in the `experiments` table (models.py); its variants, metric
declarations, population filter and ROI settings are JSON columns validated by these models.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

Unit = Literal["account", "contact", "user"]
Status = Literal["draft", "running", "stopped", "decided"]
Decision = Literal["ship", "roll_back", "iterate", "inconclusive"]
DECISIONS: tuple[str, ...] = ("ship", "roll_back", "iterate", "inconclusive")
MetricType = Literal["proportion", "mean", "count", "revenue", "ratio"]
MetricSource = Literal["events", "mrr_change", "renewal"]
MetricKind = Literal["primary", "secondary", "guardrail"]
# Account attributes a population can be filtered and stratified by (or "attributes.<name>").
ACCOUNT_FIELDS: tuple[str, ...] = ("tier", "industry", "region", "lifecycle_stage", "type", "owner")

KEY_PATTERN = r"^[a-z0-9][a-z0-9_\-]{1,63}$"


class ExperimentError(ValueError):
    """A request the registry refuses (bad state change, invalid field); callers answer 422."""


def is_overdue(status: str, planned_end: date | None, today: date) -> bool:
    """A running experiment whose planned end has passed (the end day itself still counts as planned)."""
    return status == "running" and planned_end is not None and today > planned_end


class VariantSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    weight: float = Field(gt=0, le=1000)


class MetricSpec(BaseModel):
    """One metric, computed per unit over [assigned_at, assigned_at + window_days).

    source "events": `events` are event names in the event store; proportion = the unit had at
      least one, count = how many, mean/revenue = Σ properties[value_property] (or the count when
      no property is named), ratio = count (or Σ value) of `events` ÷ count of `denominator_events`.
    source "mrr_change": MRR at the window's end − MRR at its start (subscriptions, CNY as stored).
    source "renewal": proportion of units still paying (MRR > 0) at the window's end — the
      account renewed or kept its contract; covariate: paying at assignment.
    The pre-period [assigned_at − pre_days, assigned_at) gives the CUPED covariate.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-.]+$")
    type: MetricType = "proportion"
    source: MetricSource = "events"
    events: list[str] = Field(default_factory=list)
    denominator_events: list[str] = Field(default_factory=list)
    value_property: str | None = None
    window_days: int = Field(default=90, ge=1, le=3660)
    pre_days: int | None = Field(default=None, ge=1, le=3660, description="CUPED pre-period; default = window_days")
    cuped: bool = True
    lower_is_better: bool = False
    value_per_unit: float | None = Field(default=None, description="Money value of one unit of the metric (ROI)")

    @model_validator(mode="after")
    def _coherent(self) -> MetricSpec:
        if self.source == "events" and not self.events:
            raise ValueError(f"metric {self.name}: source 'events' needs at least one event name in 'events'")
        if self.type == "ratio" and (self.source != "events" or not self.denominator_events):
            raise ValueError(f"metric {self.name}: a ratio metric needs source 'events' and 'denominator_events'")
        if self.source == "renewal" and self.type != "proportion":
            raise ValueError(f"metric {self.name}: source 'renewal' is a proportion metric")
        if self.source == "mrr_change" and self.type not in ("mean", "revenue"):
            raise ValueError(f"metric {self.name}: source 'mrr_change' is a mean/revenue metric")
        return self

    @property
    def pre_period_days(self) -> int:
        return self.pre_days or self.window_days


class MetricSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    primary: list[MetricSpec] = Field(default_factory=list)
    secondary: list[MetricSpec] = Field(default_factory=list)
    guardrail: list[MetricSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> MetricSet:
        names = [m.name for m in self.all()]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"metric names must be unique, repeated: {', '.join(dupes)}")
        return self

    def all(self) -> list[MetricSpec]:
        return [*self.primary, *self.secondary, *self.guardrail]

    def with_kind(self) -> list[tuple[MetricKind, MetricSpec]]:
        return (
            [("primary", m) for m in self.primary]
            + [("secondary", m) for m in self.secondary]
            + [("guardrail", m) for m in self.guardrail]
        )


class Population(BaseModel):
    """Segment filter over accounts: every given field must match (lists = any of)."""

    model_config = ConfigDict(extra="forbid")

    tier: list[str] = Field(default_factory=list)
    industry: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    lifecycle_stage: list[str] = Field(default_factory=list)
    type: list[str] = Field(default_factory=list)
    created_from: datetime | None = None
    created_to: datetime | None = None
    account_ids: list[str] = Field(default_factory=list)


class RoiSpec(BaseModel):
    """ROI = incremental value of `metric` (× its value_per_unit, or money for revenue metrics)
    over the treated units − cost_per_treated_unit × treated units."""

    model_config = ConfigDict(extra="forbid")

    metric: str | None = None
    cost_per_treated_unit: float = Field(default=0.0, ge=0)
    currency: str = "CNY"


def _default_variants() -> list[VariantSpec]:
    return [VariantSpec(name="control", weight=0.5), VariantSpec(name="treatment", weight=0.5)]


def _check_stratify(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value in ACCOUNT_FIELDS or (value.startswith("attributes.") and len(value) > len("attributes.")):
        return value
    raise ValueError(f"stratify_by: one of {', '.join(ACCOUNT_FIELDS)} or attributes.<name>, got {value!r}")


def check_planned_dates(start: date | None, end: date | None) -> None:
    """A planned end before the planned start is a typo; refuse it naming the field."""
    if start is not None and end is not None and end < start:
        raise ExperimentError(f"planned_end: {end.isoformat()} is before planned_start {start.isoformat()}")


def _check_variants(variants: list[VariantSpec]) -> list[VariantSpec]:
    if len(variants) < 2:
        raise ValueError("variants: at least two (the first is the control)")
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise ValueError("variants: names must be unique")
    return variants


class ExperimentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN, description="lower-case letters, digits, _ and -; 2-64 characters")
    name: str | None = Field(default=None, max_length=255)
    hypothesis: str | None = None
    owner: str | None = Field(default=None, max_length=128)
    unit: Unit = "account"
    variants: list[VariantSpec] = Field(default_factory=_default_variants)
    metrics: MetricSet = Field(default_factory=MetricSet)
    population: Population = Field(default_factory=Population)
    stratify_by: str | None = "tier"
    roi: RoiSpec = Field(default_factory=RoiSpec)
    planned_start: date | None = Field(default=None, description="Planned first day (a plan; start sets started_at)")
    planned_end: date | None = Field(default=None, description="Planned last day; a running test past it is overdue for a decision")

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: list[VariantSpec]) -> list[VariantSpec]:
        return _check_variants(value)

    @model_validator(mode="after")
    def _plan(self) -> ExperimentCreate:
        check_planned_dates(self.planned_start, self.planned_end)
        return self

    @field_validator("stratify_by")
    @classmethod
    def _stratify(cls, value: str | None) -> str | None:
        return _check_stratify(value)


class ExperimentUpdate(BaseModel):
    """Partial update; variants, unit, population and stratify_by are frozen once started."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=255)
    hypothesis: str | None = None
    owner: str | None = Field(default=None, max_length=128)
    unit: Unit | None = None
    variants: list[VariantSpec] | None = None
    metrics: MetricSet | None = None
    population: Population | None = None
    stratify_by: str | None = None
    roi: RoiSpec | None = None
    planned_start: date | None = None
    planned_end: date | None = None

    @field_validator("variants")
    @classmethod
    def _variants(cls, value: list[VariantSpec] | None) -> list[VariantSpec] | None:
        return value if value is None else _check_variants(value)

    @field_validator("stratify_by")
    @classmethod
    def _stratify(cls, value: str | None) -> str | None:
        return _check_stratify(value)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    reason: str = Field(min_length=1, max_length=4000)


class ExperimentPublic(BaseModel):
    key: str
    name: str | None = None
    hypothesis: str | None = None
    owner: str | None = None
    unit: Unit = "account"
    variants: list[VariantSpec]
    metrics: MetricSet
    population: Population
    stratify_by: str | None = None
    roi: RoiSpec
    status: Status
    created_at: datetime | None = None
    created_by: str | None = None
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    decision: Decision | None = None
    decision_reason: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    assigned_units: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overdue(self) -> bool:
        """Running past its planned end: the test has had its planned time and waits for a decision."""
        return is_overdue(self.status, self.planned_end, date.today())

    @property
    def control(self) -> str:
        return self.variants[0].name

    def weights(self) -> list[tuple[str, float]]:
        return [(v.name, v.weight) for v in self.variants]
