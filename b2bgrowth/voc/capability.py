"""The voc capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="voc",
    title="Voice of the customer: NPS and surveys",
    package="b2bgrowth.voc",
    templates="templates",
    models=(
        "b2bgrowth.voc.models",
        "b2bgrowth.voc.survey_models",
    ),
    reports=(
        "b2bgrowth.voc.nps:NpsReport",
        "b2bgrowth.voc.surveys.reports:SurveysReport",
        "b2bgrowth.voc.surveys.reports:SurveyReport",
        "b2bgrowth.voc.surveys.reports:NpsBreakdownReport",
        "b2bgrowth.voc.surveys.reports:VerbatimsReport",
    ),
    cli=(
        "b2bgrowth.voc.surveys.cli:register",
    ),
    pages=(
        "b2bgrowth.voc.web:register_web",
        "b2bgrowth.voc.web_surveys:register_web",
    ),
)
