"""The pipeline capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="pipeline",
    title="Opportunities, stages, forecast, call cadence, growth model",
    package="b2bgrowth.pipeline",
    models=(
        "b2bgrowth.pipeline.models",
    ),
    reports=(
        "b2bgrowth.pipeline.reports:PipelineReport",
        "b2bgrowth.pipeline.reports:ForecastReport",
        "b2bgrowth.pipeline.reports:CadenceReport",
        "b2bgrowth.pipeline.reports:GrowthModelReport",
    ),
    cli=(
        "b2bgrowth.pipeline.cli:register_cli",
    ),
    api=(
        "b2bgrowth.pipeline.routes:router",
    ),
    pages=(
        "b2bgrowth.pipeline.web:register_web",
    ),
)
