"""The leads capability's public surface: what other capabilities may use of it.

Another capability imports only this module and `b2bgrowth.leads.models` (the tables, for
reading); everything else in the package is internal and may change without notice
(pyproject.toml's import contracts check it).

- merged leads (de-duplication's result) as the channel, attribution and pipeline reports see
  them: the frame, its derived table's name, the arrays for windowed counts, the status order;
- `read_frame`: a SELECT as a frame, column-wise (fast for a few hundred thousand rows);
- `link_won_opportunities`: a won deal's lead without an account takes the deal's account.
"""

from __future__ import annotations

from b2bgrowth.leads.account_links import link_won_opportunities
from b2bgrowth.leads.dedupe import MERGED_LEADS, merged_leads
from b2bgrowth.leads.merged import STATUS_RANK, lead_index, read_frame

__all__ = ["MERGED_LEADS", "STATUS_RANK", "lead_index", "link_won_opportunities", "merged_leads", "read_frame"]
