"""The voc capability's public surface: what other capabilities may use of it.

Another capability imports only this module and `b2bgrowth.voc.models` (the tables, for
reading); everything else in the package is internal and may change without notice
(pyproject.toml's import contracts check it).

- the NPS classification: promoter threshold, band of a score, detractors, the NPS of counts.
"""

from __future__ import annotations

from b2bgrowth.voc.nps import PROMOTER_MIN, band, is_detractor, nps_value

__all__ = ["PROMOTER_MIN", "band", "is_detractor", "nps_value"]
