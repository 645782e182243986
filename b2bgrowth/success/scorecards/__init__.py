"""Health scorecards (issue 4 item 4): definitions, scoring, versions. See docs/customer-success.md."""

from b2bgrowth.success.scorecards.definition import DefinitionError, ScorecardDefinition, parse_definition  # noqa: F401
from b2bgrowth.success.scorecards.scoring import choose, score_frame  # noqa: F401
